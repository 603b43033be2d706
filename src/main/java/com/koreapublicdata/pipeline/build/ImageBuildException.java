package com.koreapublicdata.pipeline.build;

/** An image build that failed; carries the command (or builder step) and its exit code for the result. */
final class ImageBuildException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final Integer exitCode;

    ImageBuildException(String message, String command, Integer exitCode) {
        super(message);
        this.command = command;
        this.exitCode = exitCode;
    }

    ImageBuildException(String message, Throwable cause) {
        super(message, cause);
        this.command = null;
        this.exitCode = null;
    }

    String command() {
        return command;
    }

    Integer exitCode() {
        return exitCode;
    }
}
