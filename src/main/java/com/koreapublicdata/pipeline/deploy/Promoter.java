package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea promote}: gates (approval, scan record) before any cluster call, then the lock and the pre-deploy
 * checks, the component's {@link WorkloadStrategy}, verification (analysis, smoke tests), an automatic rollback
 * when a change it made fails, and one deployment record.
 */
public final class Promoter {
    private final KoreaConfig config;
    private final DeployServices s;

    public Promoter(KoreaConfig config, DeployServices services) {
        this.config = config;
        this.s = services;
    }

    /** Promotes one image of one component to one environment; the result says how it ended. */
    public PromotionResult promote(PromotionRequest request) {
        PromotionRun run = new PromotionRun(config, s, request);
        var refusal = run.gate();
        if (refusal.isPresent()) {
            return run.finish(PromotionResult.REFUSED, refusal.get(), null, false);
        }
        if (run.gitOps()) {
            Lookups.safely(() -> s.listener().started(run.event(null, "promoting through GitOps")));
            return deploy(run, new DeployContext(config, run.env, run.component, run.settings, null, s));
        }
        KubernetesClient client = s.clusters().connect(run.env);
        Api api = new Api(s.sleeper(), s.tuning());
        try {
            PreDeployChecks.clusterAndNamespace(client, api, run.env.name(), run.env.namespace());
            try (LeaseLock.Held held = new LeaseLock(client, api, s.clock(), s.progress()).acquire(run.env.namespace(),
                    run.component.name(), Lookups.holder(request.buildUrl()), run.env.lockTimeout())) {
                run.lock = held;
                s.progress().accept("Promoting " + run.component.name() + " " + run.version + " to " + run.env.name() + " ("
                        + run.strategyId() + ", " + run.image + ")");
                Lookups.safely(() -> s.listener().started(run.event(null, "started")));
                return deploy(run, new DeployContext(config, run.env, run.component, run.settings, client, s));
            }
        } catch (KoreaException e) {
            if (e.exitCode() != ExitCode.LOCKED) {
                run.failed(e.getMessage());
            }
            throw e;
        } catch (KubernetesClientException e) {
            String message = "the Kubernetes API failed: " + Api.describe(e);
            run.failed(message);
            throw new KoreaException(ExitCode.FAILURE, message, e);
        } finally {
            s.clusters().release(client);
        }
    }

    /** Strategy, then verify: a failure after the change rolls back; a change whose state cannot be read is unknown. */
    private PromotionResult deploy(PromotionRun run, DeployContext ctx) {
        WorkloadStrategy strategy = WorkloadStrategy.of(ctx);
        strategy.apply(run.change());
        Instant deadline = run.deadline();
        try {
            WorkloadStrategy.Stage stage = strategy.await(deadline);
            run.checkLock();
            if (stage == WorkloadStrategy.Stage.PAUSED && run.req.confirm()) {
                stage = strategy.promote(deadline);
                run.checkLock();
            }
            if (stage == WorkloadStrategy.Stage.PAUSED) {
                return run.finish(PromotionResult.AWAITING_PROMOTION, strategy.awaitingMessage(), null, strategy.changed());
            }
            if (strategy.verify()) {
                ctx.smokeTests();
            }
            return run.finish(PromotionResult.DEPLOYED, strategy.deployedMessage(), strategy.revision(), strategy.changed());
        } catch (WaitFailure failure) {
            return rollBack(run, strategy, failure.getMessage());
        } catch (KoreaException | KubernetesClientException e) {
            if (!strategy.changed()) {
                throw e;
            }
            boolean unreachable = e instanceof KubernetesClientException || e.getCause() instanceof KubernetesClientException;
            String cause = e instanceof KubernetesClientException k ? Api.describe(k) : e.getMessage();
            return run.finish(unreachable ? PromotionResult.UNKNOWN : PromotionResult.FAILED, unreachable
                    ? "the image was applied; its rollout state is unknown: " + cause : cause, null, true);
        }
    }

    /** The one automatic rollback, for every strategy: halt, undo to the revision before, wait until restored. */
    private PromotionResult rollBack(PromotionRun run, WorkloadStrategy strategy, String reason) {
        if (!config.rollback().automatic()) {
            return run.finish(PromotionResult.FAILED, reason + " (automatic rollback is off: rollback.automatic)", null,
                    strategy.changed());
        }
        s.progress().accept("Rolling back " + strategy.describe() + ": " + reason);
        Instant rb = s.clock().instant();
        try {
            strategy.halt();
            UndoPlan plan = strategy.undo(0);
            strategy.awaitRestored(rb.plus(config.rollback().timeout()));
            run.rollbackSeconds = run.seconds(rb);
            return run.finish(PromotionResult.ROLLED_BACK, reason + "; " + strategy.restoredMessage(plan), strategy.revision(),
                    true);
        } catch (WaitFailure | KoreaException | KubernetesClientException e) {
            run.rollbackSeconds = run.seconds(rb);
            return run.finish(PromotionResult.ROLLBACK_FAILED, reason + "; the rollback failed too: " + e.getMessage(), null, true);
        }
    }

    /**
     * {@code korea rollout promote}: promotes the Rollout's current (paused) image, through the same gates
     * (approval, scan record of that image's digest) as {@code korea promote --confirm}.
     */
    public PromotionResult promoteRollout(String component, String environment, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout) {
        String image = onRollout(component, environment, (strategy, ctx) -> strategy.currentImage());
        return promote(new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, true,
                null, null));
    }

    /** {@code korea rollout abort}: traffic back to the stable version; the Rollout stays Degraded until the next deploy. */
    public PromotionResult abortRollout(String component, String environment, String reason) {
        return onRollout(component, environment, (strategy, ctx) -> {
            Instant started = s.clock().instant();
            String image = strategy.currentImage();
            String message = "aborted" + (reason == null ? "" : " (" + reason + ")");
            try {
                strategy.abort(s.clock().instant().plus(config.rollback().timeout()));
            } catch (WaitFailure e) {
                message += "; the controller has not confirmed it: " + e.getMessage();
            }
            double seconds = Duration.between(started, s.clock().instant()).toMillis() / 1000.0;
            String strategyId = ctx.settings().strategy().id();
            PromotionResult result = new PromotionResult(ctx.env().name(), ctx.component().name(), image,
                    DeployContext.digestOf(image), strategyId, null, null, seconds, PromotionResult.ABORTED, message, null, true);
            s.log().append(new DeploymentRecord(Lookups.id(ctx.env().name(), ctx.component().name(), started), DeploymentRecord.ROLLBACK,
                    s.clock().instant(), started, ctx.env().name(), ctx.component().name(), strategyId, image, result.digest(),
                    null, null, null, null, null, null, PromotionResult.ABORTED, message, seconds, seconds, null));
            Lookups.safely(() -> s.listener().rolledBack(new PromotionListener.Event(result.environment(), result.component(), image,
                    result.digest(), strategyId, null, result.outcome(), result.message(), seconds)));
            return result;
        });
    }

    private interface OnRollout<T> {
        T run(WorkloadStrategy strategy, DeployContext ctx);
    }

    private <T> T onRollout(String component, String environment, OnRollout<T> action) {
        Environment env = Lookups.environment(config, environment);
        Component comp = Lookups.component(config, component);
        var settings = env.deployment(comp.name());
        if (!(settings.strategy() == com.koreapublicdata.pipeline.config.Strategy.BLUEGREEN
                || settings.strategy() == com.koreapublicdata.pipeline.config.Strategy.CANARY) || env.isGitOps()) {
            throw KoreaException.invalidInput("component " + component + " is deployed with strategy " + settings.strategy().id()
                    + " in " + environment + "; only bluegreen and canary Rollouts can be promoted or aborted");
        }
        KubernetesClient client = s.clusters().connect(env);
        try {
            DeployContext ctx = new DeployContext(config, env, comp, settings, client, s);
            return action.run(WorkloadStrategy.of(ctx), ctx);
        } finally {
            s.clusters().release(client);
        }
    }
}
