package com.koreapublicdata.pipeline.control;

import java.util.List;

/**
 * A signed approval ({@code <stateDir>/approvals/<id>.json}): who approved what, when and why. The signature is
 * HMAC-SHA256 over every other field ({@link ApprovalRecords#canonical}), so changing any of them breaks it.
 *
 * @param id          unique id (environment, time, build)
 * @param environment the environment it approves promotions to
 * @param components  the images it approves, by digest
 * @param approvers   the distinct people who approved, each with a reason
 * @param requestedBy who started the run, or null
 * @param breakGlass  the break-glass reason when a freeze was broken, or null
 * @param plan        the plan as the approvers saw it (one line per component), or null
 * @param buildUrl    the CI build, or null
 * @param createdAt   ISO-8601 instant it was written
 * @param keyId       id of the signing key (rotation)
 * @param signature   hex HMAC-SHA256, or null before signing
 */
public record ApprovalRecord(String id, String environment, List<ApprovedImage> components, List<Approver> approvers,
        String requestedBy, String breakGlass, String plan, String buildUrl, String createdAt, String keyId,
        String signature) {

    public ApprovalRecord {
        components = components == null ? List.of() : List.copyOf(components);
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    public ApprovalRecord withSignature(String keyId, String signature) {
        return new ApprovalRecord(id, environment, components, approvers, requestedBy, breakGlass, plan, buildUrl, createdAt,
                keyId, signature);
    }

    /** The approver user names, in order. */
    public List<String> approverNames() {
        return approvers.stream().map(Approver::user).toList();
    }

    /** One approved image. */
    public record ApprovedImage(String component, String digest) {
    }

    /** One person's approval. */
    public record Approver(String user, String reason, String at) {
    }
}
