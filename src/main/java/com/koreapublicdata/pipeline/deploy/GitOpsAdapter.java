package com.koreapublicdata.pipeline.deploy;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ImageReference;
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
 * when an Application is configured, watch the new version for {@code analysis.verification} through the
 * {@link HealthCheck} once Argo CD reports it deployed, and revert the commit when Argo CD did not deploy it or
 * the analysis failed.
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
        KubernetesClient cluster = environment.cluster() != null && environment.gitOpsTarget().application() != null
                ? clusters.connect(environment) : null;
        try {
            GitOpsDeployer deployer = new GitOpsDeployer(clock, progress, cluster, env);
            GitOpsChange change = new GitOpsChange(file, environment, component, image, version, request.approvedBy(),
                    request.buildUrl());
            try {
                GitOpsResult r = deployer.deploy(change);
                if (!r.changed()) {
                    return new PromotionResult(request.environment(), request.component(), image, digest, "gitops",
                            request.approvedBy(), request.approvalSource(), 0, PromotionResult.DEPLOYED, false, r.message(),
                            r.commit());
                }
                if (r.syncedRevision() == null) {
                    // without Argo CD's answer nobody knows when the version serves traffic: analysing now would
                    // judge the old version, or find no data and revert a deploy that never got a chance
                    return result(request, image, digest, PromotionResult.DEPLOYED, r.message() + "; not analysed: korea "
                            + "did not wait for Argo CD (set gitops.application and the environment's cluster)", r.commit());
                }
                String failure = verify(request, environment, component, version);
                if (failure == null) {
                    return result(request, image, digest, PromotionResult.DEPLOYED, r.message(), r.commit());
                }
                progress.accept("Reverting " + r.commit() + ": " + failure);
                try {
                    GitOpsResult reverted = deployer.revert(change, r.commit());
                    return result(request, image, digest, PromotionResult.ROLLED_BACK, failure + "; reverted with commit "
                            + reverted.commit(), reverted.commit());
                } catch (KoreaException revertFailed) {
                    return result(request, image, digest, PromotionResult.ROLLBACK_FAILED, failure
                            + "; the revert failed too: " + revertFailed.getMessage(), r.commit());
                }
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

    /** The AFTER_ROLLOUT analysis of a rolling deploy, for the verification window; null when it passed. */
    private String verify(PromotionRequest request, Environment environment, Component component, String version) {
        HealthCheck.Verdict verdict;
        try {
            verdict = health.check(new HealthCheck.Request(environment.name(), component.name(), environment.namespace(),
                    version, HealthCheck.Point.AFTER_ROLLOUT, -1, 100, file.config().analysis().verification()));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the analysis itself failed: " + e.getMessage());
        }
        if (verdict != null && verdict.passed()) {
            progress.accept("Analysis passed (after-rollout): " + verdict.reason());
            return null;
        }
        return "analysis failed (after-rollout): " + (verdict == null ? "no verdict" : verdict.reason());
    }

    private static PromotionResult result(PromotionRequest r, String image, String digest, com.koreapublicdata.pipeline.Outcome outcome, String message,
            String revision) {
        return new PromotionResult(r.environment(), r.component(), image, digest, "gitops", r.approvedBy(), r.approvalSource(), 0,
                outcome, message, revision);
    }
}
