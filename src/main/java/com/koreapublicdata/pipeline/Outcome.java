package com.koreapublicdata.pipeline;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a command ended: THE outcome type of every result (promote, rollout, rollback, scan, build, run) and of the
 * deployment records. Each outcome knows its exit code, so no caller maps exit codes or message texts back to a
 * meaning; the Jenkins steps read {@code outcome} from the JSON result.
 */
public enum Outcome {
    DEPLOYED(ExitCode.OK),
    AWAITING_PROMOTION(ExitCode.OK),
    ABORTED(ExitCode.OK),
    PASSED(ExitCode.OK),
    SKIPPED(ExitCode.OK),
    REFUSED(ExitCode.GATE_REFUSED),
    LOCKED(ExitCode.LOCKED),
    INVALID_INPUT(ExitCode.USAGE),
    FAILED(ExitCode.FAILURE),
    /** The workload was changed but whether its rollout finished could not be found out. */
    UNKNOWN(ExitCode.FAILURE),
    ROLLED_BACK(ExitCode.ROLLED_BACK),
    ROLLBACK_FAILED(ExitCode.ROLLBACK_FAILED);

    private final ExitCode exitCode;

    Outcome(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /**
     * Whether a result with this outcome changed its target by default: a deployed, awaiting, aborted, unknown or
     * rolled-back promotion did; a refused, locked, invalid or (by default) failed one did not. A result that knows
     * better (a failure after the image was applied, a GitOps overlay already at the image) says so itself.
     */
    public boolean changesTarget() {
        return switch (this) {
            case DEPLOYED, AWAITING_PROMOTION, ABORTED, UNKNOWN, ROLLED_BACK, ROLLBACK_FAILED -> true;
            case PASSED, SKIPPED, REFUSED, LOCKED, INVALID_INPUT, FAILED -> false;
        };
    }

    /** Whether the command did what was asked (exit 0). */
    public boolean success() {
        return exitCode == ExitCode.OK;
    }

    /** The JSON (and record) name: kebab-case, e.g. {@code rolled-back}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return json();
    }

    /** Reads a JSON name; records written before this type existed use the same names. */
    @JsonCreator
    public static Outcome fromJson(String name) {
        for (Outcome o : values()) {
            if (o.json().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + name + "'; known: "
                + java.util.Arrays.stream(values()).map(Outcome::json).toList());
    }

    /** The outcome a capability's exception stands for (a failure that ended a command before its own result). */
    public static Outcome of(ExitCode code) {
        return switch (code) {
            case OK -> PASSED;
            case USAGE -> INVALID_INPUT;
            case GATE_REFUSED -> REFUSED;
            case LOCKED -> LOCKED;
            case ROLLED_BACK -> ROLLED_BACK;
            case ROLLBACK_FAILED -> ROLLBACK_FAILED;
            case FAILURE -> FAILED;
        };
    }
}
