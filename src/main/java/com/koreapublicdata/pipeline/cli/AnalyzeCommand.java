package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.Outcome;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.AnalysisRound;
import com.koreapublicdata.pipeline.analysis.AnalysisVerdict;
import com.koreapublicdata.pipeline.analysis.BaselineComparison;
import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
import com.koreapublicdata.pipeline.analysis.CheckResult;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.Sleeper;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.config.AnalysisSettings;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.config.Environment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "analyze", header = "Check a deployed version against the rollback conditions (error rate, latency, health).",
        description = {"Runs the analysis korea.yaml describes (analysis: errorRate, latency, custom PromQL checks, "
                + "healthCheck) for one component in one environment and prints each check's value, threshold and verdict.",
                "Without --duration: one round now, and any failed check fails. With --duration: a round every "
                + "analysis.interval (the first one interval from now) until a check reaches its failure limit or the "
                + "duration ends, exactly as during a deploy.",
                "With analysis.compare: baseline it also compares the canary's samples with the stable pods' over "
                + "analysis.baseline.window (default --duration, else 5m): Mann-Whitney U test, effect size, score.",
                "A bearer token for Prometheus is read from the environment variable KOREA_PROMETHEUS_TOKEN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the analysis passed",
            "1:inconclusive: Prometheus could not answer and nothing else failed; nothing was decided",
            "2:bad input (unknown component or environment, bad --duration, invalid korea.yaml, nothing to check)",
            "10:the analysis failed"
        },
        footerHeading = "%nExamples:%n",
        footer = {"  korea analyze --component backend --environment production --version v1.4.2",
                "  korea analyze -c korea.yaml --component backend --environment staging --duration 5m --format json",
                "  korea analyze --component backend --environment production --canary 6f8b9c --baseline 5d7a41  "
                        + "# analysis.compare: baseline"})
final class AnalyzeCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component to analyse.")
    String component;

    @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment it runs in.")
    String environment;

    @Option(names = "--version", paramLabel = "V",
            description = "The new version's label value (the {version} in queries); without it, every version.")
    String version;

    @Option(names = "--duration", paramLabel = "D",
            description = "Keep analysing this long (e.g. 5m), stopping at the first check that reaches its limit.")
    String duration;

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL (default: analysis.prometheus).")
    String prometheus;

    @Option(names = "--canary", paramLabel = "VALUE", description = "With analysis.compare: baseline, the value of "
            + "analysis.baseline.label on canary pods (default: analysis.baseline.canary), e.g. the canary's pod-template hash.")
    String canary;

    @Option(names = "--baseline", paramLabel = "VALUE", description = "With analysis.compare: baseline, the value of "
            + "analysis.baseline.label on stable pods (default: analysis.baseline.stable).")
    String baseline;

    AnalyzeCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", component);
        m.put("environment", environment);
        return m;
    }

    /** The JSON result. */
    record Report(String component, String environment, String namespace, String version, String duration,
            String prometheus, AnalysisVerdict verdict, BaselineVerdict comparison) {
    }

    @Override
    protected Result execute() {
        ConfigFile file = config.load(context);
        file.config().component(component).orElseThrow(() -> KoreaException.invalidInput("--component " + component
                + ": no such component in " + file.path() + "; known: " + String.join(", ", file.config().components().keySet())));
        Environment env = file.config().environment(environment).orElseThrow(() -> KoreaException.invalidInput(
                "--environment " + environment + ": no such environment in " + file.path() + "; known: "
                        + String.join(", ", file.config().environments().keySet())));
        Duration length = duration == null ? null : Durations.parse(duration).orElseThrow(() -> KoreaException
                .invalidInput("--duration " + duration + ": expected a duration such as 30s, 5m or 1h30m"));
        AnalysisSettings s = file.config().analysis();
        String url = prometheus != null ? prometheus : s.prometheus();
        AnalysisSettings settings = s.withPrometheus(url);
        TargetLabels target = new TargetLabels(component, environment, env.namespace(), version);
        BaselineComparison comparison = null;
        BaselineComparison.Tracks tracks = null;
        if (settings.comparesBaseline()) {
            comparison = new BaselineComparison(settings.baseline(), target, url == null ? null
                    : PrometheusClient.http(url, Duration.ofSeconds(10), context.env().get("KOREA_PROMETHEUS_TOKEN")));
            tracks = comparison.tracks(canary, baseline);
        } else if (canary != null || baseline != null) {
            throw KoreaException.invalidInput("--canary and --baseline need analysis.compare: baseline in " + file.path());
        }
        Analysis analysis = new Analysis(settings, target,
                url == null ? null : PrometheusClient.http(url, Duration.ofSeconds(10),
                        context.env().get("KOREA_PROMETHEUS_TOKEN")),
                HttpClient.newBuilder().connectTimeout(settings.healthCheck().timeout()).build(), context.clock(),
                Sleeper.system());

        AnalysisVerdict verdict;
        if (length == null) {
            verdict = analysis.checkOnce();
        } else {
            context.err().println("analysing " + component + " in " + environment + " for " + Durations.format(length)
                    + ", a round every " + Durations.format(settings.interval()));
            context.err().flush();
            verdict = analysis.runFor(length, round -> {
                context.err().println(progress(round));
                context.err().flush();
            });
        }
        BaselineVerdict compared = null;
        if (comparison != null) {
            Duration window = settings.baseline().window() != null ? settings.baseline().window()
                    : length != null ? length : Duration.ofMinutes(5);
            compared = comparison.compare(tracks, context.clock().instant(), window);
        }
        Report report = new Report(component, environment, env.namespace(), version,
                length == null ? null : Durations.format(length), PrometheusClient.redact(url), verdict, compared);
        // either judge can stop a canary; a marginal comparison is not a pass either
        BaselineVerdict.Outcome c = compared == null ? BaselineVerdict.Outcome.PASS : compared.outcome();
        Outcome outcome = Outcome.PASSED;
        String message = verdict.reason();
        if (verdict.outcome() == AnalysisVerdict.Outcome.FAILED || c == BaselineVerdict.Outcome.FAIL
                || c == BaselineVerdict.Outcome.MARGINAL) {
            outcome = Outcome.REFUSED;
            message = verdict.outcome() == AnalysisVerdict.Outcome.FAILED ? verdict.reason() : compared.reason();
        } else if (verdict.outcome() == AnalysisVerdict.Outcome.INCONCLUSIVE || c == BaselineVerdict.Outcome.INCONCLUSIVE) {
            // inconclusive decides nothing: exit 1, like any failure to find out
            outcome = Outcome.FAILED;
            message = verdict.outcome() == AnalysisVerdict.Outcome.INCONCLUSIVE ? verdict.reason() : compared.reason();
            context.err().println("korea: analysis inconclusive: " + message);
        }
        Map<String, Object> json = Json.fields(report);
        json.putAll(contract(outcome, message));
        return result(outcome.exitCode(), json, out -> printText(out, report));
    }

    private static String shown(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String progress(AnalysisRound round) {
        StringBuilder sb = new StringBuilder("round " + round.number() + ":");
        for (CheckResult c : round.checks()) {
            sb.append(' ').append(c.name()).append('=').append(c.shown()).append(' ').append(c.status().id());
        }
        return sb.toString();
    }

    private static void printText(PrintWriter out, Report r) {
        AnalysisVerdict v = r.verdict();
        out.println("Analysis of " + r.component() + " in " + r.environment()
                + (r.version() == null ? "" : " (version " + r.version() + ")") + ": "
                + v.outcome().id().toUpperCase(Locale.ROOT));
        out.println("  " + v.reason());
        if (r.comparison() != null) {
            BaselineVerdict b = r.comparison();
            out.println("  " + b.reason());
            out.printf(Locale.ROOT, "  %-16s %-12s %-12s %-8s %-8s %s%n", "metric", "canary", "baseline", "p", "effect", "verdict");
            for (BaselineVerdict.Metric m : b.metrics()) {
                out.printf(Locale.ROOT, "  %-16s %-12s %-12s %-8s %-8s %s%n", m.name(), shown(m.canaryMedian()),
                        shown(m.baselineMedian()), m.pValue() == null ? "-" : String.format(Locale.ROOT, "%.4f", m.pValue()),
                        m.effect() == null ? "-" : String.format(Locale.ROOT, "%+.0f%%", m.effect() * 100),
                        m.status().id() + (m.failed() ? " (fails)" : ""));
            }
        }
        AnalysisRound last = v.lastRound();
        if (last == null) {
            return;
        }
        out.println("  round " + last.number() + (r.duration() == null ? "" : " of up to " + r.duration()) + " at "
                + last.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        out.printf(Locale.ROOT, "  %-16s %-12s %-22s %-8s %s%n", "check", "value", "threshold", "verdict", "failures");
        for (CheckResult c : last.checks()) {
            out.printf(Locale.ROOT, "  %-16s %-12s %-22s %-8s %d/%d%n", c.name(), c.shown(), c.threshold(),
                    c.status().id(), c.failures(), c.failureLimit());
            if (c.message() != null && c.failed()) {
                out.println("      " + c.message());
            }
        }
    }
}
