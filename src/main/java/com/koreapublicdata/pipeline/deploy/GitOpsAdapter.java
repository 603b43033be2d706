package com.koreapublicdata.pipeline.deploy;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsChange;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsDeployer;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsSyncException;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link GitOpsPromotion} by {@code deploy.gitops.GitOpsDeployer}: commit and push the image, wait for Argo CD
 * when an Application is configured, and revert the commit when Argo CD did not deploy it.
 */
public final class GitOpsAdapter implements GitOpsPromotion {
    private final ConfigFile file;
    private final ClusterConnector clusters;
    private final Clock clock;
    private final Consumer<String> progress;
    private final Map<String, String> env;

    public GitOpsAdapter(ConfigFile file, ClusterConnector clusters, Clock clock, Consumer<String> progress,
            Map<String, String> env) {
        this.file = file;
        this.clusters = clusters;
        this.clock = clock;
        this.progress = progress;
        this.env = env;
    }

    @Override
    public PromotionResult promote(PromotionRequest request, String image, String digest) {
        Environment environment = file.config().environment(request.environment()).orElseThrow();
        Component component = file.config().component(request.component()).orElseThrow();
        String version = request.version() != null ? request.version() : ImageReference.parse(image).version();
        KubernetesClient cluster = environment.cluster() != null && environment.gitOpsTarget().application() != null
                ? clusters.connect(environment) : null;
        try {
            GitOpsDeployer deployer = new GitOpsDeployer(clock, progress, cluster, env);
            GitOpsChange change = new GitOpsChange(file, environment, component, image, version, request.approvedBy(),
                    request.buildUrl());
            try {
                GitOpsResult r = deployer.deploy(change);
                return result(request, image, digest, PromotionResult.DEPLOYED, r.message(), r.commit());
            } catch (GitOpsSyncException e) {
                try {
                    GitOpsResult reverted = deployer.revert(change, e.result().commit());
                    return result(request, image, digest, PromotionResult.ROLLED_BACK, e.getMessage() + "; reverted with commit "
                            + reverted.commit(), reverted.commit());
                } catch (KoreaException revertFailed) {
                    return result(request, image, digest, PromotionResult.ROLLBACK_FAILED, e.getMessage()
                            + "; the revert failed too: " + revertFailed.getMessage(), e.result().commit());
                }
            }
        } finally {
            if (cluster != null) {
                clusters.release(cluster);
            }
        }
    }

    private static PromotionResult result(PromotionRequest r, String image, String digest, String outcome, String message,
            String revision) {
        return new PromotionResult(r.environment(), r.component(), image, digest, "gitops", r.approvedBy(), r.approvalSource(), 0,
                outcome, message, revision);
    }
}
