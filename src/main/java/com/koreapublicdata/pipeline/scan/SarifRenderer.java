package com.koreapublicdata.pipeline.scan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * SARIF 2.1.0 for GitHub code scanning: one run; a rule per finding id; a result per blocking finding, and per
 * suppressed finding with a SARIF suppression carrying the reason. Levels and {@code security-severity} follow
 * Trivy's SARIF output: CRITICAL/HIGH error, MEDIUM warning, LOW/UNKNOWN note; 9.5/8.0/5.5/2.0/0.0.
 */
final class SarifRenderer implements ScanRenderer {
    @Override
    public String id() {
        return "sarif";
    }

    @Override
    public void render(ScanReport r, PrintWriter out, boolean color) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : r.blocking()) {
            results.add(result(f, rule(f, ruleIndex, rules), null));
        }
        for (Suppression s : r.suppressed()) {
            results.add(result(s.finding(), rule(s.finding(), ruleIndex, rules), s));
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "korea scan");
        driver.put("fullName", "korea-pipeline security gate ("
                + String.join("+", r.reports().stream().map(ReportInfo::scanner).distinct().toList()) + " findings)");
        driver.put("version", ScanEngine.koreaVersion());
        driver.put("rules", rules);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("verdict", r.verdict());
        properties.put("blockingTotal", r.blockingTotal());
        properties.put("suppressedTotal", r.suppressedTotal());
        properties.put("counts", r.counts());
        if (r.digest() != null) {
            properties.put("imageDigest", r.digest());
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        run.put("originalUriBaseIds", Map.of("ROOTPATH", Map.of("uri", "file:///")));
        run.put("properties", properties);
        Map<String, Object> sarif = new LinkedHashMap<>();
        sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        sarif.put("version", "2.1.0");
        sarif.put("runs", List.of(run));
        try { // databind is set up only here: the gate's text and json output do without it
            out.println(JsonMapping.pretty().writeValueAsString(sarif));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render SARIF", e);
        }
    }

    private static int rule(Finding f, Map<String, Integer> index, List<Map<String, Object>> rules) {
        Integer existing = index.get(f.id());
        if (existing != null) {
            return existing;
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", f.id());
        rule.put("name", switch (f.kind()) {
            case VULNERABILITY -> "PackageVulnerability";
            case MISCONFIGURATION -> "Misconfiguration";
            case SECRET -> "Secret";
            case LICENSE -> "License";
        });
        String text = f.title() == null || f.title().isBlank() ? f.id() : f.title();
        rule.put("shortDescription", Map.of("text", text));
        rule.put("fullDescription", Map.of("text", text));
        if (f.primaryUrl() != null) {
            rule.put("helpUri", f.primaryUrl());
        }
        String help = f.kind().id() + " " + f.id() + "\nSeverity: " + f.severity()
                + (f.primaryUrl() == null ? "" : "\nLink: " + f.primaryUrl());
        rule.put("help", ordered("text", help, "markdown", help.replace("\n", "  \n")));
        rule.put("defaultConfiguration", Map.of("level", level(f.severity())));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tags", List.of(f.kind().id(), "security", f.severity().name()));
        props.put("precision", "very-high");
        props.put("security-severity", score(f.severity()));
        rule.put("properties", props);
        rules.add(rule);
        index.put(f.id(), rules.size() - 1);
        return rules.size() - 1;
    }

    private static Map<String, Object> result(Finding f, int ruleIndex, Suppression suppression) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ruleId", f.id());
        result.put("ruleIndex", ruleIndex);
        result.put("level", level(f.severity()));
        StringBuilder message = new StringBuilder(f.severity() + " " + f.kind().id() + " " + f.id());
        if (f.pkgName() != null) {
            message.append("\nPackage: ").append(f.pkgName());
        }
        if (f.installedVersion() != null) {
            message.append("\nInstalled Version: ").append(f.installedVersion());
        }
        if (f.kind() == FindingKind.VULNERABILITY) {
            message.append("\nFixed Version: ").append(f.fixedVersion() == null ? "none" : f.fixedVersion());
        }
        message.append("\nTarget: ").append(f.location());
        result.put("message", Map.of("text", message.toString()));
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("startLine", line(f));
        region.put("startColumn", 1);
        Map<String, Object> physical = new LinkedHashMap<>();
        physical.put("artifactLocation", ordered("uri", uri(f), "uriBaseId", "ROOTPATH"));
        physical.put("region", region);
        result.put("locations", List.of(Map.of("physicalLocation", physical)));
        if (suppression != null) {
            result.put("suppressions", List.of(ordered("kind", "external", "status", "accepted",
                    "justification", suppression.detail()
                            + (suppression.statement() == null ? "" : ": " + suppression.statement()))));
        }
        return result;
    }

    private static int line(Finding f) {
        if (f.kind() == FindingKind.SECRET && f.pkgPath() != null && f.target() != null
                && f.pkgPath().startsWith(f.target() + ":")) {
            try {
                return Math.max(1, Integer.parseInt(f.pkgPath().substring(f.target().length() + 1)));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
    }

    private static String uri(Finding f) {
        String path = f.kind() != FindingKind.SECRET && f.pkgPath() != null && !f.pkgPath().isEmpty() ? f.pkgPath()
                : f.target() == null || f.target().isEmpty() ? "unknown" : f.target();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29");
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    static String score(Severity s) {
        return String.format(Locale.ROOT, "%.1f", switch (s) {
            case CRITICAL -> 9.5;
            case HIGH -> 8.0;
            case MEDIUM -> 5.5;
            case LOW -> 2.0;
            case UNKNOWN -> 0.0;
        });
    }

    /** Map.of with more than one key iterates in a per-JVM random order; SARIF output must be the same on every run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
