package com.koreapublicdata.pipeline.deploy.kubernetes;

/**
 * What an undo did or would do.
 *
 * @param fromRevision the workload's revision before the undo
 * @param toRevision   the revision whose template was restored
 * @param image        the first container image of the restored template
 * @param skipped      true when the template already matched (kubectl's "skipped rollback")
 */
public record UndoPlan(String fromRevision, String toRevision, String image, boolean skipped) {
}
