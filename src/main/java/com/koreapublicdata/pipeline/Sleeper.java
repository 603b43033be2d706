package com.koreapublicdata.pipeline;

import java.time.Duration;

/**
 * The one way the engine waits (retries, lock polls, analysis rounds, Slack back-off), injected next to the
 * {@link java.time.Clock}; tests pass one that advances a fake clock instead.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real one. */
    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));

    /** The real one (the name the analysis used). */
    static Sleeper system() {
        return REAL;
    }
}
