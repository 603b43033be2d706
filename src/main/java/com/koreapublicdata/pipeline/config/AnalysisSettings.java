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
        @Doc("More PromQL checks, each with an allowed min/max range.") List<CustomCheck> custom) {

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
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(null, null, null, null, null, null, null, null);
    }
}
