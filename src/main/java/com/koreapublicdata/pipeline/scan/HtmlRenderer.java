package com.koreapublicdata.pipeline.scan;

import static com.koreapublicdata.pipeline.scan.Markup.escape;

import java.io.PrintWriter;
import java.util.Map;

import com.koreapublicdata.pipeline.config.Severity;

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched) for archiving with the build:
 * the verdict, a severity chart, counts, blocking and suppressed findings.
 */
final class HtmlRenderer implements ScanRenderer {
    private static final int TARGETS_SHOWN = 50;

    @Override
    public String id() {
        return "html";
    }

    @Override
    public void render(ScanReport r, PrintWriter out, boolean color) {
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<title>korea scan: " + r.verdict() + "</title>");
        out.println("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
                + "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                + "th{background:#f3f3f3}.pass{color:#1a7f37}.fail{color:#cf222e}.num{text-align:right}"
                + ".CRITICAL{color:#8b0000;font-weight:bold}.HIGH{color:#cf222e}.MEDIUM{color:#b35900}"
                + ".LOW{color:#555}.UNKNOWN{color:#6f42c1}small{color:#666}</style>");
        out.println("</head><body>");
        out.println("<h1>Security gate: <span class=\"" + r.verdict() + "\">" + r.verdict().toUpperCase() + "</span></h1>");
        out.println("<p>" + r.blockingTotal() + " blocking, " + r.suppressedTotal() + " suppressed, " + r.total()
                + " counted. Policy: fail on " + escape(String.join(", ", r.policy().blockingOrdered().stream()
                        .map(Enum::name).toList()))
                + (r.policy().ignoreUnfixed() ? "; unfixed ignored" : "")
                + (r.policy().ignoreStatuses().isEmpty() ? "" : "; statuses ignored: "
                        + escape(String.join(", ", r.policy().ignoreStatuses())))
                + ". <small>" + escape(r.time().toString()) + "</small></p>");
        out.println("<ul>");
        for (ReportInfo info : r.reports()) {
            out.println("<li>" + escape(info.source()) + " <small>(" + escape(info.format())
                    + (info.scannerVersion() == null ? "" : ", " + escape(info.scanner() + " " + info.scannerVersion()))
                    + (info.artifactName() == null ? "" : ", " + escape(info.artifactName())) + ")</small></li>");
        }
        out.println("</ul>");
        chart(r, out);
        out.println("<h2>Counts</h2><table><tr><th></th>");
        for (Severity s : order()) {
            out.println("<th class=\"" + s + "\">" + s + "</th>");
        }
        out.println("<th>total</th></tr>");
        for (Map.Entry<String, Map<Severity, Long>> kind : r.counts().entrySet()) {
            out.print("<tr><th>" + kind.getKey() + "</th>");
            long total = 0;
            for (Severity s : order()) {
                long n = kind.getValue().get(s);
                total += n;
                out.print("<td class=\"num\">" + n + "</td>");
            }
            out.println("<td class=\"num\">" + total + "</td></tr>");
        }
        out.println("</table>");
        if (!r.targets().isEmpty()) {
            out.println("<h2>By target</h2><table><tr><th>target</th>");
            for (Severity s : order()) {
                out.println("<th class=\"" + s + "\">" + s + "</th>");
            }
            out.println("</tr>");
            r.targets().stream().limit(TARGETS_SHOWN).forEach(t -> {
                out.print("<tr><td>" + escape(t.target()) + "</td>");
                for (Severity s : order()) {
                    out.print("<td class=\"num\">" + t.counts().get(s) + "</td>");
                }
                out.println("</tr>");
            });
            out.println("</table>");
            if (r.targets().size() > TARGETS_SHOWN) {
                out.println("<p><small>" + (r.targets().size() - TARGETS_SHOWN) + " more targets</small></p>");
            }
        }
        out.println("<h2>Blocking (" + r.blockingTotal() + ")</h2>");
        if (!r.blocking().isEmpty()) {
            out.println("<table><tr><th>severity</th><th>kind</th><th>id</th><th>package</th><th>installed</th>"
                    + "<th>fixed in</th><th>where</th><th>title</th></tr>");
            for (Finding f : r.blocking()) {
                out.println(row(f) + "</tr>");
            }
            out.println("</table>");
            if (r.blocking().size() < r.blockingTotal()) {
                out.println("<p><small>the " + r.blocking().size() + " most severe are listed</small></p>");
            }
        }
        if (r.suppressedTotal() > 0) {
            out.println("<h2>Suppressed (" + r.suppressedTotal() + ")</h2>");
            out.println("<table><tr><th>severity</th><th>kind</th><th>id</th><th>package</th><th>installed</th>"
                    + "<th>fixed in</th><th>where</th><th>title</th><th>why</th></tr>");
            for (Suppression s : r.suppressed()) {
                out.println(row(s.finding()) + "<td>" + escape(s.detail()
                        + (s.statement() == null ? "" : ": " + s.statement())) + "</td></tr>");
            }
            out.println("</table>");
        }
        if (!r.expiredIgnores().isEmpty()) {
            out.println("<h2>Expired exceptions</h2><ul>");
            for (ExpiredIgnore e : r.expiredIgnores()) {
                out.println("<li>" + escape(e.id()) + " at " + escape(e.source()) + " expired " + escape(e.expires())
                        + " (matches " + e.matched() + ")</li>");
            }
            out.println("</ul>");
        }
        if (!r.scanErrors().isEmpty()) {
            out.println("<h2 class=\"fail\">Not scanned</h2><ul>");
            r.scanErrors().forEach(e -> out.println("<li>" + escape(e) + "</li>"));
            out.println("</ul>");
        }
        if (!r.warnings().isEmpty()) {
            out.println("<h2>Warnings</h2><ul>");
            r.warnings().forEach(w -> out.println("<li>" + escape(w) + "</li>"));
            out.println("</ul>");
        }
        out.println("<p>Scan record: " + (r.record() != null ? escape(r.record()) + " (" + escape(r.digest()) + ")"
                : "none: " + escape(r.recordNote())) + "</p>");
        out.println("</body></html>");
    }

    private static String row(Finding f) {
        return "<tr><td class=\"" + f.severity() + "\">" + f.severity() + "</td><td>" + f.kind().id() + "</td><td>"
                + (f.primaryUrl() == null ? escape(f.id())
                        : "<a href=\"" + escape(f.primaryUrl()) + "\">" + escape(f.id()) + "</a>")
                + "</td><td>" + escape(f.pkgName()) + "</td><td>" + escape(f.installedVersion()) + "</td><td>"
                + escape(f.fixedVersion()) + "</td><td>" + escape(f.location()) + "</td><td>" + escape(f.title())
                + "</td>";
    }

    /** A horizontal bar per severity (all kinds), scaled to the largest. */
    private static void chart(ScanReport r, PrintWriter out) {
        long max = 1;
        long[] totals = new long[Severity.values().length];
        for (Severity s : order()) {
            long n = 0;
            for (Map<Severity, Long> kind : r.counts().values()) {
                n += kind.get(s);
            }
            totals[s.ordinal()] = n;
            max = Math.max(max, n);
        }
        int barWidth = 400;
        int rowHeight = 26;
        out.println("<svg role=\"img\" aria-label=\"findings by severity\" width=\"" + (barWidth + 200)
                + "\" height=\"" + (rowHeight * 5 + 10) + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        int y = 5;
        for (Severity s : order()) {
            long n = totals[s.ordinal()];
            long w = n == 0 ? 0 : Math.max(2, Math.round((double) n / max * barWidth));
            out.println("<text x=\"0\" y=\"" + (y + 17) + "\" font-size=\"13\">" + s + "</text>");
            out.println("<rect x=\"90\" y=\"" + y + "\" width=\"" + w + "\" height=\"20\" fill=\"" + fill(s)
                    + "\"><title>" + s + ": " + n + "</title></rect>");
            out.println("<text x=\"" + (95 + w) + "\" y=\"" + (y + 15) + "\" font-size=\"12\">" + n + "</text>");
            y += rowHeight;
        }
        out.println("</svg>");
    }

    private static String fill(Severity s) {
        return switch (s) {
            case CRITICAL -> "#8b0000";
            case HIGH -> "#cf222e";
            case MEDIUM -> "#e36209";
            case LOW -> "#9a9a9a";
            case UNKNOWN -> "#6f42c1";
        };
    }

    private static Severity[] order() {
        return new Severity[] {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN};
    }
}
