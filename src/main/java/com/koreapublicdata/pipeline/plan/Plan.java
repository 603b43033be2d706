package com.koreapublicdata.pipeline.plan;

import java.util.List;

import com.koreapublicdata.pipeline.config.Strategy;

/**
 * What one pipeline run does: which environment it deploys to (or none), which components it touches and how,
 * in which stages, and whether a person must approve first.
 */
public record Plan(String environment, String branch, String commit, List<PlannedComponent> components,
        Approval approval, List<String> stages, String reason, Pipeline pipeline, Policy policy, List<WaveStep> waves) {

    public Plan {
        components = components == null ? List.of() : List.copyOf(components);
        stages = stages == null ? List.of() : List.copyOf(stages);
        waves = waves == null ? List.of() : List.copyOf(waves);
    }

    /** Without waves (an environment deploying to one cluster). */
    public Plan(String environment, String branch, String commit, List<PlannedComponent> components, Approval approval,
            List<String> stages, String reason, Pipeline pipeline, Policy policy) {
        this(environment, branch, commit, components, approval, stages, reason, pipeline, policy, null);
    }

    /**
     * One wave of the environment's multi-cluster promotion (environments.E.waves), so the pipeline can lay out one
     * stage per wave; korea promote runs them all and reports each.
     */
    public record WaveStep(int wave, List<String> clusters, long soakSeconds) {
        public WaveStep {
            clusters = List.copyOf(clusters);
        }
    }

    public Plan(String environment, String branch, String commit, List<PlannedComponent> components, Approval approval,
            List<String> stages, String reason, Pipeline pipeline) {
        this(environment, branch, commit, components, approval, stages, reason, pipeline, null);
    }

    /**
     * What each stage demands on this branch's environment: the one flow policy that korea run and the Jenkins steps
     * (through korea plan) both follow, so the same korea.yaml gives the same stage outcomes everywhere.
     *
     * @param scan     whether the scan may be skipped and with which tools it runs
     * @param approval required or none
     * @param deploy   where the deploy goes: kubernetes, gitops, or none (the branch has no environment)
     */
    public record Policy(ScanPolicy scan, Requirement approval, String deploy) {
    }

    /**
     * @param policy          required, or may-skip-when-no-scanner (environments.E.allowMissingScanner)
     * @param tools           the scanners that run (scan.tools)
     * @param requiredToDeploy whether promote refuses an image without a passing scan record (requireScan)
     */
    public record ScanPolicy(ScanRule policy, List<String> tools, boolean requiredToDeploy) {
        public ScanPolicy {
            tools = tools == null ? List.of() : List.copyOf(tools);
        }

        /** Whether the stage is skipped (not failed) when none of the tools is installed. */
        public boolean maySkipWhenNoScanner() {
            return policy == ScanRule.MAY_SKIP_WHEN_NO_SCANNER;
        }
    }

    /** How a missing scanner is treated. */
    public enum ScanRule {
        REQUIRED, MAY_SKIP_WHEN_NO_SCANNER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether a stage must happen. */
    public enum Requirement {
        REQUIRED, NONE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A component the change affects. {@code changes} lists the files that matched, empty when all are affected. */
    public record PlannedComponent(String name, String kind, Strategy strategy, String target, String namespace,
            String workload, List<String> changes) {
        public PlannedComponent {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    /**
     * Whether deploying needs approval, who may give it, how long the prompt waits, how many distinct people must
     * approve, whether the requester may be one, and whether a signed approval record is needed.
     */
    public record Approval(boolean required, List<String> submitters, boolean usersOnly, long timeoutMinutes, int quorum,
            boolean allowSelfApproval, boolean signingKeyRequired) {
        public Approval {
            submitters = submitters == null ? List.of() : List.copyOf(submitters);
        }

        public Approval(boolean required, List<String> submitters, boolean usersOnly, long timeoutMinutes) {
            this(required, submitters, usersOnly, timeoutMinutes, 1, false, false);
        }
    }

    /**
     * What the Jenkins steps need to lay out the run: the agent label (null: any), whether branches run in a
     * Kubernetes pod, the pod template resource, who sends Slack messages (engine or jenkins), the Slack
     * credential id, whether notifications are on, and (kubernetesAgent with the default template) the pod YAML
     * with one sidecar per test service of the planned components.
     */
    public record Pipeline(String agent, boolean kubernetesAgent, String podTemplate, String notifyVia,
            String slackCredentialsId, boolean notificationsEnabled, String podYaml) {
    }

    public boolean deploys() {
        return environment != null && !components.isEmpty();
    }
}
