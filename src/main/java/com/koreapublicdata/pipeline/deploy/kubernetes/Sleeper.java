package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.time.Duration;

/** Waiting between retries and lock polls; tests pass one that advances a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
