package com.koreapublicdata.pipeline.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.build.BuildResult.AuditResult;
import com.koreapublicdata.pipeline.config.ComponentKind;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * The seed's dependency audits: {@code npm audit} for node, bandit and pip-audit (or safety) for python. Each
 * auditor is reported as ran, missing or unavailable; only findings from one that ran can refuse the build, and
 * an auditor that could not answer is a visible warning, never a disguised pass.
 */
public final class DependencyAudits {
    static final String RAN = "ran";
    static final String MISSING = "missing";
    static final String UNAVAILABLE = "unavailable";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final CommandRunner runner;
    private final Map<String, String> env;
    private final Binaries binaries;
    private final Set<Severity> blocking;

    /** @param blocking severities that refuse the build (scan.failOn, plus UNKNOWN unless scan.allowUnknown) */
    public DependencyAudits(CommandRunner runner, Map<String, String> env, Set<Severity> blocking) {
        this.runner = runner;
        this.env = env;
        this.binaries = new Binaries(env);
        this.blocking = Set.copyOf(blocking);
    }

    public List<AuditResult> audit(ComponentKind kind, Path dir, Consumer<String> lines) {
        List<AuditResult> results = new ArrayList<>();
        switch (kind) {
            case NODE -> results.add(npmAudit(dir, lines));
            case PYTHON -> {
                results.add(bandit(dir, lines));
                results.add(pythonDependencies(dir, lines));
            }
            default -> {
                // no dependency auditor in the seed for maven or custom components; the image scan covers them
            }
        }
        return results;
    }

    private AuditResult npmAudit(Path dir, Consumer<String> lines) {
        if (binaries.find("npm").isEmpty()) {
            return missing("npm-audit", "npm is not on PATH");
        }
        if (!Files.exists(dir.resolve("package-lock.json")) && !Files.exists(dir.resolve("npm-shrinkwrap.json"))) {
            return new AuditResult("npm-audit", UNAVAILABLE, Map.of(), false,
                    "no package-lock.json: npm audit needs a lockfile (run npm install and commit it)");
        }
        CommandRunner.Execution run = runner.run(List.of("npm", "audit", "--audit-level", "high", "--json"), dir, env,
                TIMEOUT, quiet(lines));
        return npmAudit(run.stdout(), run.stderr(), blocking);
    }

    /** Reads {@code npm audit --json} (npm 7+, and npm 6's metadata block). */
    static AuditResult npmAudit(String stdout, String stderr, Set<Severity> blocking) {
        Optional<JsonNode> json = parse(stdout);
        JsonNode counts = json.map(j -> j.path("metadata").path("vulnerabilities")).orElse(null);
        if (counts == null || !counts.isObject() || !counts.has("high")) {
            String why = json.map(j -> text(j.path("message"), text(j.path("error").path("summary"),
                    text(j.path("error").path("code"), null)))).orElse(null);
            if (why == null) {
                why = lastLine(stderr);
            }
            return new AuditResult("npm-audit", UNAVAILABLE, Map.of(), false,
                    "npm audit could not get an answer from the registry: " + why);
        }
        Map<String, Integer> findings = new LinkedHashMap<>();
        add(findings, Severity.CRITICAL, counts.path("critical").asInt());
        add(findings, Severity.HIGH, counts.path("high").asInt());
        add(findings, Severity.MEDIUM, counts.path("moderate").asInt());
        // npm's info level is below low; it counts as LOW rather than UNKNOWN so it never gates
        add(findings, Severity.LOW, counts.path("low").asInt() + counts.path("info").asInt());
        return ran("npm-audit", findings, blocking);
    }

    private AuditResult bandit(Path dir, Consumer<String> lines) {
        if (binaries.find("bandit").isEmpty()) {
            return missing("bandit", "bandit is not installed (pip install bandit)");
        }
        CommandRunner.Execution run = runner.run(List.of("bandit", "-r", ".", "-f", "json", "-q", "-x",
                "./.venv,./venv,./node_modules,./.git"), dir, env, TIMEOUT, quiet(lines));
        return bandit(run.stdout(), run.stderr(), blocking);
    }

    /** Reads {@code bandit -f json}: each result's issue_severity (LOW, MEDIUM, HIGH). */
    static AuditResult bandit(String stdout, String stderr, Set<Severity> blocking) {
        Optional<JsonNode> json = parse(stdout);
        if (json.isEmpty() || !json.get().path("results").isArray()) {
            return new AuditResult("bandit", UNAVAILABLE, Map.of(), false, "bandit gave no JSON report: "
                    + lastLine(stderr));
        }
        Map<String, Integer> findings = new LinkedHashMap<>();
        for (JsonNode result : json.get().path("results")) {
            Severity severity = severity(result.path("issue_severity").asText(""));
            findings.merge(severity.name(), 1, Integer::sum);
        }
        return ran("bandit", findings, blocking);
    }

    private AuditResult pythonDependencies(Path dir, Consumer<String> lines) {
        boolean requirements = Files.exists(dir.resolve("requirements.txt"));
        if (binaries.find("pip-audit").isPresent()) {
            if (!requirements) {
                return new AuditResult("pip-audit", UNAVAILABLE, Map.of(), false, "no requirements.txt to audit");
            }
            CommandRunner.Execution run = runner.run(List.of("pip-audit", "-r", "requirements.txt", "-f", "json",
                    "--progress-spinner", "off"), dir, env, TIMEOUT, quiet(lines));
            return pythonVulnerabilities("pip-audit", run.stdout(), run.stderr(), blocking);
        }
        if (binaries.find("safety").isPresent()) {
            if (!requirements) {
                return new AuditResult("safety", UNAVAILABLE, Map.of(), false, "no requirements.txt to audit");
            }
            CommandRunner.Execution run = runner.run(List.of("safety", "check", "-r", "requirements.txt", "--json"),
                    dir, env, TIMEOUT, quiet(lines));
            return pythonVulnerabilities("safety", run.stdout(), run.stderr(), blocking);
        }
        return missing("pip-audit", "neither pip-audit nor safety is installed (pip install pip-audit)");
    }

    /**
     * pip-audit ({@code dependencies[].vulns[]}) and safety ({@code vulnerabilities[]}, or a bare list in old
     * versions) give no severity: every finding counts as UNKNOWN, which refuses unless scan.allowUnknown.
     */
    static AuditResult pythonVulnerabilities(String auditor, String stdout, String stderr, Set<Severity> blocking) {
        Optional<JsonNode> json = parse(stdout);
        if (json.isEmpty()) {
            return new AuditResult(auditor, UNAVAILABLE, Map.of(), false, auditor + " gave no JSON report: "
                    + lastLine(stderr));
        }
        JsonNode root = json.get();
        int count = 0;
        if (root.path("dependencies").isArray()) {
            for (JsonNode dependency : root.path("dependencies")) {
                count += dependency.path("vulns").size();
            }
        } else if (root.path("vulnerabilities").isArray()) {
            count = root.path("vulnerabilities").size();
        } else if (root.isArray()) {
            count = root.size();
        } else {
            return new AuditResult(auditor, UNAVAILABLE, Map.of(), false, auditor + " report has no vulnerability list: "
                    + text(root.path("message"), lastLine(stderr)));
        }
        Map<String, Integer> findings = new LinkedHashMap<>();
        add(findings, Severity.UNKNOWN, count);
        return ran(auditor, findings, blocking);
    }

    private static AuditResult ran(String auditor, Map<String, Integer> findings, Set<Severity> blocking) {
        List<String> over = new ArrayList<>();
        findings.forEach((severity, count) -> {
            if (count > 0 && blocking.contains(Severity.valueOf(severity))) {
                over.add(count + " " + severity);
            }
        });
        int total = findings.values().stream().mapToInt(Integer::intValue).sum();
        String message = over.isEmpty() ? total + " finding" + (total == 1 ? "" : "s") + ", none blocking"
                : "blocking findings: " + String.join(", ", over);
        return new AuditResult(auditor, RAN, findings, !over.isEmpty(), message);
    }

    private static AuditResult missing(String auditor, String why) {
        return new AuditResult(auditor, MISSING, Map.of(), false, why);
    }

    private static void add(Map<String, Integer> findings, Severity severity, int count) {
        findings.put(severity.name(), findings.getOrDefault(severity.name(), 0) + count);
    }

    private static Severity severity(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "CRITICAL" -> Severity.CRITICAL;
            case "HIGH" -> Severity.HIGH;
            case "MEDIUM", "MODERATE" -> Severity.MEDIUM;
            case "LOW", "INFO" -> Severity.LOW;
            default -> Severity.UNKNOWN;
        };
    }

    private static Optional<JsonNode> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            // some tools print a banner before the JSON; the mapper is made here, only when an audit ran (it
            // was a class constant, made by every korea build: a quarter of an image build's start)
            int start = text.indexOf('{');
            int list = text.indexOf('[');
            if (list >= 0 && (start < 0 || list < start)) {
                start = list;
            }
            return start < 0 ? Optional.empty() : Optional.of(JsonMapping.mapper().readTree(text.substring(start)));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : otherwise;
    }

    private static String lastLine(String text) {
        return text == null ? "no output" : text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
    }

    // the JSON report is parsed, not streamed; only the tool's stderr lines are worth showing
    private static Consumer<String> quiet(Consumer<String> lines) {
        return line -> {
            if (!line.startsWith("{") && !line.startsWith("}") && !line.startsWith(" ") && !line.startsWith("\"")
                    && !line.startsWith("[") && !line.startsWith("]")) {
                lines.accept(line);
            }
        };
    }
}
