package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;

/**
 * The analysis hook: is the new version healthy? Called during canary pauses, before and after a blue-green
 * promotion, and once for a verification window after a rolling update. A failed verdict rolls back.
 * The analysis package implements it with PromQL and HTTP checks; {@link #NONE} (nothing configured) passes.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Where in the promotion the check runs. AFTER_ROLLBACK is the seed's "verify health" step of a manual
     * rollback: one look at the health endpoint (its window is zero), not a new analysis of the restored version.
     */
    enum Point {
        CANARY_PAUSE, PRE_PROMOTION, POST_PROMOTION, AFTER_ROLLOUT, AFTER_ROLLBACK
    }

    /**
     * @param environment environment name
     * @param component   component name
     * @param namespace   Kubernetes namespace
     * @param version     the version being deployed
     * @param point       where in the promotion
     * @param stepIndex   canary step index (0-based), or -1
     * @param weight      canary weight in percent, or -1
     * @param window      how long the check may observe (the canary pause, or analysis.verification)
     */
    record Request(String environment, String component, String namespace, String version, Point point, int stepIndex,
            int weight, Duration window) {
    }

    /** The answer: passed, and one line saying why. */
    record Verdict(boolean passed, String reason) {
        public static Verdict pass(String reason) {
            return new Verdict(true, reason);
        }

        public static Verdict fail(String reason) {
            return new Verdict(false, reason);
        }
    }

    Verdict check(Request request);

    HealthCheck NONE = request -> Verdict.pass("no analysis configured");
}
