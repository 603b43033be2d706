package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.Outcome;

/**
 * Where one cluster of a waves promotion ended.
 *
 * @param cluster  the kube context
 * @param wave     its wave, 1-based
 * @param outcome  deployed, rolled-back, rollback-failed, failed (left as it is), awaiting-promotion, or skipped (its
 *                 wave never started)
 * @param changed  whether its workload was changed (also when it was then restored)
 * @param revision the workload revision it ended on, when known
 * @param message  one line for people
 */
public record ClusterOutcome(String cluster, int wave, Outcome outcome, boolean changed, String revision, String message) {

    static ClusterOutcome notStarted(String cluster, int wave, String why) {
        return new ClusterOutcome(cluster, wave, Outcome.SKIPPED, false, null, why);
    }
}
