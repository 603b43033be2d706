package com.koreapublicdata.pipeline.analysis;

import java.time.Instant;
import java.util.List;

/**
 * One round: every check evaluated once.
 *
 * @param number 1 for the first round
 * @param time   when the round was evaluated
 * @param checks each check's value, threshold and verdict
 */
public record AnalysisRound(int number, Instant time, List<CheckResult> checks) {

    public AnalysisRound {
        checks = List.copyOf(checks);
    }

    /** Whether any check failed in this round. */
    public boolean failed() {
        return checks.stream().anyMatch(CheckResult::failed);
    }

    /** Whether some check has now failed as often as it may: the analysis is over. */
    public boolean thresholdReached() {
        return checks.stream().anyMatch(CheckResult::thresholdReached);
    }
}
