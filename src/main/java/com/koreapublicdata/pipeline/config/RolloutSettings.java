package com.koreapublicdata.pipeline.config;

import java.time.Duration;

/** Limits on how long a rollout may take, beyond the environment's timeout. */
public record RolloutSettings(
        @Doc("Time budgets; exceeding one aborts the rollout and rolls it back.") Budget budget) {

    public RolloutSettings {
        budget = budget == null ? new Budget(null, null) : budget;
    }

    /**
     * Active time leaves out the deliberate waits: canary pauses (and their analysis), blue-green waits for
     * promotion, approval waits. Total time counts everything from the start of the command.
     */
    public record Budget(
            @Doc(value = "Longest time the rollout may be working (canary pauses, blue-green and approval waits excluded), "
                    + "e.g. 15m.", defaultValue = "no limit") Duration active,
            @Doc(value = "Longest time the whole rollout may take, waits included, e.g. 2h.", defaultValue = "no limit")
                    Duration total) {
    }

    /** This one's values, each falling back to {@code outer}'s (a component's over its environment's). */
    RolloutSettings orElse(RolloutSettings outer) {
        if (outer == null) {
            return this;
        }
        return new RolloutSettings(new Budget(budget.active() != null ? budget.active() : outer.budget().active(),
                budget.total() != null ? budget.total() : outer.budget().total()));
    }

    static RolloutSettings none() {
        return new RolloutSettings(null);
    }
}
