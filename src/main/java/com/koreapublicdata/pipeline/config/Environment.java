package com.koreapublicdata.pipeline.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A place the product runs: development, staging, production. A push to one of its branches deploys to it.
 */
public record Environment(
        @Doc("The environment's name; set from its key under environments.") String name,
        @Doc(value = "Branches whose pushes deploy here (exact names or globs such as release/*).", required = true)
                List<String> branches,
        @Doc(value = "Kubernetes namespace.", defaultValue = "{project}-{name}") String namespace,
        @Doc("Kube context (cluster) to deploy to. Without it and without gitops, deploys go to a local GitOps repository.")
                String cluster,
        @Doc("Deploy by committing the image to a GitOps repository instead of changing the cluster directly.")
                GitOpsTarget gitops,
        @Doc("Whether a person must approve, and who may.") Approval approval,
        @Doc(value = "Default strategy for components not listed under components.", defaultValue = "rolling")
                Strategy strategy,
        @Doc("Per-component strategy and parameters in this environment, keyed by component name.")
                Map<String, DeploySettings> components,
        @Doc(value = "Refuse images whose digest has no passing scan record.", defaultValue = "true") Boolean requireScan,
        @Doc(value = "Let the pipeline go on, visibly marked skipped, when no scanner is installed.", defaultValue = "false")
                Boolean allowMissingScanner,
        @Doc(value = "How long a promotion may take before it is rolled back.", defaultValue = "15m") Duration timeout,
        @Doc(value = "How long a second promotion of the same component waits for the lock.", defaultValue = "10m")
                Duration lockTimeout,
        @Doc(value = "Rollout time budgets for every component here (rollout.budget.active, .total).",
                defaultValue = "no budget") RolloutSettings rollout,
        @Doc("Who may deploy here by hand, roll back and promote a paused rollout (user ids; the Jenkins input submitter "
                + "for those actions); the engine checks --requested-by against it. Empty: anyone.") List<String> team,
        @Doc("Freeze windows: promotions are refused inside them unless broken with --break-glass.")
                List<FreezeWindow> freeze,
        @Doc("The environment whose verified deployments this one accepts: only a digest deployed there (and passed its "
                + "analysis) may be promoted here.") String promoteFrom,
        @Doc(value = "How long a digest must have run in promoteFrom before it may be promoted here.", defaultValue = "0s")
                Duration minSoak,
        @Doc("Multi-cluster promotion: the clusters (kube contexts) to promote one digest to, wave by wave, in order; each "
                + "wave a context, a list of contexts or {clusters, soak}. Instead of cluster; not with gitops.")
                List<Wave> waves) {

    public Environment(String name, List<String> branches, String namespace, String cluster, GitOpsTarget gitops,
            Approval approval, Strategy strategy, Map<String, DeploySettings> components, Boolean requireScan,
            Boolean allowMissingScanner, Duration timeout, Duration lockTimeout) {
        this(name, branches, namespace, cluster, gitops, approval, strategy, components, requireScan, allowMissingScanner,
                timeout, lockTimeout, null, null, null, null, null);
    }

    /** Without waves (the form before multi-cluster promotion). */
    public Environment(String name, List<String> branches, String namespace, String cluster, GitOpsTarget gitops,
            Approval approval, Strategy strategy, Map<String, DeploySettings> components, Boolean requireScan,
            Boolean allowMissingScanner, Duration timeout, Duration lockTimeout, RolloutSettings rollout, List<String> team,
            List<FreezeWindow> freeze, String promoteFrom, Duration minSoak) {
        this(name, branches, namespace, cluster, gitops, approval, strategy, components, requireScan, allowMissingScanner,
                timeout, lockTimeout, rollout, team, freeze, promoteFrom, minSoak, null);
    }

    public Environment {
        branches = branches == null ? List.of() : List.copyOf(branches);
        approval = approval == null ? Approval.none() : approval;
        strategy = strategy == null ? Strategy.ROLLING : strategy;
        components = components == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
        requireScan = requireScan == null || requireScan;
        allowMissingScanner = allowMissingScanner != null && allowMissingScanner;
        timeout = timeout == null ? Duration.ofMinutes(15) : timeout;
        lockTimeout = lockTimeout == null ? Duration.ofMinutes(10) : lockTimeout;
        team = team == null ? List.of() : List.copyOf(team);
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        minSoak = minSoak == null ? Duration.ZERO : minSoak;
        waves = waves == null ? List.of() : List.copyOf(waves);
    }

    /** Whether {@code korea promote} goes cluster by cluster through {@code waves}. */
    public boolean hasWaves() {
        return !waves.isEmpty();
    }

    /** Every cluster of the waves, in promotion order. */
    public List<String> waveClusters() {
        return waves.stream().flatMap(w -> w.clusters().stream()).toList();
    }

    /** The wave (1-based) that promotes {@code cluster}, or 0. */
    public int waveOf(String cluster) {
        for (int i = 0; i < waves.size(); i++) {
            if (waves.get(i).clusters().contains(cluster)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** This environment as one cluster of its waves sees it: that kube context, no waves. */
    public Environment onCluster(String context) {
        return new Environment(name, branches, namespace, context, gitops, approval, strategy, components, requireScan,
                allowMissingScanner, timeout, lockTimeout, rollout, team, freeze, promoteFrom, minSoak, null);
    }

    /** Whether deploys go through git (an explicit gitops block, or no cluster named at all). */
    public boolean isGitOps() {
        return gitops != null || cluster == null && waves.isEmpty();
    }

    /** The GitOps target, the local default repository when none is configured. */
    public GitOpsTarget gitOpsTarget() {
        return (gitops == null ? GitOpsTarget.localDefault() : gitops).resolve(name);
    }

    /** How {@code component} is deployed here, with every default filled in. */
    public DeploySettings deployment(String component) {
        return components.getOrDefault(component, DeploySettings.empty()).resolve(component, strategy, rollout);
    }

    Environment resolve(String newName, String project) {
        return new Environment(newName, branches, namespace == null ? project + "-" + newName : namespace, cluster, gitops,
                approval, strategy, components, requireScan, allowMissingScanner, timeout, lockTimeout, rollout, team,
                freeze, promoteFrom, minSoak, waves);
    }
}
