package com.koreapublicdata.pipeline.scan;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.config.Severity;

/** Text for people: the verdict, counts by severity and target, the blocking findings, then the suppressions. */
final class TextRenderer implements ScanRenderer {
    private static final int TARGETS_SHOWN = 20;
    private static final String RED = "\u001b[31;1m";
    private static final String GREEN = "\u001b[32;1m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    @Override
    public String id() {
        return "text";
    }

    @Override
    public void render(ScanReport r, PrintWriter out, boolean color) {
        String verdict = r.passed() ? paint("PASS", GREEN, color) : paint("FAIL", RED, color);
        out.println("Security gate: " + verdict + " -- " + (r.blockingTotal() == 0 ? (r.scanErrors().isEmpty()
                ? "no finding blocks" : "part of the scan failed")
                : r.blockingTotal() + (r.blockingTotal() == 1 ? " finding blocks" : " findings block")));
        out.println("  policy: fail on " + join(r.policy().blockingOrdered())
                + (r.policy().ignoreUnfixed() ? "; unfixed vulnerabilities ignored" : "")
                + (r.policy().ignoreStatuses().isEmpty() ? "" : "; statuses ignored: "
                        + String.join(", ", r.policy().ignoreStatuses()))
                + (r.policy().secrets() ? "" : "; secrets not gated")
                + (r.policy().misconfigurations() ? "" : "; misconfigurations not gated")
                + (r.policy().ignores().file() == null ? "" : "; ignore file " + r.policy().ignores().file()));
        for (ReportInfo info : r.reports()) {
            out.println("  report: " + info.source() + " (" + info.format()
                    + (info.scannerVersion() == null ? "" : ", " + info.scanner() + " " + info.scannerVersion())
                    + (info.artifactName() == null ? "" : ", " + info.artifactName()) + ")");
        }
        out.println();
        out.println("Findings after ignore rules, before the gate:");
        out.printf("  %-20s %8s %6s %6s %6s %7s %7s%n", "", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "total");
        for (Map.Entry<String, Map<Severity, Long>> kind : r.counts().entrySet()) {
            Map<Severity, Long> c = kind.getValue();
            out.printf("  %-20s %8d %6d %6d %6d %7d %7d%n", kind.getKey(), c.get(Severity.CRITICAL),
                    c.get(Severity.HIGH), c.get(Severity.MEDIUM), c.get(Severity.LOW), c.get(Severity.UNKNOWN),
                    c.values().stream().mapToLong(Long::longValue).sum());
        }
        if (!r.targets().isEmpty()) {
            out.println();
            out.println("By target (CRITICAL/HIGH/MEDIUM/LOW/UNKNOWN):");
            List<ScanReport.TargetCount> shown = r.targets().subList(0, Math.min(TARGETS_SHOWN, r.targets().size()));
            for (ScanReport.TargetCount t : shown) {
                Map<Severity, Long> c = t.counts();
                out.printf("  %d/%d/%d/%d/%d  %s%n", c.get(Severity.CRITICAL), c.get(Severity.HIGH),
                        c.get(Severity.MEDIUM), c.get(Severity.LOW), c.get(Severity.UNKNOWN), t.target());
            }
            if (r.targets().size() > shown.size()) {
                out.println("  ... and " + (r.targets().size() - shown.size()) + " more targets (see --format json)");
            }
        }
        out.println();
        if (r.blockingTotal() == 0) {
            out.println("Blocking: none");
        } else {
            out.println("Blocking (" + r.blockingTotal() + (r.blocking().size() < r.blockingTotal()
                    ? ", the " + r.blocking().size() + " most severe listed" : "") + "):");
            for (Finding f : r.blocking()) {
                out.println("  " + paint(String.format("%-8s", f.severity()), color(f.severity()), color) + " "
                        + f.kind().id() + " " + f.id() + describe(f));
                out.println("           in " + f.location()
                        + (f.title() == null ? "" : " -- " + f.title()));
            }
        }
        if (r.suppressedTotal() > 0) {
            out.println();
            out.println("Suppressed (" + r.suppressedTotal() + (r.suppressed().size() < r.suppressedTotal()
                    ? ", the first " + r.suppressed().size() + " listed" : "") + "):");
            for (Suppression s : r.suppressed()) {
                Finding f = s.finding();
                out.println("  " + String.format("%-8s", f.severity()) + " " + f.id() + describe(f) + " -- "
                        + s.detail() + (s.statement() == null ? "" : ": " + s.statement()));
            }
        }
        if (!r.expiredIgnores().isEmpty()) {
            out.println();
            out.println("Expired exceptions (they no longer suppress anything):");
            for (ExpiredIgnore e : r.expiredIgnores()) {
                out.println("  " + paint(e.id(), YELLOW, color) + " at " + e.source() + " expired " + e.expires()
                        + " (matches " + e.matched() + " finding" + (e.matched() == 1 ? "" : "s") + " here)"
                        + (e.statement() == null ? "" : ": " + e.statement()));
            }
        }
        if (!r.scanErrors().isEmpty()) {
            out.println();
            out.println(paint("Not scanned", RED, color) + " (the gate cannot pass while part of the scan failed):");
            r.scanErrors().forEach(e -> out.println("  " + e));
        }
        for (String warning : r.warnings()) {
            out.println("warning: " + warning);
        }
        out.println();
        if (r.record() != null) {
            out.println("Scan record: " + r.record() + " (" + r.digest() + ")");
        } else {
            out.println("Scan record: none -- " + r.recordNote());
        }
    }

    private static String describe(Finding f) {
        StringBuilder sb = new StringBuilder();
        if (f.pkgName() != null) {
            sb.append("  ").append(f.pkgName());
            if (f.installedVersion() != null) {
                sb.append(' ').append(f.installedVersion());
            }
            if (f.kind() == FindingKind.VULNERABILITY) {
                sb.append(f.fixedVersion() == null || f.fixedVersion().isEmpty() ? " (no fix)"
                        : " -> fixed in " + f.fixedVersion());
            }
        }
        return sb.toString();
    }

    private static String color(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> RED;
            case MEDIUM, UNKNOWN -> YELLOW;
            default -> "";
        };
    }

    private static String paint(String text, String code, boolean color) {
        return color && !code.isEmpty() ? code + text + RESET : text;
    }

    private static String join(List<Severity> severities) {
        return String.join(", ", severities.stream().map(Enum::name).toList());
    }
}
