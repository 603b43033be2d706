package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea rollback}: the strategy's undo (kubectl's rules for a Deployment, Argo's for a Rollout), then wait,
 * verify health and record. A GitOps environment's undo is a revert commit ({@link GitOpsStrategy}).
 */
public final class Rollbacker {
    private final KoreaConfig config;
    private final DeployServices s;

    public Rollbacker(KoreaConfig config, DeployServices services) {
        this.config = config;
        this.s = services;
    }

    public RollbackResult rollback(RollbackRequest request) {
        Environment env = Lookups.environment(config, request.environment());
        Component component = Lookups.component(config, request.component());
        if (request.toRevision() < 0) {
            throw KoreaException.invalidInput("--to-revision must be a positive revision (or 0 for the previous one), not "
                    + request.toRevision());
        }
        com.koreapublicdata.pipeline.control.Teams.require(env,
                com.koreapublicdata.pipeline.control.Teams.rollBack(env, component.name()), request.requestedBy());
        DeploySettings settings = env.deployment(component.name());
        Instant started = s.clock().instant();
        if (settings.strategy() == Strategy.GITOPS || env.isGitOps()) {
            DeployContext ctx = new DeployContext(config, env, component, settings, null, s);
            return s.gitOps().withStrategy(env, component, request.requestedBy(), request.buildUrl(),
                    strategy -> revert(ctx, strategy, request, started));
        }
        KubernetesClient client = s.clusters().connect(env);
        try {
            DeployContext ctx = new DeployContext(config, env, component, settings, client, s);
            PreDeployChecks.clusterAndNamespace(client, ctx.api(), env.name(), env.namespace());
            try (LeaseLock.Held lock = new LeaseLock(client, ctx.api(), s.clock(), s.progress()).acquire(env.namespace(),
                    component.name(), Lookups.holder(request.buildUrl()), env.lockTimeout())) {
                return undo(ctx, WorkloadStrategy.of(ctx), request, started, lock);
            }
        } catch (KubernetesClientException e) {
            throw new KoreaException(ExitCode.FAILURE, Api.forbidden(e) ? Api.forbiddenMessage(e)
                    : "the Kubernetes API failed: " + Api.describe(e), e);
        } finally {
            s.clusters().release(client);
        }
    }

    private RollbackResult undo(DeployContext ctx, WorkloadStrategy strategy, RollbackRequest request, Instant started,
            LeaseLock.Held lock) {
        Instant deadline = s.clock().instant().plus(config.rollback().timeout());
        UndoPlan plan = strategy.undo(request.toRevision());
        if (plan.skipped()) {
            return finish(ctx, request, started, plan, RollbackResult.SKIPPED, "skipped rollback (current template already "
                    + "matches revision " + plan.toRevision() + ")", strategy.revision());
        }
        s.progress().accept("Rolling back " + strategy.describe() + " to revision " + plan.toRevision() + " (" + plan.image()
                + ")");
        Outcome outcome;
        String message;
        try {
            strategy.awaitRestored(deadline);
            String failure = ctx.healthAfterRollback(plan.image());
            outcome = failure == null ? Outcome.ROLLED_BACK : Outcome.ROLLBACK_FAILED;
            message = WorkloadStrategy.restored(plan) + (failure == null ? "" : "; " + failure);
        } catch (WaitFailure e) {
            outcome = Outcome.ROLLBACK_FAILED;
            message = "rolling back to revision " + plan.toRevision() + " failed: " + e.getMessage();
        }
        if (lock.lost() != null) {
            message += "; note: " + lock.lost();
        }
        return finish(ctx, request, started, plan, outcome, message + (request.reason() == null ? ""
                : " (reason: " + request.reason() + ")"), strategy.revision());
    }

    /**
     * The GitOps undo: a revert commit of the last deployed promotion's commit (the latest image change of the overlay
     * when the history has none); when that commit cannot be reverted cleanly (a newer commit replaced its image),
     * a new commit restoring the image of the deployed promotion before it.
     */
    private RollbackResult revert(DeployContext ctx, GitOpsStrategy strategy, RollbackRequest request, Instant started) {
        if (request.toRevision() != 0) {
            strategy.undo(request.toRevision()); // refuses: a revert has no revision numbers
        }
        java.util.List<DeploymentRecord> deployed = s.log().read().stream().filter(r -> ctx.env().name().equals(r.environment())
                && ctx.component().name().equals(r.component()) && DeploymentRecord.PROMOTION.equals(r.kind())
                && r.outcome() == Outcome.DEPLOYED).toList();
        DeploymentRecord last = deployed.isEmpty() ? null : deployed.get(deployed.size() - 1);
        String commit = last == null ? null : last.revision();
        UndoPlan plan;
        try {
            plan = strategy.undo(commit);
        } catch (KoreaException e) {
            DeploymentRecord before = deployed.size() < 2 ? null : deployed.get(deployed.size() - 2);
            if (before == null || before.image() == null) {
                throw e;
            }
            s.progress().accept("Cannot revert " + commit + " (" + e.getMessage() + "); restoring " + before.image()
                    + ", the image deployed before it, with a new commit");
            plan = strategy.restore(commit, before.image());
        }
        if (plan.skipped()) {
            return finish(ctx, request, started, plan, RollbackResult.SKIPPED, "skipped rollback: " + strategy.deployedMessage(),
                    strategy.revision());
        }
        Outcome outcome = Outcome.ROLLED_BACK;
        String message = "reverted " + (plan.fromRevision() == null ? "the latest image change" : "commit "
                + plan.fromRevision()) + " with commit " + plan.toRevision() + " (" + plan.image() + ")";
        try {
            strategy.awaitRestored(null);
            // as for a promotion's analysis: only once Argo CD says the restored version runs, else it judges the old one
            String failure = !strategy.analysable() ? null : ctx.healthAfterRollback(plan.image());
            if (failure != null) {
                outcome = Outcome.ROLLBACK_FAILED;
                message += "; " + failure;
            } else if (!strategy.analysable()) {
                message += "; health not verified: korea did not wait for Argo CD (set gitops.application and the "
                        + "environment's cluster)";
            }
        } catch (WaitFailure e) {
            outcome = Outcome.ROLLBACK_FAILED;
            message += "; " + e.getMessage();
        }
        return finish(ctx, request, started, plan, outcome, message + (request.reason() == null ? ""
                : " (reason: " + request.reason() + ")"), strategy.revision());
    }

    /** Records the rollback with the workload's revision after it (like a promotion's), and tells the listener. */
    private RollbackResult finish(DeployContext ctx, RollbackRequest request, Instant started, UndoPlan plan, Outcome outcome,
            String message, String revisionNow) {
        double seconds = java.time.Duration.between(started, s.clock().instant()).toMillis() / 1000.0;
        String env = ctx.env().name();
        String component = ctx.component().name();
        String strategy = ctx.env().isGitOps() ? Strategy.GITOPS.id() : ctx.settings().strategy().id();
        RollbackResult result = new RollbackResult(env, component, plan.fromRevision(), plan.toRevision(), plan.image(),
                seconds, outcome, message);
        String digest = Lookups.digestOf(plan.image());
        s.log().append(DeploymentRecord.builder()
                .id(Lookups.id(env, component, started)).kind(DeploymentRecord.ROLLBACK).time(s.clock().instant())
                .startedAt(started).environment(env).component(component).strategy(strategy)
                .image(plan.image()).digest(digest)
                .approver(request.requestedBy()).approvalSource(request.requestedBy() == null ? null : "cli")
                .buildUrl(request.buildUrl()).outcome(outcome).message(message)
                .durationSeconds(seconds).rollbackSeconds(seconds).revision(revisionNow)
                .requestedBy(request.requestedBy())
                .build());
        PromotionListener.Event event = new PromotionListener.Event(env, component, plan.image(), digest, strategy,
                request.requestedBy(), outcome, message, seconds);
        Lookups.safely(() -> s.listener().rolledBack(event));
        return result;
    }
}
