package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.ExitCode;

/**
 * The result of {@code korea promote} (its {@code --format json} shape, see docs/architecture.md).
 *
 * @param outcome  deployed, awaiting-promotion, refused, rolled-back or rollback-failed
 * @param revision the workload revision it produced (Deployment or Rollout revision annotation), or null
 * @param changed  whether this promotion changed the workload or the overlay (true even when it then failed)
 */
public record PromotionResult(String environment, String component, String image, String digest, String strategy,
        String approver, String approvalSource, double durationSeconds, String outcome, String message, String revision,
        boolean changed) {

    /** A result whose {@code changed} follows from the outcome: every outcome but refused and failed touched the target. */
    public PromotionResult(String environment, String component, String image, String digest, String strategy,
            String approver, String approvalSource, double durationSeconds, String outcome, String message, String revision) {
        this(environment, component, image, digest, strategy, approver, approvalSource, durationSeconds, outcome, message,
                revision, !REFUSED.equals(outcome) && !FAILED.equals(outcome) && !UNKNOWN.equals(outcome));
    }

    public static final String DEPLOYED = "deployed";
    public static final String AWAITING_PROMOTION = "awaiting-promotion";
    public static final String REFUSED = "refused";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String ROLLBACK_FAILED = "rollback-failed";
    /** Failed and left as it is (rollback.automatic is false). */
    public static final String FAILED = "failed";
    /** The image was applied but its rollout state could not be read before the deadline (API server unreachable). */
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
