package com.koreapublicdata.pipeline.deploy;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsChange;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsDeployer;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link GitOpsRepository} by {@code deploy.gitops.GitOpsDeployer} for one korea.yaml file; the cluster (to wait
 * for Argo CD) is connected only when the environment names one and an Application.
 */
public final class GitOpsOverlays implements GitOpsRepository {
    private final ConfigFile file;
    private final ClusterConnector clusters;
    private final Clock clock;
    private final Consumer<String> progress;
    private final Map<String, String> env;

    /** @param env where the git credentials and commit identity come from (see GitOpsDeployer) */
    public GitOpsOverlays(ConfigFile file, ClusterConnector clusters, Clock clock, Consumer<String> progress,
            Map<String, String> env) {
        this.file = file;
        this.clusters = clusters;
        this.clock = clock;
        this.progress = progress;
        this.env = Map.copyOf(env);
    }

    @Override
    public GitOpsResult deploy(Environment environment, Component component, String image, String version, String approver,
            String buildUrl) {
        return withDeployer(environment, d -> d.deploy(new GitOpsChange(file, environment, component, image, version, approver,
                buildUrl)));
    }

    @Override
    public GitOpsResult revert(Environment environment, Component component, String commit, String version,
                String requestedBy,
            String buildUrl) {
        return withDeployer(environment, d -> d.revert(new GitOpsChange(file, environment, component, null, version, requestedBy,
                buildUrl), commit));
    }

    private GitOpsResult withDeployer(Environment environment, Function<GitOpsDeployer, GitOpsResult> call) {
        KubernetesClient cluster = environment.cluster() != null && environment.gitOpsTarget().application() != null
                ? clusters.connect(environment) : null;
        try {
            return call.apply(new GitOpsDeployer(clock, progress, cluster, env));
        } finally {
            if (cluster != null) {
                clusters.release(cluster);
            }
        }
    }
}
