package com.koreapublicdata.pipeline.deploy;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsDeployer;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link GitOpsPromotion} through the overlay's {@link GitOpsStrategy}: apply (commit and push the image, Argo CD
 * waited for when an Application is configured), await, verify ({@code analysis.verification} through the
 * {@link HealthCheck} once Argo CD reports the version deployed), and the undo (a revert commit) when Argo CD did
 * not deploy it or the analysis failed.
 */
public final class GitOpsAdapter implements GitOpsPromotion {
    private final ConfigFile file;
    private final ClusterConnector clusters;
    private final Clock clock;
    private final Consumer<String> progress;
    private final Map<String, String> env;
    private final HealthCheck health;

    /** Without a health check: no analysis after the deploy. */
    public GitOpsAdapter(ConfigFile file, ClusterConnector clusters, Clock clock, Consumer<String> progress,
            Map<String, String> env) {
        this(file, clusters, clock, progress, env, HealthCheck.NONE);
    }

    /** @param health the analysis run after Argo CD reports the new version Synced and Healthy */
    public GitOpsAdapter(ConfigFile file, ClusterConnector clusters, Clock clock, Consumer<String> progress,
            Map<String, String> env, HealthCheck health) {
        this.health = health;
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
        return withStrategy(environment, component, request.approvedBy(), request.buildUrl(), strategy -> {
            strategy.apply(new WorkloadStrategy.Change(image, version, Map.of(), false, null));
            if (!strategy.changed()) {
                return new PromotionResult(request.environment(), request.component(), image, digest, "gitops",
                        request.approvedBy(), request.approvalSource(), 0, PromotionResult.DEPLOYED, false,
                        strategy.deployedMessage(), strategy.revision());
            }
            String commit = strategy.revision();
            try {
                strategy.await(null);
                strategy.verify();
                return result(request, image, digest, PromotionResult.DEPLOYED, strategy.deployedMessage(), commit);
            } catch (WaitFailure failure) {
                progress.accept("Reverting " + commit + ": " + failure.getMessage());
                try {
                    UndoPlan plan = strategy.undo(0);
                    strategy.awaitRestored(null);
                    return result(request, image, digest, PromotionResult.ROLLED_BACK, failure.getMessage()
                            + "; reverted with commit " + plan.toRevision(), plan.toRevision());
                } catch (KoreaException | WaitFailure revertFailed) {
                    return result(request, image, digest, PromotionResult.ROLLBACK_FAILED, failure.getMessage()
                            + "; the revert failed too: " + revertFailed.getMessage(), commit);
                }
            }
        });
    }

    /** Reads the overlay only: no Argo CD wait, so no cluster connection. */
    @Override
    public WorkloadStrategy.Live status(Environment environment, Component component) {
        return new GitOpsStrategy(file, environment, component, new GitOpsDeployer(clock, progress, null, env), health, progress,
                null, null).status();
    }

    @Override
    public <T> T withStrategy(Environment environment, Component component, String requestedBy, String buildUrl,
            Function<GitOpsStrategy, T> action) {
        KubernetesClient cluster = environment.cluster() != null && environment.gitOpsTarget().application() != null
                ? clusters.connect(environment) : null;
        try {
            return action.apply(new GitOpsStrategy(file, environment, component, new GitOpsDeployer(clock, progress, cluster,
                    env), health, progress, requestedBy, buildUrl));
        } finally {
            if (cluster != null) {
                clusters.release(cluster);
            }
        }
    }

    private static PromotionResult result(PromotionRequest r, String image, String digest, com.koreapublicdata.pipeline.Outcome outcome, String message,
            String revision) {
        return new PromotionResult(r.environment(), r.component(), image, digest, "gitops", r.approvedBy(), r.approvalSource(), 0,
                outcome, message, revision);
    }
}
