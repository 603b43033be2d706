package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A canary Rollout: the controller walks the steps; korea analyses the new version during every timed pause
 * (a failed analysis rolls back, a marginal baseline comparison holds the canary) and stops at an indefinite
 * pause for a person.
 */
final class CanaryStrategy extends RolloutStrategy {
    /** Pauses already analysed: a pause is seen in many events but analysed once. */
    private final Set<Integer> analysed = new HashSet<>();
    /** Why the canary is held (a marginal comparison), once it is. */
    private String held;

    CanaryStrategy(DeployContext ctx) {
        super(ctx);
    }

    @Override
    int staleAfterPromote(RolloutState before) {
        return before.stepIndex();
    }

    @Override
    ObjectWaiter.Verdict<Stage> pausedOrWaiting(GenericKubernetesResource o, RolloutState st, int stalePause) {
        int step = st.stepIndex();
        String where = "Canary " + ctx.settings().workload() + " step " + Math.min(step + 1, st.steps()) + "/" + st.steps()
                + ", weight " + Rollouts.weightAt(o, step) + "%";
        if (st.is(RolloutState.PAUSED) && st.pauseReasons().contains("CanaryPauseStep") && step != stalePause
                && Rollouts.isPause(o, step)) {
            Duration pause = Rollouts.pauseOf(o, step);
            if (pause == null) {
                return ObjectWaiter.Verdict.done(Stage.PAUSED);
            }
            if (analysed.add(step)) {
                ctx.progress(where + ": paused for " + ObjectWaiter.format(pause) + ", analysing");
                HealthCheck.Verdict v = ctx.analysis(change.version(), HealthCheck.Point.CANARY_PAUSE, step,
                        Rollouts.weightAt(o, step), pause, st.currentPodHash(), st.stableRS());
                if (v.hold()) {
                    held = where + ": " + v.reason();
                    return ObjectWaiter.Verdict.done(Stage.HELD);
                }
            }
            return ObjectWaiter.Verdict.waiting(where + ": paused (" + ObjectWaiter.format(pause) + "), analysis passed");
        }
        return ObjectWaiter.Verdict.waiting(where + ": " + st.line());
    }

    @Override
    public void hold() {
        ro.pause();
    }

    @Override
    public void verify() {
        // the canary's pauses were its analysis
    }

    @Override
    public String deployedMessage() {
        return "canary completed: " + change.image() + " serves all traffic (" + ro.describe() + ")";
    }

    @Override
    public String awaitingMessage() {
        RolloutState st = ro.state();
        return "canary paused indefinitely at step " + (st.stepIndex() + 1) + "/" + st.steps() + "; " + how();
    }

    @Override
    public String heldMessage() {
        return "canary held: " + held + "; promote with: korea rollout promote --component " + ctx.component().name()
                + " --environment " + ctx.env().name() + "; abort with: korea rollout abort";
    }
}
