package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A blue-green Rollout: the new version comes up as preview, is analysed, waits for a person (or --confirm),
 * is promoted to active and analysed again.
 */
final class BlueGreenStrategy extends RolloutStrategy {

    BlueGreenStrategy(DeployContext ctx) {
        super(ctx);
    }

    @Override
    void paused() {
        ctx.verification(change.version(), HealthCheck.Point.PRE_PROMOTION, 0);
    }

    @Override
    int staleAfterPromote(RolloutState before) {
        return NO_PAUSE;
    }

    @Override
    ObjectWaiter.Verdict<Stage> pausedOrWaiting(GenericKubernetesResource o, RolloutState st, int stalePause) {
        if (stalePause != NO_PAUSE && st.is(RolloutState.PAUSED) && st.pauseReasons().contains("BlueGreenPause")) {
            return ObjectWaiter.Verdict.done(Stage.PAUSED);
        }
        return ObjectWaiter.Verdict.waiting("Blue-green " + ctx.settings().workload() + ": " + st.line());
    }

    @Override
    public void verify() {
        ctx.verification(change.version(), HealthCheck.Point.POST_PROMOTION, 100);
    }

    @Override
    public String deployedMessage() {
        return "promoted " + change.image() + " serves all traffic (" + ro.describe() + ")";
    }

    @Override
    public String awaitingMessage() {
        String preview = ctx.settings().blueGreen().previewService() == null ? ctx.settings().workload() + "-preview"
                : ctx.settings().blueGreen().previewService();
        return "preview of " + change.version() + " is ready on service " + preview + "; active still serves the old version; "
                + how();
    }
}
