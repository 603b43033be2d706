package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.Outcome;

/**
 * {@code --format json}: {@code {verdict, counts, blocking, suppressed, ...}}, the shape the Jenkins step and
 * GitHub Actions read.
 *
 * <p>Written with Jackson's streaming generator, not an ObjectMapper: the gate is a one-shot CLI run, and setting
 * up databind (about 500 classes) cost more CPU than the rest of the command apart from reading the report. The
 * text is the same, byte for byte, as the ObjectMapper with INDENT_OUTPUT and ISO times wrote (RenderersTest).
 */
final class JsonRenderer implements ScanRenderer {

    @Override
    public String id() {
        return "json";
    }

    @Override
    public void render(ScanReport report, PrintWriter out, boolean color) {
        try (JsonGenerator g = JsonMapping.factory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            write(g, view(report));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the scan result as JSON", e);
        }
        out.println();
    }

    /** Writes the values {@link #view} builds; anything else is a programming error, not a silent toString. */
    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long n) {
            g.writeNumber(n);
        } else if (value instanceof Integer n) {
            g.writeNumber(n);
        } else if (value instanceof Outcome o) {
            g.writeString(o.json());
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (value instanceof Instant t) {
            g.writeString(t.toString());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                g.writeFieldName(entry.getKey() instanceof Enum<?> e ? e.name() : String.valueOf(entry.getKey()));
                write(g, entry.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof ScanReport.TargetCount t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", t.target());
            m.put("counts", t.counts());
            m.put("total", t.total());
            write(g, m);
        } else if (value instanceof ExpiredIgnore e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("expires", e.expires());
            m.put("source", e.source());
            m.put("statement", e.statement());
            m.put("matched", e.matched());
            write(g, m);
        } else {
            throw new IllegalStateException("no JSON form for " + value.getClass().getName());
        }
    }

    static Map<String, Object> view(ScanReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", r.verdict());
        // the command contract's fields: a scan changes no target; scan errors mean it could not pass
        Outcome outcome = !r.scanErrors().isEmpty() ? Outcome.FAILED : r.passed() ? Outcome.PASSED : Outcome.REFUSED;
        m.put("outcome", outcome);
        m.put("changed", false);
        m.put("exitCode", outcome.exitCode().code());
        m.put("message", !r.scanErrors().isEmpty() ? "the scanner could not scan " + r.scanErrors().size()
                + " part(s), so the gate cannot pass: " + r.scanErrors().get(0)
                : r.passed() ? "the security gate passed" : "security gate failed: " + r.blockingTotal()
                + " blocking finding" + (r.blockingTotal() == 1 ? "" : "s"));
        m.put("counts", r.counts());
        m.put("blocking", r.blocking().stream().map(JsonRenderer::finding).toList());
        m.put("suppressed", r.suppressed().stream().map(JsonRenderer::suppression).toList());
        m.put("blockingTotal", r.blockingTotal());
        m.put("suppressedTotal", r.suppressedTotal());
        m.put("expiredIgnores", r.expiredIgnores());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("failOn", r.policy().blockingOrdered());
        policy.put("ignoreUnfixed", r.policy().ignoreUnfixed());
        policy.put("ignoreStatuses", r.policy().ignoreStatuses());
        policy.put("secrets", r.policy().secrets());
        policy.put("misconfigurations", r.policy().misconfigurations());
        policy.put("ignoreFile", r.policy().ignores().file() == null ? null : r.policy().ignores().file().toString());
        m.put("policy", policy);
        m.put("digest", r.digest());
        m.put("record", r.record());
        if (r.recordNote() != null) {
            m.put("recordNote", r.recordNote());
        }
        List<Map<String, Object>> reports = new ArrayList<>();
        for (ReportInfo info : r.reports()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("source", info.source());
            i.put("format", info.format());
            i.put("scanner", info.scanner());
            i.put("scannerVersion", info.scannerVersion());
            i.put("artifactName", info.artifactName());
            i.put("findings", info.findings());
            reports.add(i);
        }
        m.put("reports", reports);
        m.put("targets", r.targets());
        m.put("warnings", r.warnings());
        m.put("scanErrors", r.scanErrors());
        m.put("time", r.time());
        return m;
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind().id());
        m.put("id", f.id());
        m.put("severity", f.severity());
        put(m, "target", f.target());
        put(m, "resource", f.resource());
        put(m, "pkgName", f.pkgName());
        put(m, "installedVersion", f.installedVersion());
        put(m, "fixedVersion", f.fixedVersion());
        put(m, "status", f.status());
        put(m, "pkgPath", f.pkgPath());
        put(m, "purl", f.purl());
        put(m, "title", f.title());
        put(m, "primaryUrl", f.primaryUrl());
        if (f.pathCount() > 0) {
            m.put("paths", f.paths());
            m.put("pathCount", f.pathCount());
        }
        return m;
    }

    private static Map<String, Object> suppression(Suppression s) {
        Map<String, Object> m = finding(s.finding());
        m.put("reason", s.reason());
        m.put("detail", s.detail());
        put(m, "rule", s.rule());
        put(m, "expires", s.expires());
        put(m, "statement", s.statement());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
