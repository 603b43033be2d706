package com.koreapublicdata.pipeline.deploy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

/**
 * The result of {@code korea rollback} on an environment with waves: every cluster of the last promotion (or the
 * one of {@code --cluster}), newest wave first.
 *
 * @param outcome rolled-back (every cluster restored; exit 0, as a manual rollback that worked) or rollback-failed
 *                (exit 21; {@code clusters} says which)
 */
public record WaveRollbackResult(String environment, String component, double durationSeconds, Outcome outcome,
        boolean changed, String message, List<ClusterOutcome> clusters) {

    public WaveRollbackResult {
        clusters = List.copyOf(clusters);
    }

    @JsonProperty("exitCode")
    public int exitCodeValue() {
        return exitCode().code();
    }

    public ExitCode exitCode() {
        return outcome == Outcome.ROLLED_BACK ? ExitCode.OK : outcome.exitCode();
    }
}
