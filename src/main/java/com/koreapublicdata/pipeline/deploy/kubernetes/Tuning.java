package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.time.Duration;

/**
 * Timing knobs that are not worth a korea.yaml field; tests shrink them.
 *
 * @param leaseDuration  how long a lock holder is trusted without renewal (renewed every third of it)
 * @param lockPoll       how often a waiting promotion looks at the lock again
 * @param resync         a watch with no event for this long is checked with one GET (informers' resync)
 * @param retries        attempts for a request answered 409 (conflict) or 5xx
 * @param retryBackoff   wait before retrying a 5xx
 */
public record Tuning(Duration leaseDuration, Duration lockPoll, Duration resync, int retries, Duration retryBackoff) {

    public static Tuning defaults() {
        return new Tuning(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30), 5, Duration.ofSeconds(2));
    }
}
