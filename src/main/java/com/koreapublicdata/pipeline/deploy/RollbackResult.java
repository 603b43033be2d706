package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.ExitCode;

/**
 * The result of {@code korea rollback} ({@code --format json}).
 *
 * @param outcome rolled-back, skipped (the template already matched) or rollback-failed
 */
public record RollbackResult(String environment, String component, String fromRevision, String toRevision, String image,
        double durationSeconds, String outcome, String message) {

    public static final String SKIPPED = "skipped";

    public ExitCode exitCode() {
        return PromotionResult.ROLLBACK_FAILED.equals(outcome) ? ExitCode.ROLLBACK_FAILED : ExitCode.OK;
    }
}
