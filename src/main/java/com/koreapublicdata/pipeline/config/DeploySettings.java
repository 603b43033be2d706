package com.koreapublicdata.pipeline.config;

import java.util.List;

/** How one component is deployed in one environment. */
public record DeploySettings(
        @Doc(value = "rolling, bluegreen, canary or gitops.", defaultValue = "the environment's strategy") Strategy strategy,
        @Doc(value = "Name of the Deployment or Rollout.", defaultValue = "the component name") String workload,
        @Doc(value = "Name of the container whose image is set.", defaultValue = "the component name") String container,
        @Doc("Rolling update parameters.") RollingSettings rolling,
        @Doc("Blue-green parameters.") BlueGreenSettings blueGreen,
        @Doc("Canary parameters.") CanarySettings canary,
        @Doc("Checks run after the deploy; a failure rolls back.") List<SmokeTest> smokeTests,
        @Doc(value = "Number of replicas when korea creates the workload.", defaultValue = "keep the cluster's value, 3 when new")
                Integer replicas,
        @Doc(value = "Rollout time budgets for this component here (rollout.budget.active, .total); unset values come "
                + "from the environment's rollout.", defaultValue = "the environment's rollout") RolloutSettings rollout) {

    public DeploySettings(Strategy strategy, String workload, String container, RollingSettings rolling,
            BlueGreenSettings blueGreen, CanarySettings canary, List<SmokeTest> smokeTests, Integer replicas) {
        this(strategy, workload, container, rolling, blueGreen, canary, smokeTests, replicas, null);
    }

    public DeploySettings {
        rolling = rolling == null ? RollingSettings.defaults() : rolling;
        blueGreen = blueGreen == null ? BlueGreenSettings.defaults() : blueGreen;
        canary = canary == null ? CanarySettings.defaults() : canary;
        smokeTests = smokeTests == null ? List.of() : List.copyOf(smokeTests);
    }

    /** Fills what the component and environment imply: names and the environment's default strategy. */
    DeploySettings resolve(String componentName, Strategy environmentStrategy, RolloutSettings environmentRollout) {
        return new DeploySettings(strategy == null ? environmentStrategy : strategy,
                workload == null ? componentName : workload, container == null ? componentName : container,
                rolling, blueGreen, canary, smokeTests, replicas,
                (rollout == null ? RolloutSettings.none() : rollout).orElse(environmentRollout));
    }

    static DeploySettings empty() {
        return new DeploySettings(null, null, null, null, null, null, null, null);
    }
}
