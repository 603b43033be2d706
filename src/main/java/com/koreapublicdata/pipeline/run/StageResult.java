package com.koreapublicdata.pipeline.run;

import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.ExitCode;

/**
 * One stage of one component in a run: what happened, how long it took, and a line for people.
 *
 * @param stage           test, build, scan, approve, deploy
 * @param status          see {@link Status}
 * @param durationSeconds wall time, 0 for stages that did not run
 * @param detail          why it failed, what was skipped and why, or what it produced
 * @param exitCode        the exit code this stage asks the run to end with (OK when it passed or was skipped)
 */
public record StageResult(String stage, Status status, double durationSeconds, String detail, ExitCode exitCode) {

    /** Outcomes in order of severity; a run's exit code follows the worst. */
    public enum Status {
        // the stages that end like a command use its outcome's name; awaiting and not run are a run's own
        PASSED(Outcome.PASSED.json()), SKIPPED(Outcome.SKIPPED.json()), AWAITING("awaiting"), NOT_RUN("not run"),
        REFUSED(Outcome.REFUSED.json()), FAILED(Outcome.FAILED.json());

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public boolean blocks() {
            return this == REFUSED || this == FAILED;
        }
    }

    /** The command outcome this stage ended with; null while awaiting or when it did not run. */
    public Outcome outcome() {
        return switch (status) {
            case PASSED -> Outcome.PASSED;
            case SKIPPED -> Outcome.SKIPPED;
            case REFUSED -> Outcome.REFUSED;
            case FAILED -> Outcome.FAILED;
            case AWAITING, NOT_RUN -> null;
        };
    }

    public static StageResult notRun(String stage, String why) {
        return new StageResult(stage, Status.NOT_RUN, 0, why, ExitCode.OK);
    }

    public static StageResult passed(String stage, double seconds, String detail) {
        return new StageResult(stage, Status.PASSED, seconds, detail, ExitCode.OK);
    }

    public static StageResult skipped(String stage, String why) {
        return new StageResult(stage, Status.SKIPPED, 0, why, ExitCode.OK);
    }

    public static StageResult failed(String stage, double seconds, String why, ExitCode code) {
        return new StageResult(stage, code == ExitCode.GATE_REFUSED ? Status.REFUSED : Status.FAILED, seconds, why, code);
    }
}
