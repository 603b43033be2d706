package com.koreapublicdata.pipeline.analysis;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import com.koreapublicdata.pipeline.config.AnalysisSettings;

/**
 * How a canary compared with its stable baseline over one window.
 *
 * @param outcome  pass (score at or above pass: go on), marginal (hold the canary for a person), fail (abort and
 *                 roll back), inconclusive (a metric had too few samples or could not be queried: never a pass)
 * @param score    weighted share of metrics that did not fail, 0-100
 * @param pass     the score needed to go on
 * @param marginal the score needed to be held rather than rolled back
 * @param start    first instant of the window
 * @param end      last instant of the window
 * @param label    the label that tells the tracks apart
 * @param canary   its value on canary pods
 * @param baseline its value on stable pods
 * @param reason   one line naming every metric, both medians, the p-value and the score
 * @param metrics  each metric's comparison
 */
public record BaselineVerdict(Outcome outcome, double score, int pass, int marginal, Instant start, Instant end,
        String label, String canary, String baseline, String reason, List<Metric> metrics) {

    public enum Outcome {
        PASS, MARGINAL, FAIL, INCONCLUSIVE;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A metric's classification: the canary's median is not significantly different, or higher, or lower. */
    public enum Status {
        PASS, HIGH, LOW, INCONCLUSIVE;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One metric.
     *
     * @param status          pass, high, low (significant and beyond the allowed effect) or inconclusive
     * @param failed          whether the move counts against the canary (high with direction increase, ...)
     * @param effect          canary median / baseline median - 1, or null when not computable
     * @param allowedEffect   the allowed effect size as written (10%)
     * @param message         why it is inconclusive, or null
     */
    public record Metric(String name, AnalysisSettings.Direction direction, double weight, Status status, boolean failed,
            int canarySamples, int baselineSamples, Double canaryMedian, Double baselineMedian, Double pValue,
            Double effect, String allowedEffect, String canaryQuery, String baselineQuery, String message) {
    }

    public BaselineVerdict {
        metrics = List.copyOf(metrics);
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    /** The short form kept in deployment records: outcome, score and per metric both medians and the p-value. */
    public java.util.Map<String, Object> summary() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("outcome", outcome.id());
        m.put("score", score);
        m.put("pass", pass);
        m.put("marginal", marginal);
        m.put("canary", canary);
        m.put("baseline", baseline);
        List<java.util.Map<String, Object>> list = new java.util.ArrayList<>();
        for (Metric x : metrics) {
            java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("name", x.name());
            e.put("status", x.status().id());
            e.put("failed", x.failed());
            e.put("canaryMedian", x.canaryMedian());
            e.put("baselineMedian", x.baselineMedian());
            e.put("pValue", x.pValue());
            list.add(e);
        }
        m.put("metrics", list);
        return m;
    }

    /** The metric with this name, or null. */
    public Metric metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
}
