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
        return DeploymentRecord.builder().id(env + "/" + component + "/" + minute).kind(DeploymentRecord.PROMOTION)
                .time(time).startedAt(time.minusMillis((long) (seconds * 1000))).environment(env).component(component)
                .strategy(strategy).image("registry/" + component + ":v" + minute).version("v" + minute)
                .commit("abc" + minute).commitTime(commitTime).outcome(Outcome.fromJson(outcome))
                .durationSeconds(seconds).rollbackSeconds(rollbackSeconds).build();
    }

    static DeploymentRecord promotion(String env, String component, String outcome, long minute, double seconds) {
        return promotion(env, component, "rolling", outcome, minute, seconds,
                outcome.equals("rolled-back") ? 45.0 : null, null);
    }

    static DeploymentRecord rollback(String env, String component, String outcome, long minute, double seconds) {
        Instant time = T0.plusSeconds(minute * 60);
        return DeploymentRecord.builder().id(env + "/" + component + "/rb" + minute).kind(DeploymentRecord.ROLLBACK)
                .time(time).startedAt(time.minusMillis((long) (seconds * 1000))).environment(env).component(component)
                .strategy("rolling").image("registry/" + component + ":old").version("old")
                .outcome(Outcome.fromJson(outcome)).message("manual").durationSeconds(seconds).revision("3").build();
    }

    /** A canary promotion whose time splits into active, paused and approval seconds. */
    static DeploymentRecord canary(String outcome, long minute, double active, double paused, double approval) {
        DeploymentRecord r = promotion("production", "backend", "canary", outcome, minute, active + paused, null, null);
        return r.toBuilder().activeSeconds(active).pausedSeconds(paused).approvalSeconds(approval).build();
    }
}
