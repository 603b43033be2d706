package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * What runs where ({@code korea status}): from the workload's annotations in the cluster, and the last record.
 *
 * @param health        healthy, progressing, paused, degraded, missing or unknown
 * @param detail        one line: the rollout state, or why it is unknown
 * @param lastRecord    the newest deployment record whose image then ran (a deployed promotion or a manual rollback
 *                      that worked) for this component and environment (and cluster), or null
 * @param cluster       the kube context, for an environment with waves (one status per cluster); null otherwise
 */
public record WorkloadStatus(String environment, String component, String namespace, String workload, String strategy,
        String image, String version, String revision, String approver, String approvalSource, String build, String deployedAt,
        String health, String detail, DeploymentRecord lastRecord, String cluster) {

    public WorkloadStatus(String environment, String component, String namespace, String workload, String strategy,
            String image, String version, String revision, String approver, String approvalSource, String build,
            String deployedAt, String health, String detail, DeploymentRecord lastRecord) {
        this(environment, component, namespace, workload, strategy, image, version, revision, approver, approvalSource, build,
                deployedAt, health, detail, lastRecord, null);
    }

    /** This status as one cluster of an environment's waves. */
    public WorkloadStatus onCluster(String context) {
        return new WorkloadStatus(environment, component, namespace, workload, strategy, image, version, revision, approver,
                approvalSource, build, deployedAt, health, detail, lastRecord, context);
    }
}
