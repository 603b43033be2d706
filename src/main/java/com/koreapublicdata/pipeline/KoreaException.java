package com.koreapublicdata.pipeline;

/**
 * The one unchecked exception that carries a decided outcome out of a capability. Its message is meant
 * for the user as is: it names the file, line or field and what is allowed.
 */
public class KoreaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public KoreaException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public KoreaException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Invalid input: a bad option value, an invalid file, an unreadable report. Exit 2. */
    public static KoreaException invalidInput(String message) {
        return new KoreaException(ExitCode.USAGE, message);
    }

    /** A policy gate said no. Exit 10. */
    public static KoreaException gateRefused(String message) {
        return new KoreaException(ExitCode.GATE_REFUSED, message);
    }
}
