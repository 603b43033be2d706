package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.ExitCode;

/**
 * The result of {@code korea promote} (its {@code --format json} shape, see docs/architecture.md).
 *
 * @param outcome  deployed, awaiting-promotion, refused, rolled-back or rollback-failed
 * @param revision the workload revision it produced (Deployment or Rollout revision annotation), or null
 * @param changed  whether this promotion changed the workload or the GitOps overlay (false: refused, a failed
 *                 pre-deploy check, or the image was already there)
 */
public record PromotionResult(String environment, String component, String image, String digest, String strategy,
        String approver, String approvalSource, double durationSeconds, String outcome, String message, String revision,
        boolean changed) {

    public static final String DEPLOYED = "deployed";
    public static final String AWAITING_PROMOTION = "awaiting-promotion";
    public static final String REFUSED = "refused";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String ROLLBACK_FAILED = "rollback-failed";
    /** Failed and left as it is (rollback.automatic is false). */
    public static final String FAILED = "failed";
    /** The image was applied but the API server stopped answering: its rollout state is unknown. */
    public static final String UNKNOWN = "unknown";
    /** {@code korea rollout abort} took traffic back to the stable version. */
    public static final String ABORTED = "aborted";

    /** The exit code this outcome stands for. */
    public ExitCode exitCode() {
        return switch (outcome) {
            case DEPLOYED, AWAITING_PROMOTION, ABORTED -> ExitCode.OK;
            case REFUSED -> ExitCode.GATE_REFUSED;
            case ROLLED_BACK -> ExitCode.ROLLED_BACK;
            case ROLLBACK_FAILED -> ExitCode.ROLLBACK_FAILED;
            default -> ExitCode.FAILURE;
        };
    }
}
