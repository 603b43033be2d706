package com.koreapublicdata.pipeline.config;

import java.time.Duration;
import java.util.List;

/** An Argo Rollouts canary strategy. */
public record CanarySettings(
        @Doc(value = "The steps, in Argo Rollouts' form.", defaultValue = "setWeight 20/40/60/80, each followed by pause 10m")
                List<CanaryStep> steps,
        @Doc(value = "Pods above the desired count during the update.", defaultValue = "25%", pattern = "^[0-9]+%?$")
                String maxSurge,
        @Doc(value = "Pods that may be unavailable during the update.", defaultValue = "0", pattern = "^[0-9]+%?$")
                String maxUnavailable,
        @Doc("Service selecting only the canary pods (optional, for traffic routing).") String canaryService,
        @Doc("Service selecting only the stable pods (optional, for traffic routing).") String stableService) {

    /** The seed's canary: 20/40/60/80 %, ten minutes at each. */
    public static final List<CanaryStep> DEFAULT_STEPS = List.of(
            CanaryStep.weight(20), CanaryStep.pauseFor(Duration.ofMinutes(10)),
            CanaryStep.weight(40), CanaryStep.pauseFor(Duration.ofMinutes(10)),
            CanaryStep.weight(60), CanaryStep.pauseFor(Duration.ofMinutes(10)),
            CanaryStep.weight(80), CanaryStep.pauseFor(Duration.ofMinutes(10)));

    public CanarySettings {
        steps = steps == null || steps.isEmpty() ? DEFAULT_STEPS : List.copyOf(steps);
        maxSurge = maxSurge == null ? "25%" : maxSurge;
        maxUnavailable = maxUnavailable == null ? "0" : maxUnavailable;
    }

    public static CanarySettings defaults() {
        return new CanarySettings(null, null, null, null, null);
    }
}
