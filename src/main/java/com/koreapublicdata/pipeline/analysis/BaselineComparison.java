package com.koreapublicdata.pipeline.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.AnalysisSettings;
import com.koreapublicdata.pipeline.config.Durations;

/**
 * Judges a canary against its stable baseline over the same window, as Netflix's Kayenta does: per metric the
 * same PromQL for both tracks, the samples of the window (a range query), a Mann-Whitney U test and an allowed
 * effect size; the score is the weighted share of metrics that did not move the wrong way. Fixed thresholds stay
 * with {@link Analysis}: this only asks "is the canary worse than what runs now?".
 */
public final class BaselineComparison {

    /** 5xx share of one track; {@code or vector(0)} because many apps have no 5xx series until the first error. */
    public static final String DEFAULT_ERROR_RATE_QUERY =
            "(sum(rate(http_requests_total{component=\"{component}\",environment=\"{environment}\",{track},"
                    + "status=~\"5..\"}[{window}])) or vector(0)) / sum(rate(http_requests_total{component=\"{component}\","
                    + "environment=\"{environment}\",{track}}[{window}]))";

    /** Mean response time of one track in seconds: finer than a histogram quantile for a relative comparison. */
    public static final String DEFAULT_LATENCY_QUERY =
            "sum(rate(http_request_duration_seconds_sum{component=\"{component}\",environment=\"{environment}\",{track}}"
                    + "[{window}])) / sum(rate(http_request_duration_seconds_count{component=\"{component}\","
                    + "environment=\"{environment}\",{track}}[{window}]))";

    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final AnalysisSettings.Baseline settings;
    private final TargetLabels target;
    private final PrometheusClient prometheus;

    /**
     * @throws KoreaException (exit 2) when the label is not a Prometheus label name or a metric has no query
     */
    public BaselineComparison(AnalysisSettings.Baseline settings, TargetLabels target, PrometheusClient prometheus) {
        this.settings = settings;
        this.target = target;
        this.prometheus = prometheus;
        if (prometheus == null) {
            throw KoreaException.invalidInput("analysis.compare: baseline needs analysis.prometheus");
        }
        if (!LABEL.matcher(settings.label()).matches()) {
            throw KoreaException.invalidInput("analysis.baseline.label '" + settings.label() + "' is not a Prometheus "
                    + "label name (letters, digits and _, not starting with a digit)");
        }
        for (AnalysisSettings.ComparedMetric m : settings.metrics()) {
            if (query(m) == null) {
                throw KoreaException.invalidInput("analysis.baseline.metrics " + m.name() + ": give a query (only "
                        + "error-rate and latency have default ones)");
            }
        }
        if (settings.marginal() > settings.pass()) {
            throw KoreaException.invalidInput("analysis.baseline.marginal (" + settings.marginal()
                    + ") must not be above analysis.baseline.pass (" + settings.pass() + ")");
        }
    }

    /**
     * The track values to compare: the configured ones, else the Rollout's pod-template hashes.
     *
     * @throws KoreaException (exit 2) when neither is known
     */
    public Tracks tracks(String canaryHash, String stableHash) {
        String canary = settings.canary() != null ? settings.canary() : canaryHash;
        String stable = settings.stable() != null ? settings.stable() : stableHash;
        if (canary == null || stable == null || canary.isBlank() || stable.isBlank()) {
            throw KoreaException.invalidInput("the baseline comparison does not know which pods are the canary and which "
                    + "the stable ones: set analysis.baseline.canary and .stable (values of label " + settings.label()
                    + "), or let a canary Rollout give its pod-template hashes");
        }
        return new Tracks(settings.label(), canary, stable);
    }

    /** Which pods are which: the values of one label. */
    public record Tracks(String label, String canary, String stable) {
        public Tracks withCanary(String value) {
            return new Tracks(label, value, stable);
        }
    }

    /** Compares the samples of {@code [end - window, end]}. */
    public BaselineVerdict compare(Tracks tracks, Instant end, Duration window) {
        Instant start = end.minus(window);
        List<BaselineVerdict.Metric> metrics = new ArrayList<>();
        for (AnalysisSettings.ComparedMetric m : settings.metrics()) {
            metrics.add(metric(m, tracks, start, end));
        }
        double total = metrics.stream().mapToDouble(BaselineVerdict.Metric::weight).sum();
        double good = metrics.stream().filter(m -> !m.failed() && m.status() != BaselineVerdict.Status.INCONCLUSIVE)
                .mapToDouble(BaselineVerdict.Metric::weight).sum();
        double score = total <= 0 ? 0 : Math.round(1000.0 * good / total) / 10.0;
        BaselineVerdict.Outcome outcome;
        if (metrics.stream().anyMatch(m -> m.status() == BaselineVerdict.Status.INCONCLUSIVE)) {
            outcome = BaselineVerdict.Outcome.INCONCLUSIVE;
        } else if (score >= settings.pass()) {
            outcome = BaselineVerdict.Outcome.PASS;
        } else if (score >= settings.marginal()) {
            outcome = BaselineVerdict.Outcome.MARGINAL;
        } else {
            outcome = BaselineVerdict.Outcome.FAIL;
        }
        String reason = "baseline comparison " + outcome.id() + ": score " + number(score) + " (pass " + settings.pass()
                + ", marginal " + settings.marginal() + ") over " + Durations.format(window) + "; "
                + String.join("; ", metrics.stream().map(BaselineComparison::describe).toList());
        return new BaselineVerdict(outcome, score, settings.pass(), settings.marginal(), start, end, tracks.label(),
                tracks.canary(), tracks.stable(), reason, metrics);
    }

    private BaselineVerdict.Metric metric(AnalysisSettings.ComparedMetric m, Tracks tracks, Instant start, Instant end) {
        String canaryQuery = fill(query(m), tracks.label(), tracks.canary());
        String baselineQuery = fill(query(m), tracks.label(), tracks.stable());
        double[] canary;
        double[] baseline;
        try {
            canary = values(prometheus.queryRange(canaryQuery, start, end, settings.step()));
            baseline = values(prometheus.queryRange(baselineQuery, start, end, settings.step()));
        } catch (PrometheusException e) {
            return new BaselineVerdict.Metric(m.name(), m.direction(), m.weight(), BaselineVerdict.Status.INCONCLUSIVE,
                    false, 0, 0, null, null, null, null, m.effectSize(), canaryQuery, baselineQuery, e.getMessage());
        }
        Double canaryMedian = canary.length == 0 ? null : new Median().evaluate(canary);
        Double baselineMedian = baseline.length == 0 ? null : new Median().evaluate(baseline);
        if (canary.length < settings.minSamples() || baseline.length < settings.minSamples()) {
            return new BaselineVerdict.Metric(m.name(), m.direction(), m.weight(), BaselineVerdict.Status.INCONCLUSIVE,
                    false, canary.length, baseline.length, canaryMedian, baselineMedian, null, null, m.effectSize(),
                    canaryQuery, baselineQuery, "too few samples (canary " + canary.length + ", baseline "
                            + baseline.length + "; at least " + settings.minSamples() + " each: analysis.baseline.minSamples)");
        }
        double p = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
        if (Double.isNaN(p)) {
            p = 1.0; // every sample equal: no difference at all
        }
        double effect = baselineMedian == 0 ? (canaryMedian == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, canaryMedian))
                : canaryMedian / baselineMedian - 1;
        boolean significant = p < settings.significance();
        BaselineVerdict.Status status = !significant || Math.abs(effect) <= m.allowedEffect() ? BaselineVerdict.Status.PASS
                : effect > 0 ? BaselineVerdict.Status.HIGH : BaselineVerdict.Status.LOW;
        boolean failed = switch (status) {
            case HIGH -> m.direction() != AnalysisSettings.Direction.DECREASE;
            case LOW -> m.direction() != AnalysisSettings.Direction.INCREASE;
            default -> false;
        };
        return new BaselineVerdict.Metric(m.name(), m.direction(), m.weight(), status, failed, canary.length,
                baseline.length, canaryMedian, baselineMedian, p, Double.isInfinite(effect) ? null : effect, m.effectSize(),
                canaryQuery, baselineQuery, null);
    }

    private static String query(AnalysisSettings.ComparedMetric m) {
        if (m.query() != null) {
            return m.query();
        }
        return switch (m.name()) {
            case Analysis.ERROR_RATE -> DEFAULT_ERROR_RATE_QUERY;
            case Analysis.LATENCY -> DEFAULT_LATENCY_QUERY;
            default -> null;
        };
    }

    private String fill(String template, String label, String value) {
        String matcher = label + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return target.fillQuery(template.replace("{track}", matcher), settings.rate(), null);
    }

    private static double[] values(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String describe(BaselineVerdict.Metric m) {
        if (m.status() == BaselineVerdict.Status.INCONCLUSIVE) {
            return m.name() + " inconclusive: " + m.message();
        }
        String effect = m.effect() == null ? "from 0" : String.format(Locale.ROOT, "%+.0f%%", m.effect() * 100);
        return m.name() + " " + m.status().id() + (m.failed() ? " (fails)" : "") + ": canary median "
                + number(m.canaryMedian()) + " vs baseline " + number(m.baselineMedian()) + " (" + effect + ", allowed "
                + m.allowedEffect() + "), p=" + String.format(Locale.ROOT, "%.4f", m.pValue());
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
