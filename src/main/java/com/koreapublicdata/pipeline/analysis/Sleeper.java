package com.koreapublicdata.pipeline.analysis;

import java.time.Duration;

/** Waits between analysis rounds; tests pass one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real one. */
    static Sleeper system() {
        return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
}
