package com.koreapublicdata.pipeline.deploy.argo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A Rollout's state as the Argo Rollouts plugin computes it (rolloututil.GetRolloutPhase): the controller's
 * phase is trusted only once the string {@code status.observedGeneration} equals {@code metadata.generation};
 * a controller pause without pause conditions is still Progressing; without a phase, CalculateRolloutPhase.
 *
 * @param phase          Healthy, Progressing, Paused or Degraded
 * @param message        the controller's message
 * @param aborted        Degraded because of an abort (RolloutAborted)
 * @param pauseReasons   status.pauseConditions[].reason
 * @param stepIndex      status.currentStepIndex, or -1
 * @param steps          number of canary steps (0 for blue-green)
 */
public record RolloutState(String phase, String message, boolean aborted, String currentPodHash, String stableRS,
        String activeSelector, List<String> pauseReasons, int stepIndex, int steps, boolean observed) {

    public static final String HEALTHY = "Healthy";
    public static final String PROGRESSING = "Progressing";
    public static final String PAUSED = "Paused";
    public static final String DEGRADED = "Degraded";

    public static RolloutState of(GenericKubernetesResource ro) {
        Map<String, Object> all = ro.getAdditionalProperties();
        Object spec = all.get("spec");
        Object status = all.get("status");
        long generation = ro.getMetadata().getGeneration() == null ? 0 : ro.getMetadata().getGeneration();
        String observedText = Maps.string(status, "observedGeneration");
        boolean observed = observedText != null && observedText.equals(String.valueOf(generation));
        List<String> reasons = new ArrayList<>();
        for (Object pc : Maps.list(status, "pauseConditions")) {
            String r = Maps.string(pc, "reason");
            if (r != null) {
                reasons.add(r);
            }
        }
        boolean aborted = false;
        boolean degradedCondition = false;
        for (Object c : Maps.list(status, "conditions")) {
            String reason = Maps.string(c, "reason");
            if ("RolloutAborted".equals(reason)) {
                aborted = true;
            }
            if ("InvalidSpec".equals(Maps.string(c, "type")) || "RolloutAborted".equals(reason)
                    || "ProgressDeadlineExceeded".equals(reason)) {
                degradedCondition = true;
            }
        }
        String hash = Maps.string(status, "currentPodHash");
        String stable = Maps.string(status, "stableRS");
        String active = Maps.string(status, "blueGreen", "activeSelector");
        int step = (int) Maps.number(status, -1, "currentStepIndex");
        int steps = Maps.list(spec, "strategy", "canary", "steps").size();
        String message = Maps.string(status, "message");
        String phase;
        if (!observed) {
            return new RolloutState(PROGRESSING, "waiting for rollout spec update to be observed", aborted, hash, stable,
                    active, reasons, step, steps, false);
        }
        if (Maps.flag(status, "controllerPause") && reasons.isEmpty()) {
            return new RolloutState(PROGRESSING, "waiting for rollout to unpause", aborted, hash, stable, active, reasons,
                    step, steps, true);
        }
        String controllerPhase = Maps.string(status, "phase");
        if (controllerPhase != null && !controllerPhase.isEmpty()) {
            phase = controllerPhase;
        } else if (degradedCondition) {
            phase = DEGRADED;
        } else if (Maps.flag(spec, "paused")) {
            phase = PAUSED;
            message = "manually paused";
        } else if (!reasons.isEmpty()) {
            phase = PAUSED;
            message = reasons.get(0);
        } else {
            phase = calculateProgress(spec, status, hash, stable, active);
            message = PROGRESSING.equals(phase) ? "waiting for the rollout to finish" : message;
        }
        return new RolloutState(phase, message == null ? "" : message, aborted, hash, stable, active, reasons, step, steps,
                true);
    }

    private static String calculateProgress(Object spec, Object status, String hash, String stable, String active) {
        long desired = Maps.number(spec, 1, "replicas");
        long updated = Maps.number(status, 0, "updatedReplicas");
        long available = Maps.number(status, 0, "availableReplicas");
        long replicas = Maps.number(status, 0, "replicas");
        if (updated < desired || available < updated) {
            return PROGRESSING;
        }
        if (Maps.at(spec, "strategy", "blueGreen") != null) {
            return hash == null || !hash.equals(active) || !hash.equals(stable) ? PROGRESSING : HEALTHY;
        }
        if (Maps.at(spec, "strategy", "canary", "trafficRouting") == null && replicas > updated) {
            return PROGRESSING;
        }
        return stable == null || stable.isEmpty() || !stable.equals(hash) ? PROGRESSING : HEALTHY;
    }

    /** Fully promoted: stableRS equals currentPodHash (rolloututil.IsFullyPromoted). */
    public boolean fullyPromoted() {
        return currentPodHash != null && currentPodHash.equals(stableRS);
    }

    public boolean is(String p) {
        return p.equals(phase);
    }

    public String line() {
        return phase + (message == null || message.isEmpty() ? "" : " - " + message);
    }
}
