package com.koreapublicdata.pipeline;

/**
 * Every exit code the {@code korea} CLI returns. Jenkins steps and CI scripts branch on these numbers,
 * so they never change meaning.
 */
public enum ExitCode {
    OK(0, "success"),
    FAILURE(1, "unexpected failure (a tool, the network or a bug); nothing was decided"),
    USAGE(2, "usage error or invalid input: bad option, invalid korea.yaml, unreadable report"),
    GATE_REFUSED(10, "a policy gate refused: scan findings, missing approval, unscanned image"),
    LOCKED(11, "another promotion holds the lock for this component and environment"),
    ROLLED_BACK(20, "the deployment failed and was rolled back"),
    ROLLBACK_FAILED(21, "the deployment failed and the rollback failed too");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** In JSON results an exit code is its number. */
    @com.fasterxml.jackson.annotation.JsonValue
    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
