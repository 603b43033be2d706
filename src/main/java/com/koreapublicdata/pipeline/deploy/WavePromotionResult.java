package com.koreapublicdata.pipeline.deploy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

/**
 * The result of {@code korea promote} on an environment with waves: the promote shape (outcome, changed, exitCode,
 * message...) plus where every wave and every cluster ended.
 *
 * @param outcome deployed, refused, failed, rolled-back (every changed cluster restored) or rollback-failed (the
 *                message and {@code clusters} name the ones that were not)
 */
public record WavePromotionResult(String environment, String component, String image, String digest, String strategy,
        String approver, String approvalSource, double durationSeconds, Outcome outcome, boolean changed, String message,
        List<WaveOutcome> waves, List<ClusterOutcome> clusters) {

    public WavePromotionResult {
        waves = List.copyOf(waves);
        clusters = List.copyOf(clusters);
    }

    @JsonProperty("exitCode")
    public int exitCodeValue() {
        return outcome.exitCode().code();
    }

    public ExitCode exitCode() {
        return outcome.exitCode();
    }
}
