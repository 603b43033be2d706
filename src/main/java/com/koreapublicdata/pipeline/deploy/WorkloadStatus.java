package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * What runs where ({@code korea status}): from the workload's annotations in the cluster, and the last record.
 *
 * @param health        healthy, progressing, paused, degraded, missing or unknown
 * @param detail        one line: the rollout state, or why it is unknown
 * @param lastRecord    the newest deployment record whose image then ran (a deployed promotion or a manual rollback
 *                      that worked) for this component and environment, or null
 */
public record WorkloadStatus(String environment, String component, String namespace, String workload, String strategy,
        String image, String version, String revision, String approver, String approvalSource, String build, String deployedAt,
        String health, String detail, DeploymentRecord lastRecord) {
}
