package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;

import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/** {@code korea rollout abort}: the strategy's abort, recorded as a rollback and told to the listener. */
final class RolloutAbort {
    private RolloutAbort() {
    }

    static PromotionResult abort(DeployContext ctx, WorkloadStrategy strategy, String reason) {
        DeployServices s = ctx.services();
        Instant started = s.clock().instant();
        String image = strategy.currentImage();
        String message = Outcome.ABORTED.json() + (reason == null ? "" : " (" + reason + ")");
        try {
            strategy.abort(s.clock().instant().plus(ctx.config().rollback().timeout()));
        } catch (WaitFailure e) {
            message += "; the controller has not confirmed it: " + e.getMessage();
        }
        double seconds = Duration.between(started, s.clock().instant()).toMillis() / 1000.0;
        String strategyId = ctx.settings().strategy().id();
        String env = ctx.env().name();
        String component = ctx.component().name();
        PromotionResult result = new PromotionResult(env, component, image, Lookups.digestOf(image), strategyId, null, null,
                seconds, Outcome.ABORTED, message, null);
        s.log().append(DeploymentRecord.builder()
                .id(Lookups.id(env, component, started)).kind(DeploymentRecord.ROLLBACK).time(s.clock().instant())
                .startedAt(started).environment(env).component(component).strategy(strategyId)
                .image(image).digest(result.digest()).outcome(Outcome.ABORTED).message(message)
                .durationSeconds(seconds).rollbackSeconds(seconds).revision(strategy.revision())
                .build());
        Lookups.safely(() -> s.listener().rolledBack(new PromotionListener.Event(env, component, image, result.digest(),
                strategyId, null, result.outcome(), result.message(), seconds)));
        return result;
    }
}
