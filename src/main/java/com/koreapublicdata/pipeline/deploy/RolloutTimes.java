package com.koreapublicdata.pipeline.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.config.RolloutSettings;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

/**
 * Splits one rollout's time into active and paused (canary pauses, blue-green waits for promotion) on the injected
 * clock, and enforces rollout.budget. Time between two marks belongs to the state of the earlier mark.
 */
final class RolloutTimes {
    private final Clock clock;
    private final Instant start;
    private Instant last;
    private boolean paused;
    private Duration active = Duration.ZERO;
    private Duration pausedTotal = Duration.ZERO;

    RolloutTimes(Clock clock, Instant start) {
        this.clock = clock;
        this.start = start;
        this.last = start;
    }

    /** From now on the rollout is paused (true) or working (false). */
    synchronized void mark(boolean nowPaused) {
        Instant now = clock.instant();
        Duration elapsed = Duration.between(last, now);
        if (!elapsed.isNegative()) {
            if (paused) {
                pausedTotal = pausedTotal.plus(elapsed);
            } else {
                active = active.plus(elapsed);
            }
        }
        last = now;
        paused = nowPaused;
    }

    synchronized Duration active() {
        mark(paused);
        return active;
    }

    synchronized Duration paused() {
        mark(paused);
        return pausedTotal;
    }

    /** @throws WaitFailure "budget exceeded (active 15m)" or "(total 2h)" once a budget is used up */
    void check(RolloutSettings.Budget budget) {
        if (budget == null) {
            return;
        }
        if (budget.active() != null && active().compareTo(budget.active()) > 0) {
            throw new WaitFailure("budget exceeded (active " + Durations.format(budget.active()) + "): the rollout has been "
                    + "working for " + Durations.format(active().withNanos(0)) + " (pauses and waits for promotion left out)");
        }
        if (budget.total() != null && Duration.between(start, clock.instant()).compareTo(budget.total()) > 0) {
            throw new WaitFailure("budget exceeded (total " + Durations.format(budget.total()) + "): the rollout started "
                    + Durations.format(Duration.between(start, clock.instant()).withNanos(0)) + " ago");
        }
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
