package com.koreapublicdata.pipeline.wiring;

import com.koreapublicdata.pipeline.deploy.HealthCheck;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.AnalysisVerdict;
import com.koreapublicdata.pipeline.analysis.BaselineComparison;
import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.config.AnalysisSettings;

/**
 * The analysis hook backed by {@code analysis.Analysis}: korea.yaml's PromQL and HTTP checks for the window the
 * engine gives (a canary pause, analysis.verification). Nothing configured passes; anything but passed fails.
 * With analysis.compare: baseline, a canary pause whose thresholds passed is also judged against the stable pods:
 * pass goes on, marginal holds the canary, fail or inconclusive roll back.
 */
public final class AnalysisHealthCheck implements HealthCheck {
    private final AnalysisSettings settings;
    private final String prometheusToken;
    private final Consumer<String> progress;
    private final java.time.Clock clock;

    /** @param prometheusToken from the environment (KOREA_PROMETHEUS_TOKEN), or null */
    public AnalysisHealthCheck(AnalysisSettings settings, String prometheusToken, Consumer<String> progress) {
        this.settings = settings;
        this.prometheusToken = prometheusToken;
        this.progress = progress;
        this.clock = java.time.Clock.systemUTC();
    }

    @Override
    public Verdict check(Request request) {
        if (request.point() == Point.AFTER_ROLLBACK) {
            return afterRollback(request);
        }
        if (settings.prometheus() == null && settings.healthCheck().url() == null) {
            return Verdict.pass("no analysis configured");
        }
        Analysis analysis = Analysis.of(settings, new TargetLabels(request.component(), request.environment(),
                request.namespace(), request.version()), prometheusToken);
        progress.accept("Analysing " + request.component() + " " + request.version() + " for "
                + com.koreapublicdata.pipeline.config.Durations.format(request.window()));
        AnalysisVerdict verdict = analysis.runFor(request.window(), round -> {
        });
        if (verdict.outcome() != AnalysisVerdict.Outcome.PASSED) {
            return Verdict.fail(verdict.outcome().id() + ": " + verdict.reason());
        }
        if (request.point() != Point.CANARY_PAUSE || !settings.comparesBaseline()) {
            return Verdict.pass(verdict.reason());
        }
        return compare(request, verdict);
    }

    /** The thresholds passed; now the canary against its stable pods over the same pause. */
    private Verdict compare(Request request, AnalysisVerdict thresholds) {
        BaselineComparison comparison = new BaselineComparison(settings.baseline(), new TargetLabels(request.component(),
                request.environment(), request.namespace(), request.version()), settings.prometheus() == null ? null
                        : PrometheusClient.http(settings.prometheus(), java.time.Duration.ofSeconds(10), prometheusToken));
        java.time.Duration window = settings.baseline().window() != null ? settings.baseline().window() : request.window();
        BaselineVerdict b = comparison.compare(comparison.tracks(request.canaryHash(), request.stableHash()), clock.instant(),
                window);
        progress.accept(b.reason());
        return switch (b.outcome()) {
            case PASS -> Verdict.pass(thresholds.reason() + "; " + b.reason()).withComparison(b);
            case MARGINAL -> Verdict.hold(b.reason(), b);
            default -> Verdict.fail(b.reason()).withComparison(b);
        };
    }

    /**
     * After a rollback: the seed's {@code curl -f .../health}, once. The PromQL checks are left out on purpose:
     * the restored version may have served no traffic within their windows, and "no data" would fail closed.
     */
    private Verdict afterRollback(Request request) {
        if (settings.healthCheck().url() == null) {
            return Verdict.pass("no health check configured (analysis.healthCheck.url)");
        }
        AnalysisSettings healthOnly = new AnalysisSettings(null, settings.interval(), settings.verification(), settings.noData(),
                settings.errorRate(), settings.latency(), settings.healthCheck(), java.util.List.of());
        progress.accept("Checking the health of " + request.component() + " " + request.version() + " after the rollback");
        AnalysisVerdict verdict = Analysis.of(healthOnly, new TargetLabels(request.component(), request.environment(),
                request.namespace(), request.version()), null).checkOnce();
        return verdict.outcome() == AnalysisVerdict.Outcome.PASSED ? Verdict.pass(verdict.reason())
                : Verdict.fail(verdict.outcome().id() + ": " + verdict.reason());
    }
}
