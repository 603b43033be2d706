package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * What blue-green and canary Rollouts share: korea creates or updates the Rollout, the Argo Rollouts controller
 * moves traffic; the wait follows the plugin's status (only Healthy and Degraded end it) plus each kind's pause.
 */
abstract sealed class RolloutStrategy implements WorkloadStrategy permits BlueGreenStrategy, CanaryStrategy {
    /** What a wait stops at: the step whose pause is stale (-1: no pause ends the wait; -2: any pause counts). */
    static final int ANY_PAUSE = -2;
    static final int NO_PAUSE = -1;

    final DeployContext ctx;
    final Rollouts ro;
    Change change;
    private boolean changed;
    /** The pod hash before our change: the wait ignores states of the old version. */
    private String previousHash;
    private boolean templateChanges = true;

    RolloutStrategy(DeployContext ctx) {
        this.ctx = ctx;
        this.ro = new Rollouts(ctx.client(), ctx.api(), ctx.env().namespace(), ctx.settings().workload());
    }

    @Override
    public String describe() {
        return ro.describe();
    }

    @Override
    public String currentImage() {
        return Rollouts.image(existing("nothing to do"), ctx.settings().container());
    }

    GenericKubernetesResource existing(String otherwise) {
        GenericKubernetesResource current = ro.get();
        if (current == null) {
            throw new KoreaException(ExitCode.FAILURE, ro.describe() + " does not exist: " + otherwise);
        }
        return current;
    }

    @Override
    public void apply(Change c) {
        this.change = c;
        GenericKubernetesResource current = ro.get();
        if (current != null) {
            RolloutState st = RolloutState.of(current);
            Object spec = current.getAdditionalProperties().getOrDefault("spec", Map.of());
            PreDeployChecks.requireSecrets(ctx, Serialization.unmarshal(Serialization.asJson(spec instanceof Map<?, ?> m
                    ? m.get("template") : null), PodTemplateSpec.class));
            if (st.is(RolloutState.DEGRADED) && !st.aborted()) {
                throw WorkloadStrategy.preDeploy("the current " + ro.describe() + " is not healthy (" + st.line()
                        + "); fix it or run korea rollback first");
            }
            previousHash = st.currentPodHash();
            templateChanges = !c.image().equals(Rollouts.image(current, ctx.settings().container()));
            if (c.confirm() && !templateChanges) {
                // a person confirms what already runs as preview or paused canary: no new template
                ro.annotate(c.annotations());
                changed = true;
                return;
            }
        }
        ro.apply(ctx.settings(), ctx.component().port(), c.image(), c.annotations());
        changed = true;
    }

    @Override
    public boolean changed() {
        return changed;
    }

    @Override
    public Stage await(Instant deadline) {
        if (change.confirm() && !templateChanges) {
            return Stage.PAUSED;
        }
        Stage stage = ctx.waiter().await(ro.target(), judge(previousHash, templateChanges, ANY_PAUSE), deadline);
        if (stage == Stage.PAUSED) {
            paused();
        }
        return stage;
    }

    /** Runs when the new version paused for a person (blue-green: the pre-promotion analysis). */
    void paused() {
    }

    @Override
    public Stage promote(Instant deadline) {
        RolloutState before = ro.state();
        ctx.progress("Promoting " + ro.describe() + ": " + ro.promote());
        // a pause seen right after the promote is the old one until the controller moves on
        return ctx.waiter().await(ro.target(), judge(before.currentPodHash(), false, staleAfterPromote(before)), deadline);
    }

    /** The pause a wait after a promote must not stop at. */
    abstract int staleAfterPromote(RolloutState before);

    @Override
    public void abort(Instant deadline) {
        existing("nothing to abort");
        ro.abort();
        ctx.waiter().await(ro.target(), o -> {
            RolloutState st = RolloutState.of(o);
            return st.observed() && (st.aborted() || st.fullyPromoted()) ? ObjectWaiter.Verdict.done(st.line())
                    : ObjectWaiter.Verdict.waiting("Waiting for the abort: " + st.line());
        }, deadline);
    }

    @Override
    public String revision() {
        GenericKubernetesResource now = ro.get();
        return now == null || now.getMetadata().getAnnotations() == null ? null
                : now.getMetadata().getAnnotations().get(Rollouts.REVISION);
    }

    @Override
    public void halt() {
        if (!ro.state().fullyPromoted()) {
            ro.abort();
        }
    }

    @Override
    public UndoPlan undo(long toRevision) {
        return ro.undo(toRevision);
    }

    @Override
    public void awaitRestored(Instant deadline) {
        ro.awaitRestored(ctx.waiter(), deadline);
    }

    @Override
    public Live status() {
        GenericKubernetesResource current = ro.get();
        if (current == null) {
            return null;
        }
        RolloutState st = RolloutState.of(current);
        Map<String, String> a = current.getMetadata().getAnnotations();
        return new Live(Rollouts.image(current, ctx.settings().container()), a, a == null ? null : a.get(Rollouts.REVISION),
                st.phase().toLowerCase(java.util.Locale.ROOT), st.line());
    }

    /**
     * The wait rule: not before the controller observed the spec and started the new version; Degraded fails;
     * Healthy and fully promoted is done; the rest is each kind's {@link #pausedOrWaiting}. Pauses do not use the
     * active rollout budget.
     */
    ObjectWaiter.Judge<GenericKubernetesResource, Stage> judge(String oldHash, boolean newTemplate, int stalePause) {
        return o -> {
            RolloutState st = RolloutState.of(o);
            change.times().mark(st.is(RolloutState.PAUSED));
            change.times().check(ctx.settings().rollout().budget());
            if (!st.observed()) {
                return ObjectWaiter.Verdict.waiting("Waiting for rollout spec update to be observed...");
            }
            if (newTemplate && Objects.equals(st.currentPodHash(), oldHash)) {
                return ObjectWaiter.Verdict.waiting("Waiting for the controller to start the new version...");
            }
            if (st.is(RolloutState.DEGRADED)) {
                throw new WaitFailure("rollout " + (st.aborted() ? "aborted" : "degraded") + ": " + st.message());
            }
            if (st.is(RolloutState.HEALTHY) && st.fullyPromoted()) {
                return ObjectWaiter.Verdict.done(Stage.ROLLED_OUT);
            }
            return pausedOrWaiting(o, st, stalePause);
        };
    }

    abstract ObjectWaiter.Verdict<Stage> pausedOrWaiting(GenericKubernetesResource o, RolloutState st, int stalePause);

    String how() {
        return "promote with: korea rollout promote --component " + ctx.component().name() + " --environment "
                + ctx.env().name() + " (or korea promote ... --confirm); abort with: korea rollout abort";
    }
}
