package com.koreapublicdata.pipeline.deploy;

import java.util.function.Consumer;

import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.AnalysisVerdict;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.config.AnalysisSettings;

/**
 * The analysis hook backed by {@code analysis.Analysis}: korea.yaml's PromQL and HTTP checks for the window the
 * engine gives (a canary pause, analysis.verification). Nothing configured passes; anything but passed fails.
 */
public final class AnalysisHealthCheck implements HealthCheck {
    private final AnalysisSettings settings;
    private final String prometheusToken;
    private final Consumer<String> progress;

    /** @param prometheusToken from the environment (KOREA_PROMETHEUS_TOKEN), or null */
    public AnalysisHealthCheck(AnalysisSettings settings, String prometheusToken, Consumer<String> progress) {
        this.settings = settings;
        this.prometheusToken = prometheusToken;
        this.progress = progress;
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
        return verdict.outcome() == AnalysisVerdict.Outcome.PASSED ? Verdict.pass(verdict.reason())
                : Verdict.fail(verdict.outcome().id() + ": " + verdict.reason());
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
