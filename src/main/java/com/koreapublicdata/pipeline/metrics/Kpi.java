package com.koreapublicdata.pipeline.metrics;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One key performance indicator.
 *
 * @param name   stable id: deployment-success-rate, mean-deploy-time, rollback-time, downtime, lead-time,
 *               change-failure-rate, deployment-frequency
 * @param title  what people call it
 * @param value  the measured value in {@code unit}, or null when there was nothing to measure
 * @param unit   percent, seconds or per-day
 * @param shown  the value as people read it (97.5 %, 4m12s, no data)
 * @param target the goal as people read it (&gt; 95 %, &lt; 10m)
 * @param status met, not-met, or no-data
 * @param detail how it was computed from which records (counts, worst case)
 */
public record Kpi(String name, String title, Double value, String unit, String shown, String target, Status status,
        String detail) {

    public enum Status {
        MET, NOT_MET, NO_DATA;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
