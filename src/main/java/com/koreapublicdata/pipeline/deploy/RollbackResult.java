package com.koreapublicdata.pipeline.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

/**
 * The result of {@code korea rollback} ({@code --format json}).
 *
 * @param outcome rolled-back, skipped (the template already matched) or rollback-failed
 * @param changed whether the workload was changed (false when skipped)
 */
public record RollbackResult(String environment, String component, String fromRevision, String toRevision, String image,
        double durationSeconds, Outcome outcome, boolean changed, String message) {

    public static final Outcome SKIPPED = Outcome.SKIPPED;

    public RollbackResult(String environment, String component, String fromRevision, String toRevision, String image,
            double durationSeconds, Outcome outcome, String message) {
        this(environment, component, fromRevision, toRevision, image, durationSeconds, outcome, outcome.changesTarget(),
                message);
    }

    @JsonProperty("exitCode")
    public int exitCodeValue() {
        return exitCode().code();
    }

    /**
     * A rollback someone asked for that worked is a success (exit 0), unlike a promotion that had to be rolled back
     * (exit 20); every other outcome exits as it always does.
     */
    public ExitCode exitCode() {
        return outcome == Outcome.ROLLED_BACK ? ExitCode.OK : outcome.exitCode();
    }
}
