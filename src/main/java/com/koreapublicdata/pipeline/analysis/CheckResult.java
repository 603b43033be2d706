package com.koreapublicdata.pipeline.analysis;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One check in one round.
 *
 * @param name             error-rate, latency, health-check, or a custom check's name
 * @param kind             promql or http
 * @param target           the filled PromQL query or the health-check URL
 * @param value            what was measured (ratio 0..1, seconds, HTTP status, or the custom query's value);
 *                         null when there was no data or Prometheus failed
 * @param shown            the value as people read it (12.5%, 2.31s, HTTP 503, no data)
 * @param threshold        what is allowed, as people read it (&lt;= 5%, &lt;= 2s, HTTP 200, in [0, 10])
 * @param status           pass, fail, no-data or error
 * @param failed           whether this round counts as a failure of the check
 * @param failures         failures counted so far: cumulative for PromQL checks, consecutive for the health check
 * @param failureLimit     failures that fail the analysis
 * @param thresholdReached whether {@code failures >= failureLimit}
 * @param message          why it failed (the Prometheus error, the connection error), or null
 */
public record CheckResult(String name, String kind, String target, Double value, String shown, String threshold,
        Status status, boolean failed, int failures, int failureLimit, boolean thresholdReached, String message) {

    public enum Status {
        PASS, FAIL, NO_DATA, ERROR;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
