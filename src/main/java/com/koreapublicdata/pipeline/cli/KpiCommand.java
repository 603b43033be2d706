package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.metrics.Kpi;
import com.koreapublicdata.pipeline.metrics.KpiReport;
import com.koreapublicdata.pipeline.metrics.Kpis;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kpi", header = "Show the deployment KPIs: success rate, deploy time, rollback time, downtime, lead time, change failure rate, deployment frequency.",
        description = {"Computes the KPI table from the deployment log (<stateDir>/deployments.jsonl), each KPI with its "
                + "value, target and whether it was met. Definitions: docs/metrics.md.",
                "A missed KPI is information, not a failure: the exit code does not depend on the KPIs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the KPIs were computed (met or not)",
            "1:the deployment log could not be read",
            "2:bad input (unknown environment, bad --since, invalid korea.yaml)"
        },
        footerHeading = "%nExamples:%n",
        footer = {"  korea kpi", "  korea kpi --since 7d --environment production --format json"})
final class KpiCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "D", defaultValue = "30d",
            description = "Look at the last D (e.g. 7d, 12h), or 'all' (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (default: all).")
    String environment;

    KpiCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", environment);
        return m;
    }

    @Override
    protected Result execute() {
        ConfigFile file = config.load(context);
        if (environment != null && file.config().environment(environment).isEmpty()) {
            throw KoreaException.invalidInput("--environment " + environment + ": no such environment in " + file.path()
                    + "; known: " + String.join(", ", file.config().environments().keySet()));
        }
        Instant now = context.clock().instant();
        Instant from = null;
        if (!"all".equals(since)) {
            Duration d = Durations.parse(since).orElseThrow(() -> KoreaException.invalidInput("--since " + since
                    + ": expected a duration such as 7d, 12h or 30m, or 'all'"));
            from = now.minus(d);
        }
        KpiReport report = Kpis.compute(new DeploymentLog(file.stateDir()).read(), from, environment, now);
        Map<String, Object> json = Json.fields(report);
        json.putAll(contract(Outcome.PASSED, report.promotions() + " finished promotion(s), " + report.failed()
                + " failed, " + report.rollbacks() + " rollback(s)"));
        return result(ExitCode.OK, json, out -> printText(out, report));
    }

    private static void printText(PrintWriter out, KpiReport r) {
        out.println("Deployment KPIs for " + (r.environment() == null ? "all environments" : r.environment())
                + (r.since() == null ? ", all history"
                : " since " + r.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + ": " + r.promotions()
                + " finished promotion(s), " + r.failed() + " failed, " + r.rollbacks() + " rollback(s)");
        out.printf(Locale.ROOT, "  %-38s %-10s %-8s %s%n", "KPI", "value", "target", "status");
        for (Kpi k : r.kpis()) {
            out.printf(Locale.ROOT, "  %-38s %-10s %-8s %s%n", k.title(), k.shown(), k.target(),
                    k.status().id().replace('-', ' ').toUpperCase(Locale.ROOT));
            out.println("      " + k.detail());
        }
        for (KpiReport.Frequency f : r.frequency()) {
            out.printf(Locale.ROOT, "  deployments to %-22s %d in %.0f day(s): %.2f/day, %.2f/week%n", f.environment(),
                    f.deployments(), f.days(), f.perDay(), f.perWeek());
        }
    }
}
