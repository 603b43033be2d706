package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Deployments;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea rollback}: a Deployment with kubectl's undo rules (previous revision by default, refused when
 * paused or without history), a Rollout with Argo's; then wait, verify health and record.
 */
public final class Rollbacker {
    private final KoreaConfig config;
    private final DeployServices s;

    public Rollbacker(KoreaConfig config, DeployServices services) {
        this.config = config;
        this.s = services;
    }

    public RollbackResult rollback(RollbackRequest request) {
        Environment env = config.environment(request.environment()).orElseThrow(() -> KoreaException.invalidInput(
                "--environment " + request.environment() + ": no such environment in korea.yaml; known: "
                        + config.environments().keySet()));
        Component component = config.component(request.component()).orElseThrow(() -> KoreaException.invalidInput(
                "--component " + request.component() + ": no such component in korea.yaml; known: " + config.components().keySet()));
        if (request.toRevision() < 0) {
            throw KoreaException.invalidInput("--to-revision must be a positive revision (or 0 for the previous one), not "
                    + request.toRevision());
        }
        com.koreapublicdata.pipeline.control.Teams.require(env,
                com.koreapublicdata.pipeline.control.Teams.rollBack(env, component.name()), request.requestedBy());
        DeploySettings settings = env.deployment(component.name());
        if (settings.strategy() == Strategy.GITOPS || env.isGitOps()) {
            throw KoreaException.invalidInput("environment " + env.name() + " deploys through GitOps: roll back by promoting the "
                    + "previous image (korea history shows it) with korea promote --image");
        }
        Api api = new Api(s.sleeper(), s.tuning());
        ObjectWaiter waiter = new ObjectWaiter(api, s.clock(), s.progress());
        Instant started = s.clock().instant();
        KubernetesClient client = s.clusters().connect(env);
        try {
            PreDeployChecks.clusterAndNamespace(client, api, env.name(), env.namespace());
            try (LeaseLock.Held lock = new LeaseLock(client, api, s.clock(), s.progress()).acquire(env.namespace(),
                    component.name(), Promoter.holder(request.buildUrl()), env.lockTimeout())) {
                Instant deadline = s.clock().instant().plus(config.rollback().timeout());
                UndoPlan plan;
                Outcome outcome;
                String message;
                if (settings.strategy() == Strategy.ROLLING) {
                    Deployments dep = new Deployments(client, api, env.namespace(), settings.workload());
                    plan = dep.undo(request.toRevision());
                    if (plan.skipped()) {
                        return finish(env, component, settings, request, started, plan, RollbackResult.SKIPPED,
                                "skipped rollback (current template already matches revision " + plan.toRevision() + ")");
                    }
                    s.progress().accept("Rolling back " + dep.describe() + " to revision " + plan.toRevision() + " (" + plan.image() + ")");
                    try {
                        s.progress().accept(dep.awaitRollout(waiter, deadline));
                        boolean healthy = DeploymentRules.healthy(dep.get());
                        outcome = healthy ? PromotionResult.ROLLED_BACK : PromotionResult.ROLLBACK_FAILED;
                        message = healthy ? "rolled back to revision " + plan.toRevision() + " (" + plan.image() + ")"
                                : "revision " + plan.toRevision() + " rolled out but is not healthy";
                        if (healthy) {
                            String failure = verifyHealth(env, component, plan);
                            outcome = failure == null ? outcome : PromotionResult.ROLLBACK_FAILED;
                            message += failure == null ? "" : "; " + failure;
                        }
                    } catch (WaitFailure e) {
                        outcome = PromotionResult.ROLLBACK_FAILED;
                        message = "rolling back to revision " + plan.toRevision() + " failed: " + e.getMessage();
                    }
                } else {
                    Rollouts ro = new Rollouts(client, api, env.namespace(), settings.workload());
                    plan = ro.undo(request.toRevision());
                    if (plan.skipped()) {
                        return finish(env, component, settings, request, started, plan, RollbackResult.SKIPPED,
                                "skipped rollback (current template already matches revision " + plan.toRevision() + ")");
                    }
                    s.progress().accept("Rolling back " + ro.describe() + " to revision " + plan.toRevision() + " (" + plan.image() + ")");
                    try {
                        ro.awaitRestored(waiter, deadline);
                        String failure = verifyHealth(env, component, plan);
                        outcome = failure == null ? PromotionResult.ROLLED_BACK : PromotionResult.ROLLBACK_FAILED;
                        message = "rolled back to revision " + plan.toRevision() + " (" + plan.image() + ")"
                                + (failure == null ? "" : "; " + failure);
                    } catch (WaitFailure e) {
                        outcome = PromotionResult.ROLLBACK_FAILED;
                        message = "rolling back to revision " + plan.toRevision() + " failed: " + e.getMessage();
                    }
                }
                if (lock.lost() != null) {
                    message += "; note: " + lock.lost();
                }
                return finish(env, component, settings, request, started, plan, outcome,
                        message + (request.reason() == null ? "" : " (reason: " + request.reason() + ")"));
            }
        } catch (KubernetesClientException e) {
            throw new KoreaException(ExitCode.FAILURE, "the Kubernetes API failed: " + Api.describe(e), e);
        } finally {
            s.clusters().release(client);
        }
    }

    /**
     * The seed's step 4 ("verify health") after the undo has rolled out: the health check of the restored version.
     * Returns null when healthy, else why not; a check that cannot run counts as unhealthy (fail closed).
     */
    private String verifyHealth(Environment env, Component component, UndoPlan plan) {
        String version = null;
        try {
            version = plan.image() == null ? null : ImageReference.parse(plan.image()).version();
        } catch (KoreaException e) {
            // an image we cannot parse: the health check runs without a version
        }
        HealthCheck.Verdict verdict;
        try {
            verdict = s.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(), version,
                    HealthCheck.Point.AFTER_ROLLBACK, -1, -1, java.time.Duration.ZERO));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the health check itself failed: " + e.getMessage());
        }
        if (verdict != null && verdict.passed()) {
            s.progress().accept("Health verified after the rollback: " + verdict.reason());
            return null;
        }
        return "but the health check after the rollback failed: " + (verdict == null ? "no verdict" : verdict.reason());
    }

    private RollbackResult finish(Environment env, Component component, DeploySettings settings, RollbackRequest request,
            Instant started, UndoPlan plan, Outcome outcome, String message) {
        double seconds = java.time.Duration.between(started, s.clock().instant()).toMillis() / 1000.0;
        RollbackResult result = new RollbackResult(env.name(), component.name(), plan.fromRevision(), plan.toRevision(), plan.image(),
                seconds, outcome, message);
        String digest = null;
        try {
            digest = plan.image() == null ? null : ImageReference.parse(plan.image()).digest();
        } catch (KoreaException e) {
            // an image the cluster accepted but we cannot parse: record without digest
        }
        s.log().append(new DeploymentRecord(Promoter.id(env.name(), component.name(), started), DeploymentRecord.ROLLBACK,
                s.clock().instant(), started, env.name(), component.name(), settings.strategy().id(), plan.image(), digest, null,
                request.requestedBy(), request.requestedBy() == null ? null : "cli", request.buildUrl(), null, null, outcome,
                message, seconds, seconds, plan.toRevision()));
        PromotionListener.Event event = new PromotionListener.Event(env.name(), component.name(), plan.image(), digest,
                settings.strategy().id(), request.requestedBy(), outcome, message, seconds);
        Promoter.safely(() -> s.listener().rolledBack(event));
        return result;
    }
}
