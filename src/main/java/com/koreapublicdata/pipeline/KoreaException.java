package com.koreapublicdata.pipeline;

/**
 * The one unchecked exception that carries a decided outcome out of a capability. Its message is meant
 * for the user as is: it names the file, line or field and what is allowed.
 */
public class KoreaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;
    private final String holder;

    public KoreaException(ExitCode exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public KoreaException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, null);
    }

    private KoreaException(ExitCode exitCode, String message, Throwable cause, String holder) {
        super(message, cause);
        this.exitCode = exitCode;
        this.holder = holder;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** The outcome this failure reports: failed, invalid-input, refused, locked, ... */
    public Outcome outcome() {
        return Outcome.of(exitCode);
    }

    /** Who holds the lock, for exit 11; null otherwise. */
    public String holder() {
        return holder;
    }

    /** Another promotion holds the lock. Exit 11, naming the holder. */
    public static KoreaException locked(String message, String holder) {
        return new KoreaException(ExitCode.LOCKED, message, null, holder);
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
