package com.koreapublicdata.pipeline.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an analysis ended.
 *
 * @param outcome    passed, failed, or inconclusive (the limit was reached only because Prometheus could not
 *                   answer); anything but passed must be treated as a failure by a deploy (fail closed)
 * @param reason     one line for people: which check failed how, or how many rounds passed
 * @param startedAt  when the analysis started
 * @param finishedAt when the verdict was reached
 * @param rounds     every round, oldest first
 */
public record AnalysisVerdict(Outcome outcome, String reason, Instant startedAt, Instant finishedAt,
        List<AnalysisRound> rounds) {

    public enum Outcome {
        PASSED, FAILED, INCONCLUSIVE;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AnalysisVerdict {
        rounds = List.copyOf(rounds);
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** The last round, or null when none ran. */
    public AnalysisRound lastRound() {
        return rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
    }
}
