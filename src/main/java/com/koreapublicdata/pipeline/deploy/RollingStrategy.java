package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Deployments;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** A rolling update of an existing Deployment, with kubectl's rules for set image, rollout status and undo. */
final class RollingStrategy implements WorkloadStrategy {
    private final DeployContext ctx;
    private final Deployments dep;
    private Change change;
    private boolean changed;

    RollingStrategy(DeployContext ctx) {
        this.ctx = ctx;
        this.dep = new Deployments(ctx.client(), ctx.api(), ctx.env().namespace(), ctx.settings().workload());
    }

    @Override
    public String describe() {
        return dep.describe();
    }

    @Override
    public String currentImage() {
        Deployment d = dep.get();
        if (d == null) {
            throw new KoreaException(ExitCode.FAILURE, dep.describe() + " does not exist");
        }
        return Deployments.image(d, ctx.settings().container());
    }

    @Override
    public void apply(Change c) {
        Deployment current = dep.get();
        if (current == null) {
            throw WorkloadStrategy.preDeploy(dep.describe() + " does not exist; korea changes the image of an existing "
                    + "Deployment (create it with kubectl apply or through GitOps first)");
        }
        if (Boolean.TRUE.equals(current.getSpec().getPaused())) {
            throw WorkloadStrategy.preDeploy(dep.describe() + " is paused (spec.paused); kubectl would wait forever. Resume it "
                    + "(kubectl rollout resume deployment/" + ctx.settings().workload() + ") or leave it");
        }
        PreDeployChecks.requireSecrets(ctx, current.getSpec().getTemplate());
        current = PreDeployChecks.observed(ctx, dep::get, current);
        if (!DeploymentRules.healthy(current)) {
            throw WorkloadStrategy.preDeploy("the current " + dep.describe() + " is not healthy (" + state(current)
                    + "); fix it or run korea rollback first");
        }
        this.change = c;
        dep.setImage(ctx.settings().container(), c.image(), c.annotations(), ctx.settings().rolling());
        changed = true;
    }

    @Override
    public boolean changed() {
        return changed;
    }

    @Override
    public Stage await(Instant deadline) {
        ctx.progress(dep.awaitRollout(ctx.waiter(), deadline));
        change.times().check(ctx.settings().rollout().budget());
        return Stage.ROLLED_OUT;
    }

    @Override
    public void verify() {
        ctx.verification(change.version(), HealthCheck.Point.AFTER_ROLLOUT, 100);
    }

    @Override
    public String revision() {
        Deployment d = dep.get();
        return d == null ? null : DeploymentRules.revision(d);
    }

    @Override
    public String deployedMessage() {
        return "rolled out " + change.image() + " to " + dep.describe();
    }

    @Override
    public UndoPlan undo(long toRevision) {
        return dep.undo(toRevision);
    }

    @Override
    public void awaitRestored(Instant deadline) {
        ctx.progress(dep.awaitRollout(ctx.waiter(), deadline));
        if (!DeploymentRules.healthy(dep.get())) {
            throw new WaitFailure("the restored revision rolled out but is not healthy");
        }
    }

    @Override
    public Live status() {
        Deployment d = dep.get();
        if (d == null) {
            return null;
        }
        String health;
        String detail;
        try {
            var v = DeploymentRules.judge(d);
            health = v.progress() == null ? "healthy" : "progressing";
            detail = v.progress() == null ? "rolled out" : v.progress();
        } catch (WaitFailure e) {
            health = Boolean.TRUE.equals(d.getSpec().getPaused()) ? "paused" : "degraded";
            detail = e.getMessage();
        }
        return new Live(Deployments.image(d, ctx.settings().container()), d.getMetadata().getAnnotations(),
                DeploymentRules.revision(d), health, detail);
    }

    private static String state(Deployment d) {
        try {
            var v = DeploymentRules.judge(d);
            return v.progress() == null ? "rolled out" : v.progress();
        } catch (WaitFailure e) {
            return e.getMessage();
        }
    }
}
