package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.control.ApprovalKeys;
import com.koreapublicdata.pipeline.control.ApprovalRecords;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea promote}: gates (change control, scan record) before any cluster call, then the lock and the
 * pre-deploy checks, the component's {@link WorkloadStrategy} (GitOps through {@link GitOpsPromotion}),
 * verification (analysis, smoke tests), one automatic rollback when a change it made fails, and one record.
 */
public final class Promoter {
    private static final String APPLIED_UNKNOWN = "the image was applied; its rollout state is unknown: ";

    private final KoreaConfig config;
    private final DeployServices s;
    private final ChangeControl control;

    public Promoter(KoreaConfig config, DeployServices services) {
        this(config, services, new ChangeControl(config, services.log()::read, services.clock(),
                new ApprovalRecords(ApprovalKeys.none())));
    }

    /** With the change-control rules checked by {@code control} (signed approvals need its keys). */
    public Promoter(KoreaConfig config, DeployServices services, ChangeControl control) {
        this.config = config;
        this.s = services;
        this.control = control;
    }

    /** Promotes one image of one component to one environment; the result says how it ended. */
    public PromotionResult promote(PromotionRequest request) {
        PromotionRun run = new PromotionRun(config, s, request);
        Optional<String> refusal = request.wave() != null ? Optional.empty() : run.gate(control); // waves: checked once before wave 1
        if (refusal.isPresent()) {
            return run.finish(Outcome.REFUSED, false, refusal.get(), null);
        }
        if (run.gitOps()) {
            Lookups.safely(() -> s.listener().started(run.event(null, "promoting through GitOps")));
            PromotionResult r = s.gitOps().promote(request, run.image, run.digest);
            return run.finish(r.outcome(), r.changed(), r.message(), r.revision());
        }
        KubernetesClient client = s.clusters().connect(run.env);
        try {
            DeployContext ctx = new DeployContext(config, run.env, run.component, run.settings, client, s);
            run.ctx = ctx;
            PreDeployChecks.clusterAndNamespace(client, ctx.api(), run.env.name(), run.env.namespace());
            try (LeaseLock.Held held = request.wave() != null ? null // waves: WavePromoter holds this cluster's lock
                    : new LeaseLock(client, ctx.api(), s.clock(), s.progress()).acquire(run.env.namespace(),
                    run.component.name(), Lookups.holder(request.buildUrl()), run.env.lockTimeout())) {
                run.lock = held;
                s.progress().accept("Promoting " + run.component.name() + " " + run.version + " to " + run.env.name() + " ("
                        + run.strategyId() + ", " + run.image + ")");
                Lookups.safely(() -> s.listener().started(run.event(null, "started")));
                return deploy(run, ctx, WorkloadStrategy.of(ctx));
            }
        } catch (KoreaException e) {
            if (e.exitCode() != ExitCode.LOCKED) {
                run.failed(e.getMessage());
            }
            throw e;
        } catch (KubernetesClientException e) {
            String message = Api.forbidden(e) ? Api.forbiddenMessage(e) : "the Kubernetes API failed: " + Api.describe(e);
            run.failed(message);
            throw new KoreaException(ExitCode.FAILURE, message, e);
        } finally {
            s.clusters().release(client);
        }
    }

    /** Strategy, then verify: a failure after the change rolls back; a change whose state cannot be read is unknown. */
    private PromotionResult deploy(PromotionRun run, DeployContext ctx, WorkloadStrategy strategy) {
        strategy.apply(run.change());
        Instant deadline = run.deadline();
        try {
            WorkloadStrategy.Stage stage = strategy.await(deadline);
            run.checkLock();
            if (stage == WorkloadStrategy.Stage.PAUSED && run.req.confirm()) {
                stage = strategy.promote(deadline);
                run.checkLock();
            }
            if (stage == WorkloadStrategy.Stage.HELD) {
                strategy.hold();
                return run.finish(Outcome.AWAITING_PROMOTION, true, strategy.heldMessage(), null);
            }
            if (stage == WorkloadStrategy.Stage.PAUSED) {
                return run.finish(Outcome.AWAITING_PROMOTION, true, strategy.awaitingMessage(), null);
            }
            strategy.verify();
            ctx.smokeTests();
            return run.finish(Outcome.DEPLOYED, true, strategy.deployedMessage(), strategy.revision());
        } catch (WaitFailure failure) {
            return rollBack(run, strategy, failure.getMessage());
        } catch (KoreaException | KubernetesClientException e) {
            if (!strategy.changed()) {
                throw e;
            }
            // korea gave up after changing the workload: outcome FAILED alone would say nothing happened
            KubernetesClientException api = e instanceof KubernetesClientException k ? k
                    : e.getCause() instanceof KubernetesClientException k ? k : null;
            String cause = api == null ? e.getMessage() : Api.forbidden(api) ? Api.forbiddenMessage(api)
                    : e instanceof KoreaException ? e.getMessage() : "the Kubernetes API failed: " + Api.describe(api);
            return run.finish(api != null ? Outcome.UNKNOWN : Outcome.FAILED, true, APPLIED_UNKNOWN + cause, null);
        }
    }

    /** The one automatic rollback, for every strategy: halt, undo to the revision before, wait until restored. */
    private PromotionResult rollBack(PromotionRun run, WorkloadStrategy strategy, String reason) {
        if (!config.rollback().automatic()) {
            return run.finish(Outcome.FAILED, true, reason + " (automatic rollback is off: rollback.automatic)", null);
        }
        s.progress().accept("Rolling back " + strategy.describe() + ": " + reason);
        Instant rb = s.clock().instant();
        try {
            strategy.halt();
            UndoPlan plan = strategy.undo(0);
            strategy.awaitRestored(rb.plus(config.rollback().timeout()));
            run.rollbackSeconds = run.seconds(rb);
            return run.finish(Outcome.ROLLED_BACK, true, reason + "; " + WorkloadStrategy.restored(plan), strategy.revision());
        } catch (WaitFailure | KoreaException | KubernetesClientException e) {
            run.rollbackSeconds = run.seconds(rb);
            return run.finish(Outcome.ROLLBACK_FAILED, true, reason + "; the rollback failed too: " + e.getMessage(), null);
        }
    }

    /**
     * {@code korea rollout promote}: promotes the Rollout's current (paused) image, through the same gates
     * (approval, scan record of that image's digest) as {@code korea promote --confirm}.
     */
    public PromotionResult promoteRollout(String component, String environment, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout) {
        return promoteRollout(component, environment, approvedBy, approvalSource, buildUrl, timeout, null);
    }

    /** As above, by {@code requestedBy}, who must be in the environment's team when it has one. */
    public PromotionResult promoteRollout(String component, String environment, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout, String requestedBy) {
        Environment env = Lookups.environment(config, environment);
        Lookups.component(config, component); // an unknown name is bad input before it is a refusal
        com.koreapublicdata.pipeline.control.Teams.require(env,
                com.koreapublicdata.pipeline.control.Teams.promoteRollout(env, component), requestedBy);
        String image = onRollout(component, environment, (strategy, ctx) -> strategy.currentImage());
        return promote(new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, true,
                null, null));
    }

    /** {@code korea rollout abort}: traffic back to the stable version; the Rollout stays Degraded until the next deploy. */
    public PromotionResult abortRollout(String component, String environment, String reason) {
        return onRollout(component, environment, (strategy, ctx) -> RolloutAbort.abort(ctx, strategy, reason));
    }

    /** Runs {@code action} on a bluegreen or canary Rollout's strategy, with the cluster connected. */
    private <T> T onRollout(String component, String environment,
            BiFunction<WorkloadStrategy, DeployContext, T> action) {
        Environment env = Lookups.environment(config, environment);
        Component comp = Lookups.component(config, component);
        var settings = env.deployment(comp.name());
        if (settings.strategy() != Strategy.BLUEGREEN && settings.strategy() != Strategy.CANARY || env.isGitOps()) {
            throw KoreaException.invalidInput("component " + component + " is deployed with strategy " + settings.strategy().id()
                    + " in " + environment + "; only bluegreen and canary Rollouts can be promoted or aborted");
        }
        KubernetesClient client = s.clusters().connect(env);
        try {
            DeployContext ctx = new DeployContext(config, env, comp, settings, client, s);
            return action.apply(WorkloadStrategy.of(ctx), ctx);
        } finally {
            s.clusters().release(client);
        }
    }
}
