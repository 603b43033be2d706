package com.koreapublicdata.pipeline.deploy;

/**
 * What {@code korea rollback} asks for.
 *
 * @param toRevision  0 for the previous revision, else that exact revision
 * @param reason      why, for the record and the notification, or null
 * @param requestedBy who asked (recorded as the approver), or null
 * @param buildUrl    the CI build doing it (lock holder), or null
 */
public record RollbackRequest(String component, String environment, long toRevision, String reason, String requestedBy,
        String buildUrl) {
}
