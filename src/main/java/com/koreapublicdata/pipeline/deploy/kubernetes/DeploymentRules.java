package com.koreapublicdata.pipeline.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * kubectl's rollout-status rules for a Deployment (kubectl pkg/polymorphichelpers/rollout_status.go), in its
 * order, plus what kubectl lacks: a paused Deployment is an error instead of an endless wait.
 */
public final class DeploymentRules {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    private DeploymentRules() {
    }

    /** Done (returns "successfully rolled out"), waiting (a progress line), or {@link WaitFailure}. */
    public static ObjectWaiter.Verdict<String> judge(Deployment d) {
        String name = d.getMetadata().getName();
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            throw new WaitFailure("deployment \"" + name + "\" is paused (spec.paused): it will not roll out until "
                    + "resumed (kubectl rollout resume deployment/" + name + ")");
        }
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        if (generation <= observed) {
            DeploymentCondition progressing = s.getConditions() == null ? null : s.getConditions().stream()
                    .filter(c -> "Progressing".equals(c.getType())).findFirst().orElse(null);
            if (progressing != null && PROGRESS_DEADLINE_EXCEEDED.equals(progressing.getReason())) {
                throw new WaitFailure("deployment \"" + name + "\" exceeded its progress deadline");
            }
            int updated = n(s.getUpdatedReplicas());
            int replicas = n(s.getReplicas());
            int available = n(s.getAvailableReplicas());
            Integer desired = d.getSpec().getReplicas();
            if (desired != null && updated < desired) {
                return ObjectWaiter.Verdict.waiting("Waiting for deployment \"" + name + "\" rollout to finish: " + updated
                        + " out of " + desired + " new replicas have been updated...");
            }
            if (replicas > updated) {
                return ObjectWaiter.Verdict.waiting("Waiting for deployment \"" + name + "\" rollout to finish: "
                        + (replicas - updated) + " old replicas are pending termination...");
            }
            if (available < updated) {
                return ObjectWaiter.Verdict.waiting("Waiting for deployment \"" + name + "\" rollout to finish: " + available
                        + " of " + updated + " updated replicas are available...");
            }
            return ObjectWaiter.Verdict.done("deployment \"" + name + "\" successfully rolled out");
        }
        return ObjectWaiter.Verdict.waiting("Waiting for deployment spec update to be observed...");
    }

    /** Whether the Deployment is rolled out and healthy now (no waiting). */
    public static boolean healthy(Deployment d) {
        try {
            return judge(d).isDone();
        } catch (WaitFailure e) {
            return false;
        }
    }

    public static String revision(io.fabric8.kubernetes.api.model.HasMetadata o) {
        var a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(REVISION);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
