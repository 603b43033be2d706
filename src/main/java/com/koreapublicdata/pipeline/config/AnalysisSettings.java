package com.koreapublicdata.pipeline.config;

import java.time.Duration;
import java.util.List;

/**
 * The checks that decide whether a new version is healthy (the seed's automatic rollback conditions).
 * Failed checks accumulate, as in Flagger, until {@link #failureLimit} rolls the deploy back.
 */
public record AnalysisSettings(
        @Doc("Prometheus base URL the queries go to (e.g. http://prometheus:9090). Without it, only health checks run.")
                String prometheus,
        @Doc(value = "Time between two rounds of checks.", defaultValue = "1m") Duration interval,
        @Doc(value = "How long a rolling deploy is watched after it completes.", defaultValue = "5m") Duration verification,
        @Doc(value = "What a query that returns no data counts as: fail or pass.", defaultValue = "fail") NoData noData,
        @Doc(value = "The seed's error-rate condition.", defaultValue = "threshold 5%, window 5m") ErrorRate errorRate,
        @Doc(value = "The seed's response-time condition.", defaultValue = "threshold 2s, window 3m, quantile 0.99")
                Latency latency,
        @Doc(value = "The seed's health-check condition.", defaultValue = "3 consecutive failures") HealthCheck healthCheck,
        @Doc("More PromQL checks, each with an allowed min/max range.") List<CustomCheck> custom,
        @Doc(value = "Also judge a canary against its stable baseline over the same window (Kayenta's way): none or "
                + "baseline. The threshold checks keep running beside it.", defaultValue = "none") Compare compare,
        @Doc(value = "How the canary is compared with the stable baseline (when compare: baseline).",
                defaultValue = "error rate and mean latency, each allowed 10% higher; pass 95, marginal 75")
                Baseline baseline) {

    /** Whether a canary is also compared with its baseline. */
    public enum Compare {
        NONE, BASELINE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which way a metric may not move: increase (higher is worse, errors and latency), decrease, or either. */
    public enum Direction {
        INCREASE, DECREASE, EITHER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The canary-versus-baseline judge: per metric the same PromQL for both tracks, a Mann-Whitney U test on the
     * samples of the window plus an allowed effect size, and a weighted score with Kayenta's pass/marginal marks.
     */
    public record Baseline(
            @Doc(value = "Label that tells canary and stable pods apart in Prometheus. With the default, the values are "
                    + "the Rollout's pod-template hashes (status.currentPodHash and status.stableRS).",
                    defaultValue = "rollouts_pod_template_hash") String label,
            @Doc("Value of label on canary pods (e.g. canary for a track label); default: the Rollout's current "
                    + "pod-template hash.") String canary,
            @Doc("Value of label on stable pods (e.g. stable); default: the Rollout's stable pod-template hash.") String stable,
            @Doc(value = "Range each sample's rate is taken over ([window] in a comparison query).", defaultValue = "1m")
                    Duration rate,
            @Doc(value = "Time between two samples of the window (the query_range step).", defaultValue = "10s") Duration step,
            @Doc(value = "Time the samples cover, ending now; a deploy uses the canary pause when this is not set.",
                    defaultValue = "the canary pause (korea analyze: 5m)") Duration window,
            @Doc(value = "Samples each track needs; fewer makes the comparison inconclusive (never a pass).",
                    defaultValue = "10") Integer minSamples,
            @Doc(value = "p-value below which canary and baseline differ significantly.", defaultValue = "0.05")
                    Double significance,
            @Doc(value = "Score (weighted share of passing metrics, 0-100) at or above which the canary goes on.",
                    defaultValue = "95") Integer pass,
            @Doc(value = "Score at or above which (and below pass) the canary is held at its pause for a person; below "
                    + "it the canary is aborted and rolled back.", defaultValue = "75") Integer marginal,
            @Doc(value = "Metrics compared; each query is filled for both tracks.",
                    defaultValue = "error-rate and latency (mean), each allowed 10% higher") List<ComparedMetric> metrics) {

        public Baseline {
            label = label == null ? "rollouts_pod_template_hash" : label;
            rate = rate == null ? Duration.ofMinutes(1) : rate;
            step = step == null ? Duration.ofSeconds(10) : step;
            minSamples = minSamples == null ? 10 : minSamples;
            significance = significance == null ? 0.05 : significance;
            pass = pass == null ? 95 : pass;
            marginal = marginal == null ? 75 : marginal;
            metrics = metrics == null || metrics.isEmpty() ? List.of(
                    new ComparedMetric("error-rate", null, null, null, null),
                    new ComparedMetric("latency", null, null, null, null)) : List.copyOf(metrics);
        }

        public static Baseline defaults() {
            return new Baseline(null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** One metric of the baseline comparison. */
    public record ComparedMetric(
            @Doc(value = "Name shown in reports; error-rate and latency have default queries.", required = true) String name,
            @Doc(value = "PromQL template returning one value per sample; {track} is replaced by the label matcher of "
                    + "the canary or the stable pods, {window} by baseline.rate, plus the placeholders of errorRate.",
                    defaultValue = "error-rate: 5xx share; latency: mean request duration") String query,
            @Doc(value = "Which way the canary may not move: increase (higher is worse), decrease or either.",
                    defaultValue = "increase") Direction direction,
            @Doc(value = "How much the canary's median may differ from the baseline's before a significant difference "
                    + "counts, e.g. 10%.", defaultValue = "10%", pattern = "^[0-9.]+%$") String effectSize,
            @Doc(value = "Weight of this metric in the score.", defaultValue = "1") Double weight) {
        public ComparedMetric {
            direction = direction == null ? Direction.INCREASE : direction;
            effectSize = effectSize == null ? "10%" : effectSize;
            weight = weight == null ? 1.0 : weight;
        }

        /** The allowed effect as a ratio: 10% gives 0.1. */
        public double allowedEffect() {
            return Double.parseDouble(effectSize.substring(0, effectSize.length() - 1)) / 100.0;
        }
    }

    /** The settings without a baseline comparison (the shape before compare existed). */
    public AnalysisSettings(String prometheus, Duration interval, Duration verification, NoData noData, ErrorRate errorRate,
            Latency latency, HealthCheck healthCheck, List<CustomCheck> custom) {
        this(prometheus, interval, verification, noData, errorRate, latency, healthCheck, custom, null, null);
    }

    /** The same settings with another Prometheus URL. */
    public AnalysisSettings withPrometheus(String url) {
        return new AnalysisSettings(url, interval, verification, noData, errorRate, latency, healthCheck, custom, compare,
                baseline);
    }

    /** Whether a canary is also judged against its baseline. */
    public boolean comparesBaseline() {
        return compare == Compare.BASELINE;
    }

    public enum NoData {
        FAIL, PASS;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Fraction of requests answered with 5xx over a window. */
    public record ErrorRate(
            @Doc(value = "Highest allowed error percentage, e.g. 5%.", defaultValue = "5%", pattern = "^[0-9.]+%$")
                    String threshold,
            @Doc(value = "Range the rate is averaged over ([window] in the query): the seed's 'for 5m'.", defaultValue = "5m") Duration window,
            @Doc(value = "PromQL template returning the error ratio (0..1); {component}, {environment}, {namespace}, "
                    + "{version} and {window} are filled in.",
                    defaultValue = "sum(rate(http_requests_total{...,status=~\"5..\"}[{window}])) / sum(rate(http_requests_total{...}[{window}]))")
                    String query,
            @Doc(value = "Failed rounds (counted over the whole analysis, as Flagger does) that roll back; the window "
                    + "already averages the rate, so one is enough.", defaultValue = "1") Integer failures) {
        public ErrorRate {
            threshold = threshold == null ? "5%" : threshold;
            window = window == null ? Duration.ofMinutes(5) : window;
            failures = failures == null ? 1 : failures;
        }

        /** The threshold as a ratio: 5% gives 0.05. */
        public double ratio() {
            return Double.parseDouble(threshold.substring(0, threshold.length() - 1)) / 100.0;
        }
    }

    /** A response-time quantile over a window. */
    public record Latency(
            @Doc(value = "Highest allowed response time.", defaultValue = "2s") Duration threshold,
            @Doc(value = "Range the latency histogram is taken over ([window] in the query): the seed's 'for 3m'.", defaultValue = "3m") Duration window,
            @Doc(value = "Quantile of the request duration histogram.", defaultValue = "0.99") Double quantile,
            @Doc("PromQL template returning seconds; placeholders as for errorRate, plus {quantile}.") String query,
            @Doc(value = "Failed rounds (counted over the whole analysis) that roll back.", defaultValue = "1")
                    Integer failures) {
        public Latency {
            failures = failures == null ? 1 : failures;
            threshold = threshold == null ? Duration.ofSeconds(2) : threshold;
            window = window == null ? Duration.ofMinutes(3) : window;
            quantile = quantile == null ? 0.99 : quantile;
        }
    }

    /** An HTTP health endpoint. */
    public record HealthCheck(
            @Doc("URL to request; {component}, {environment} and {namespace} are filled in. Without it, no HTTP check runs.")
                    String url,
            @Doc(value = "Expected HTTP status.", defaultValue = "200") Integer expectedStatus,
            @Doc(value = "Consecutive failed checks that roll back.", defaultValue = "3") Integer failures,
            @Doc(value = "Timeout of one request.", defaultValue = "5s") Duration timeout) {
        public HealthCheck {
            expectedStatus = expectedStatus == null ? 200 : expectedStatus;
            failures = failures == null ? 3 : failures;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        }
    }

    /** A PromQL query whose value must stay inside [min, max]. */
    public record CustomCheck(
            @Doc(value = "Name shown in reports.", required = true) String name,
            @Doc(value = "PromQL template; placeholders as for errorRate.", required = true) String query,
            @Doc("Lowest allowed value.") Double min,
            @Doc("Highest allowed value.") Double max,
            @Doc(value = "Failed checks that roll back.", defaultValue = "1") Integer failures) {
        public CustomCheck {
            failures = failures == null ? 1 : failures;
        }
    }

    public AnalysisSettings {
        interval = interval == null ? Duration.ofMinutes(1) : interval;
        verification = verification == null ? Duration.ofMinutes(5) : verification;
        noData = noData == null ? NoData.FAIL : noData;
        errorRate = errorRate == null ? new ErrorRate(null, null, null, null) : errorRate;
        latency = latency == null ? new Latency(null, null, null, null, null) : latency;
        healthCheck = healthCheck == null ? new HealthCheck(null, null, null, null) : healthCheck;
        custom = custom == null ? List.of() : List.copyOf(custom);
        compare = compare == null ? Compare.NONE : compare;
        baseline = baseline == null ? Baseline.defaults() : baseline;
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(null, null, null, null, null, null, null, null, null, null);
    }
}
