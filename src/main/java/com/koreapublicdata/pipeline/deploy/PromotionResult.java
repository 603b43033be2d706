package com.koreapublicdata.pipeline.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.analysis.BaselineVerdict;

/**
 * The result of {@code korea promote} and {@code korea rollout} (their {@code --format json} shape, see
 * docs/architecture.md).
 *
 * @param outcome  deployed, awaiting-promotion, aborted, refused, failed, unknown, rolled-back or rollback-failed
 * @param changed  whether this promotion changed a workload or a GitOps overlay (also when it was then rolled back)
 * @param revision the workload revision it produced (Deployment or Rollout revision annotation), or null
 * @param comparison the last baseline comparison of a canary (analysis.compare: baseline), or null
 */
public record PromotionResult(String environment, String component, String image, String digest, String strategy,
        String approver, String approvalSource, double durationSeconds, Outcome outcome, boolean changed, String message,
        String revision, BaselineVerdict comparison) {

    public PromotionResult(String environment, String component, String image, String digest, String strategy,
            String approver, String approvalSource, double durationSeconds, Outcome outcome, boolean changed,
            String message, String revision) {
        this(environment, component, image, digest, strategy, approver, approvalSource, durationSeconds, outcome, changed,
                message, revision, null);
    }

    // the deploy package's names for the outcomes it produces (the same constants as Outcome's)
    public static final Outcome DEPLOYED = Outcome.DEPLOYED;
    public static final Outcome AWAITING_PROMOTION = Outcome.AWAITING_PROMOTION;
    public static final Outcome REFUSED = Outcome.REFUSED;
    public static final Outcome ROLLED_BACK = Outcome.ROLLED_BACK;
    public static final Outcome ROLLBACK_FAILED = Outcome.ROLLBACK_FAILED;
    /** Failed and left as it is (rollback.automatic is false). */
    public static final Outcome FAILED = Outcome.FAILED;
    /** {@code korea rollout abort} took traffic back to the stable version. */
    public static final Outcome ABORTED = Outcome.ABORTED;

    /** With {@code changed} as the outcome implies it (a refused promotion changed nothing, a deployed one did). */
    public PromotionResult(String environment, String component, String image, String digest, String strategy,
            String approver, String approvalSource, double durationSeconds, Outcome outcome, String message, String revision) {
        this(environment, component, image, digest, strategy, approver, approvalSource, durationSeconds, outcome,
                outcome.changesTarget(), message, revision);
    }

    /** The exit code this outcome stands for. */
    @JsonProperty("exitCode")
    public int exitCodeValue() {
        return outcome.exitCode().code();
    }

    public ExitCode exitCode() {
        return outcome.exitCode();
    }
}
