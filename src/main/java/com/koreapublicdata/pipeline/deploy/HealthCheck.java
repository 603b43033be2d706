package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;

import com.koreapublicdata.pipeline.analysis.BaselineVerdict;

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
        CANARY_PAUSE, PRE_PROMOTION, POST_PROMOTION, AFTER_ROLLOUT, AFTER_ROLLBACK,
        /** A wave's soak: the analysis keeps running on every cluster promoted so far before the next wave. */
        SOAK
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
     * @param canaryHash  a canary Rollout's current pod-template hash (status.currentPodHash), or null
     * @param stableHash  its stable pod-template hash (status.stableRS), or null: the baseline comparison's tracks
     * @param cluster     the kube context checked in a multi-cluster (waves) promotion, or null
     */
    record Request(String environment, String component, String namespace, String version, Point point, int stepIndex,
            int weight, Duration window, String canaryHash, String stableHash, String cluster) {

        public Request(String environment, String component, String namespace, String version, Point point, int stepIndex,
                int weight, Duration window, String canaryHash, String stableHash) {
            this(environment, component, namespace, version, point, stepIndex, weight, window, canaryHash, stableHash, null);
        }

        /** The same check, naming the cluster it is about. */
        public Request onCluster(String context) {
            return new Request(environment, component, namespace, version, point, stepIndex, weight, window, canaryHash,
                    stableHash, context);
        }

        public Request(String environment, String component, String namespace, String version, Point point, int stepIndex,
                int weight, Duration window) {
            this(environment, component, namespace, version, point, stepIndex, weight, window, null, null);
        }
    }

    /**
     * The answer: passed, and one line saying why.
     *
     * @param hold       not passed, but not to be rolled back either: keep the canary paused for a person (a
     *                   marginal baseline comparison)
     * @param comparison the baseline comparison behind the verdict, or null when none ran
     */
    record Verdict(boolean passed, String reason, boolean hold, BaselineVerdict comparison) {

        public Verdict(boolean passed, String reason) {
            this(passed, reason, false, null);
        }

        public static Verdict pass(String reason) {
            return new Verdict(true, reason);
        }

        public static Verdict fail(String reason) {
            return new Verdict(false, reason);
        }

        public static Verdict hold(String reason, BaselineVerdict comparison) {
            return new Verdict(false, reason, true, comparison);
        }

        public Verdict withComparison(BaselineVerdict c) {
            return new Verdict(passed, reason, hold, c);
        }
    }

    Verdict check(Request request);

    HealthCheck NONE = request -> Verdict.pass("no analysis configured");
}
