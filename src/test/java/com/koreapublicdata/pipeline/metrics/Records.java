package com.koreapublicdata.pipeline.metrics;

import java.time.Instant;

import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/** Deployment records for tests, with only the fields metrics and KPIs read. */
final class Records {
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    private Records() {
    }

    static DeploymentRecord promotion(String env, String component, String strategy, String outcome, long minute,
            double seconds, Double rollbackSeconds, Instant commitTime) {
        Instant time = T0.plusSeconds(minute * 60);
        return new DeploymentRecord(env + "/" + component + "/" + minute, DeploymentRecord.PROMOTION, time,
                time.minusMillis((long) (seconds * 1000)), env, component, strategy, "registry/" + component + ":v" + minute,
                null, "v" + minute, null, null, null, "abc" + minute, commitTime, Outcome.fromJson(outcome), null, seconds, rollbackSeconds,
                null);
    }

    static DeploymentRecord promotion(String env, String component, String outcome, long minute, double seconds) {
        return promotion(env, component, "rolling", outcome, minute, seconds,
                outcome.equals("rolled-back") ? 45.0 : null, null);
    }

    static DeploymentRecord rollback(String env, String component, String outcome, long minute, double seconds) {
        Instant time = T0.plusSeconds(minute * 60);
        return new DeploymentRecord(env + "/" + component + "/rb" + minute, DeploymentRecord.ROLLBACK, time,
                time.minusMillis((long) (seconds * 1000)), env, component, "rolling", "registry/" + component + ":old",
                null, "old", null, null, null, null, null, Outcome.fromJson(outcome), "manual", seconds, null, "3");
    }

    /** A canary promotion whose time splits into active, paused and approval seconds. */
    static DeploymentRecord canary(String outcome, long minute, double active, double paused, double approval) {
        DeploymentRecord r = promotion("production", "backend", "canary", outcome, minute, active + paused, null, null);
        return new DeploymentRecord(r.id(), r.kind(), r.time(), r.startedAt(), r.environment(), r.component(), r.strategy(),
                r.image(), r.digest(), r.version(), r.approver(), r.approvalSource(), r.buildUrl(), r.commit(),
                r.commitTime(), r.outcome(), r.message(), r.durationSeconds(), r.rollbackSeconds(), r.revision(), null,
                active, paused, approval);
    }
}
