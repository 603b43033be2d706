package com.koreapublicdata.pipeline.scan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * {@code --format json}: {@code {verdict, counts, blocking, suppressed, ...}}, the shape the Jenkins step and
 * GitHub Actions read.
 */
final class JsonRenderer implements ScanRenderer {
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String id() {
        return "json";
    }

    @Override
    public void render(ScanReport report, PrintWriter out, boolean color) {
        try {
            out.println(mapper.writeValueAsString(view(report)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the scan result as JSON", e);
        }
    }

    static Map<String, Object> view(ScanReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", r.verdict());
        // the command contract's fields: a scan changes no target; scan errors mean it could not pass
        com.koreapublicdata.pipeline.Outcome outcome = !r.scanErrors().isEmpty() ? com.koreapublicdata.pipeline.Outcome.FAILED
                : r.passed() ? com.koreapublicdata.pipeline.Outcome.PASSED : com.koreapublicdata.pipeline.Outcome.REFUSED;
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
