package com.koreapublicdata.pipeline.scan;

import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * JUnit XML for Jenkins' test view: each blocking finding is a failed test case (class = target, name = id and
 * package), so the build's test report lists them; suppressed findings are skipped test cases; a clean gate is
 * one passing test case.
 */
final class JunitRenderer implements ScanRenderer {

    @Override
    public String id() {
        return "junit";
    }

    @Override
    public void render(ScanReport r, PrintWriter out, boolean color) {
        long truncated = r.blockingTotal() - r.blocking().size();
        int tests = r.blocking().size() + r.suppressed().size() + (truncated > 0 ? 1 : 0)
                + (r.blockingTotal() == 0 ? 1 : 0);
        int failures = r.blocking().size() + (truncated > 0 ? 1 : 0);
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuites name=\"korea scan\" tests=\"" + tests + "\" failures=\"" + failures + "\">");
        out.println("  <testsuite name=\"security-gate\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + r.suppressed().size() + "\" timestamp=\""
                + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.time().atOffset(ZoneOffset.UTC).withNano(0)) + "\">");
        out.println("    <properties>");
        out.println("      <property name=\"verdict\" value=\"" + r.verdict() + "\"/>");
        out.println("      <property name=\"failOn\" value=\"" + Markup.escape(String.join(",",
                r.policy().blockingOrdered().stream().map(Enum::name).toList())) + "\"/>");
        if (r.digest() != null) {
            out.println("      <property name=\"digest\" value=\"" + Markup.escape(r.digest()) + "\"/>");
        }
        out.println("    </properties>");
        if (r.blockingTotal() == 0) {
            out.println("    <testcase classname=\"security-gate\" name=\"no finding of " + Markup.escape(String.join(
                    ", ", r.policy().blockingOrdered().stream().map(Enum::name).toList())) + " severity\"/>");
        }
        for (Finding f : r.blocking()) {
            out.println("    <testcase classname=\"" + Markup.escape(className(f)) + "\" name=\"" + Markup.escape(name(f))
                    + "\">");
            out.println("      <failure type=\"" + f.severity() + "\" message=\"" + Markup.escape(f.severity() + " "
                    + f.kind().id() + " " + f.id() + (f.title() == null ? "" : ": " + f.title())) + "\">"
                    + Markup.escape(details(f)) + "</failure>");
            out.println("    </testcase>");
        }
        if (truncated > 0) {
            out.println("    <testcase classname=\"security-gate\" name=\"" + truncated
                    + " more blocking findings\">");
            out.println("      <failure type=\"truncated\" message=\"" + truncated
                    + " more blocking findings are not listed; see the JSON or text output\"/>");
            out.println("    </testcase>");
        }
        for (Suppression s : r.suppressed()) {
            Finding f = s.finding();
            out.println("    <testcase classname=\"" + Markup.escape(className(f)) + "\" name=\"" + Markup.escape(name(f))
                    + "\">");
            out.println("      <skipped message=\"" + Markup.escape(s.detail()
                    + (s.statement() == null ? "" : ": " + s.statement())) + "\"/>");
            out.println("    </testcase>");
        }
        out.println("  </testsuite>");
        out.println("</testsuites>");
    }

    private static String className(Finding f) {
        String location = f.resource() == null ? f.target() : f.resource() + ": " + f.target();
        return location == null || location.isEmpty() ? f.kind().id() : location;
    }

    private static String name(Finding f) {
        return f.id() + (f.pkgName() == null ? "" : " " + f.pkgName()
                + (f.installedVersion() == null ? "" : " " + f.installedVersion()));
    }

    private static String details(Finding f) {
        StringBuilder sb = new StringBuilder();
        sb.append("Kind: ").append(f.kind().id()).append('\n');
        sb.append("Severity: ").append(f.severity()).append('\n');
        sb.append("Where: ").append(f.location()).append('\n');
        if (f.pkgName() != null) {
            sb.append("Package: ").append(f.pkgName()).append('\n');
        }
        if (f.installedVersion() != null) {
            sb.append("Installed: ").append(f.installedVersion()).append('\n');
        }
        if (f.kind() == FindingKind.VULNERABILITY) {
            sb.append("Fixed in: ").append(f.fixedVersion() == null || f.fixedVersion().isEmpty() ? "no fix yet"
                    : f.fixedVersion()).append('\n');
        }
        if (f.status() != null) {
            sb.append("Status: ").append(f.status()).append('\n');
        }
        if (f.primaryUrl() != null) {
            sb.append("More: ").append(f.primaryUrl()).append('\n');
        }
        return sb.toString();
    }
}
