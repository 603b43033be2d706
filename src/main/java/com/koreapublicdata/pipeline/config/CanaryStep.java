package com.koreapublicdata.pipeline.config;

import java.time.Duration;

/**
 * One canary step, written as Argo Rollouts writes it: {@code - setWeight: 20} or
 * {@code - pause: {duration: 10m}} ({@code pause: {}} waits for a person).
 */
public record CanaryStep(
        @Doc("Percentage of traffic (and pods) sent to the new version, 1 to 100.") Integer setWeight,
        @Doc("Wait before the next step; without a duration, wait until promoted.") Pause pause) {

    /** A pause; {@code duration} null means indefinite. */
    public record Pause(@Doc("How long to pause, e.g. 10m.") Duration duration) {
    }

    public static CanaryStep weight(int weight) {
        return new CanaryStep(weight, null);
    }

    public static CanaryStep pauseFor(Duration duration) {
        return new CanaryStep(null, new Pause(duration));
    }
}
