package com.koreapublicdata.pipeline.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Deployments;
import com.koreapublicdata.pipeline.deploy.kubernetes.Templates;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Test-side Deployment and Argo Rollout controllers: every tick they move each workload one step the way the real
 * controllers do (ReplicaSets with revision annotations and pod-template hashes, observedGeneration, replica
 * counts, the Progressing condition; Rollout currentPodHash, stableRS, pause conditions, steps, phase, abort).
 * Images name their failure: {@code crash} exceeds the progress deadline, {@code never-ready} never becomes
 * available, {@code degraded} makes a Rollout Degraded.
 */
final class FakeControllers implements AutoCloseable {
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final KubernetesClient client;
    private final String namespace;
    private final Thread thread;
    private volatile boolean running = true;
    /** Ticks a timed canary pause lasts (10 minutes in real life). */
    volatile int pauseTicks = 3;
    /** When set, a timed canary pause lasts its real duration (end-to-end tests), not {@link #pauseTicks}. */
    volatile boolean realPauses;
    final Map<String, Long> pauseStartedNanos = new ConcurrentHashMap<>();
    final Map<String, Integer> progress = new ConcurrentHashMap<>();
    final Map<String, Integer> pauseStarted = new ConcurrentHashMap<>();
    /** Every template image that started a rollout, in order. */
    final List<String> rolloutsStarted = new CopyOnWriteArrayList<>();
    /** Template changes that arrived while an earlier rollout was still in progress. */
    final List<String> interleaved = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> complete = new ConcurrentHashMap<>();
    /** While set, the Deployment controller leaves status.observedGeneration behind (a busy controller). */
    volatile boolean observationHeld;
    /** Images the Deployment controller treats as never-ready from now on (a restored revision that no longer starts). */
    final java.util.Set<String> unavailable = ConcurrentHashMap.newKeySet();

    FakeControllers(KubernetesClient controllerClient, String namespace, long tickMillis) {
        this.client = controllerClient;
        this.namespace = namespace;
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    tick();
                } catch (KubernetesClientException e) {
                    // 409 from racing the engine: the next tick tries again
                } catch (RuntimeException e) {
                    if (running) {
                        e.printStackTrace();
                    }
                }
                try {
                    Thread.sleep(tickMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fake-controllers");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }

    static String hash(Object template, String label) {
        try {
            Object canonical = SORTED.convertValue(Templates.withoutHash(template, label), Object.class);
            byte[] d = MessageDigest.getInstance("SHA-256").digest(SORTED.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                sb.append(String.format("%02x", d[i]));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void tick() {
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            reconcile(d);
        }
        for (GenericKubernetesResource ro : client.genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(namespace).list().getItems()) {
            reconcile(ro);
        }
    }

    // ---------------- Deployment ----------------

    private void reconcile(Deployment d) {
        String name = d.getMetadata().getName();
        String hash = hash(d.getSpec().getTemplate(), Deployments.HASH_LABEL);
        List<ReplicaSet> owned = owned(d.getMetadata().getUid());
        long max = owned.stream().mapToLong(rs -> Templates.revisionOf(rs, DeploymentRules.REVISION)).max().orElse(0);
        ReplicaSet current = owned.stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get(Deployments.HASH_LABEL)))
                .findFirst().orElse(null);
        String templateImage = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        String image = unavailable.contains(templateImage) ? templateImage + "#never-ready" : templateImage;
        if (current == null || Templates.revisionOf(current, DeploymentRules.REVISION) != max) {
            if (!owned.isEmpty() && !complete.getOrDefault("deploy/" + name, true)) {
                interleaved.add(templateImage);
            }
            long revision = max + 1;
            if (current == null) {
                PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
                template.getMetadata().getLabels().put(Deployments.HASH_LABEL, hash);
                Map<String, String> annotations = new LinkedHashMap<>();
                if (d.getMetadata().getAnnotations() != null) {
                    annotations.putAll(d.getMetadata().getAnnotations());
                }
                annotations.put(DeploymentRules.REVISION, String.valueOf(revision));
                client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
                        .withName(name + "-" + hash).withNamespace(namespace).withLabels(template.getMetadata().getLabels())
                        .withAnnotations(annotations).withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
                                .withKind("Deployment").withName(name).withUid(d.getMetadata().getUid()).withController(true).build())
                        .endMetadata().withNewSpec().withReplicas(d.getSpec().getReplicas()).withTemplate(template)
                        .withNewSelector().withMatchLabels(template.getMetadata().getLabels()).endSelector().endSpec().build()).create();
            } else {
                client.apps().replicaSets().inNamespace(namespace).withName(current.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                                + DeploymentRules.REVISION + "\":\"" + revision + "\"}}}");
            }
            client.apps().deployments().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + DeploymentRules.REVISION + "\":\"" + revision + "\"}}}");
            rolloutsStarted.add(templateImage);
            progress.put("deploy/" + name, 0);
            complete.put("deploy/" + name, false);
            return;
        }
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus s = Serialization.clone(old);
        if (observationHeld) {
            return;
        }
        s.setObservedGeneration(d.getMetadata().getGeneration());
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            writeStatus(d, old, s);
            return;
        }
        if (image.contains("crash") && progress.getOrDefault("deploy/" + name, 0) >= 2) {
            // the deadline passed: nothing moves until the template changes
            writeStatus(d, old, s);
            return;
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int p = progress.merge("deploy/" + name, 1, Integer::sum);
        int updated = Math.min(p, desired);
        boolean done = p > desired;
        s.setUpdatedReplicas(updated);
        s.setReplicas(done ? desired : desired + 1);
        s.setAvailableReplicas(image.contains("never-ready") ? 0 : done ? desired : Math.max(0, updated - 1));
        s.setReadyReplicas(s.getAvailableReplicas());
        String reason = done && !image.contains("never-ready") ? "NewReplicaSetAvailable" : "ReplicaSetUpdated";
        if (image.contains("crash") && p >= 2) {
            reason = DeploymentRules.PROGRESS_DEADLINE_EXCEEDED;
            s.setAvailableReplicas(0);
        }
        DeploymentCondition progressing = new DeploymentConditionBuilder().withType("Progressing")
                .withStatus(DeploymentRules.PROGRESS_DEADLINE_EXCEEDED.equals(reason) ? "False" : "True").withReason(reason).build();
        s.setConditions(List.of(progressing));
        if (done && !image.contains("never-ready") && !image.contains("crash")) {
            complete.put("deploy/" + name, true);
        }
        writeStatus(d, old, s);
    }

    private void writeStatus(Deployment d, DeploymentStatus old, DeploymentStatus s) {
        if (System.getenv("KOREA_TEST_TRACE") != null) {
            System.err.println("ctl " + d.getMetadata().getName() + " gen=" + d.getMetadata().getGeneration() + " p="
                    + progress.get("deploy/" + d.getMetadata().getName()) + " same=" + s.equals(old) + " " + s.getUpdatedReplicas()
                    + "/" + s.getReplicas() + "/" + s.getAvailableReplicas() + " obs=" + s.getObservedGeneration());
        }
        if (s.equals(old)) {
            return;
        }
        d.setStatus(s);
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
    }

    private List<ReplicaSet> owned(String uid) {
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (Templates.controlledBy(rs, uid)) {
                out.add(rs);
            }
        }
        return out;
    }

    // ---------------- Rollout ----------------

    @SuppressWarnings("unchecked")
    private void reconcile(GenericKubernetesResource ro) {
        String name = ro.getMetadata().getName();
        String key = "ro/" + name;
        Map<String, Object> spec = (Map<String, Object>) ro.getAdditionalProperties().get("spec");
        Map<String, Object> oldStatus = ro.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        Map<String, Object> status = new HashMap<>(SORTED.convertValue(oldStatus, Map.class));
        long generation = ro.getMetadata().getGeneration() == null ? 1 : ro.getMetadata().getGeneration();
        Object template = spec.get("template");
        String hash = hash(template, Rollouts.HASH_LABEL);
        Map<String, Object> strategy = (Map<String, Object>) spec.get("strategy");
        boolean blueGreen = strategy.containsKey("blueGreen");
        List<Object> steps = blueGreen ? List.of()
                : (List<Object>) ((Map<String, Object>) strategy.get("canary")).getOrDefault("steps", List.of());
        int replicas = ((Number) spec.getOrDefault("replicas", 1)).intValue();
        String image = String.valueOf(((Map<String, Object>) ((List<Object>) ((Map<String, Object>) ((Map<String, Object>) template)
                .get("spec")).get("containers")).get(0)).get("image"));
        status.put("observedGeneration", String.valueOf(generation));
        String stable = (String) status.get("stableRS");

        if (!hash.equals(status.get("currentPodHash"))) {
            if (status.get("currentPodHash") != null && !complete.getOrDefault(key, true)
                    && !Boolean.TRUE.equals(status.get("abort"))) {
                interleaved.add(image);
            }
            // resetRolloutStatus: a new template clears abort and the pause
            status.put("abort", false);
            status.remove("abortedAt");
            status.put("pauseConditions", null);
            status.put("controllerPause", false);
            status.put("promoteFull", false);
            status.put("conditions", List.of());
            status.put("currentPodHash", hash);
            ensureRolloutReplicaSet(ro, hash, template);
            rolloutsStarted.add(image);
            pauseStarted.remove(key);
            complete.put(key, false);
            if (stable == null || hash.equals(stable)) {
                // the first version, or back to stable (Argo's fast rollback): nothing to step through
                healthy(status, hash, replicas, blueGreen, steps.size());
                complete.put(key, true);
            } else {
                status.put("phase", "Progressing");
                status.put("message", "more replicas need to be updated");
                status.put("currentStepIndex", blueGreen ? null : 0);
                status.put("updatedReplicas", 0);
                status.put("availableReplicas", replicas);
            }
            writeRolloutStatus(ro, oldStatus, status);
            return;
        }
        if (Boolean.TRUE.equals(status.get("abort"))) {
            if (!"Degraded".equals(status.get("phase"))) {
                status.put("phase", "Degraded");
                status.put("message", "RolloutAborted: Rollout aborted update to revision " + revision(ro));
                status.put("conditions", List.of(Map.of("type", "Progressing", "status", "False", "reason", "RolloutAborted")));
                status.put("abortedAt", "2026-11-26T00:00:00Z");
                status.put("pauseConditions", null);
                status.put("controllerPause", false);
                if (!blueGreen) {
                    status.put("currentStepIndex", 0);
                }
                Map<String, Object> bg = bg(status);
                bg.put("previewSelector", stable);
                complete.put(key, true);
            }
            writeRolloutStatus(ro, oldStatus, status);
            return;
        }
        if ("Degraded".equals(status.get("phase")) || "Healthy".equals(status.get("phase")) && hash.equals(stable)) {
            writeRolloutStatus(ro, oldStatus, status);
            return;
        }
        boolean degrade = image.contains("degraded");
        boolean promoteFull = Boolean.TRUE.equals(status.get("promoteFull"));
        List<?> pauses = status.get("pauseConditions") instanceof List<?> l ? l : List.of();
        if (blueGreen) {
            Map<String, Object> bg = bg(status);
            if (degrade) {
                degraded(status, "ProgressDeadlineExceeded: ReplicaSet \"" + name + "-" + hash + "\" has timed out progressing.");
                complete.put(key, true);
            } else if (!hash.equals(bg.get("previewSelector"))) {
                int p = progress.merge(key, 1, Integer::sum);
                status.put("updatedReplicas", Math.min(p, replicas));
                if (p >= replicas) {
                    bg.put("previewSelector", hash);
                    if (Boolean.TRUE.equals(((Map<String, Object>) strategy.get("blueGreen")).get("autoPromotionEnabled"))) {
                        promoteStable(status, hash, replicas);
                        complete.put(key, true);
                    } else {
                        status.put("phase", "Paused");
                        status.put("message", "BlueGreenPause");
                        status.put("controllerPause", true);
                        status.put("pauseConditions", List.of(Map.of("reason", "BlueGreenPause", "startTime", "2026-11-26T00:00:00Z")));
                        pauseStarted.put(key, 0);
                    }
                }
            } else if (promoteFull || pauses.isEmpty()) {
                promoteStable(status, hash, replicas);
                complete.put(key, true);
            }
            writeRolloutStatus(ro, oldStatus, status);
            return;
        }
        int i = status.get("currentStepIndex") instanceof Number n ? n.intValue() : 0;
        if (promoteFull) {
            i = steps.size();
        }
        if (i < steps.size()) {
            Map<String, Object> step = (Map<String, Object>) steps.get(i);
            if (degrade && i >= 2) {
                degraded(status, "ProgressDeadlineExceeded: ReplicaSet \"" + name + "-" + hash + "\" has timed out progressing.");
                complete.put(key, true);
            } else if (step.containsKey("setWeight")) {
                int w = ((Number) step.get("setWeight")).intValue();
                status.put("canary", Map.of("weights", Map.of("canary", Map.of("weight", w, "podTemplateHash", hash),
                        "stable", Map.of("weight", 100 - w, "podTemplateHash", stable))));
                status.put("updatedReplicas", Math.max(1, replicas * w / 100));
                status.put("currentStepIndex", i + 1);
                status.put("phase", "Progressing");
                status.put("message", "more replicas need to be updated");
            } else {
                Object duration = ((Map<String, Object>) step.get("pause")).get("duration");
                Integer started = pauseStarted.get(key);
                if (started == null || started != i) {
                    pauseStarted.put(key, i);
                    pauseStartedNanos.put(key, System.nanoTime());
                    progress.put(key, 0);
                    status.put("phase", "Paused");
                    status.put("message", "CanaryPauseStep");
                    status.put("controllerPause", true);
                    status.put("pauseConditions", List.of(Map.of("reason", "CanaryPauseStep", "startTime", "2026-11-26T00:00:00Z")));
                } else if (pauses.isEmpty() || duration != null && (realPauses ? System.nanoTime()
                        - pauseStartedNanos.getOrDefault(key, 0L) >= com.koreapublicdata.pipeline.config.Durations
                                .parse(String.valueOf(duration)).orElseThrow().toNanos()
                        : progress.merge(key, 1, Integer::sum) >= pauseTicks)) {
                    // promoted by a person, or the timed pause is over
                    status.put("pauseConditions", null);
                    status.put("controllerPause", false);
                    status.put("currentStepIndex", i + 1);
                    status.put("phase", "Progressing");
                    status.put("message", "more replicas need to be updated");
                }
            }
        } else {
            promoteStable(status, hash, replicas);
            status.put("currentStepIndex", steps.size());
            complete.put(key, true);
        }
        writeRolloutStatus(ro, oldStatus, status);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bg(Map<String, Object> status) {
        Map<String, Object> bg = status.get("blueGreen") instanceof Map<?, ?> m ? new HashMap<>((Map<String, Object>) m) : new HashMap<>();
        status.put("blueGreen", bg);
        return bg;
    }

    private static void degraded(Map<String, Object> status, String message) {
        status.put("phase", "Degraded");
        status.put("message", message);
        status.put("conditions", List.of(Map.of("type", "Progressing", "status", "False", "reason", "ProgressDeadlineExceeded")));
    }

    private static void promoteStable(Map<String, Object> status, String hash, int replicas) {
        status.put("stableRS", hash);
        bg(status).put("activeSelector", hash);
        status.put("phase", "Healthy");
        status.put("message", "");
        status.put("pauseConditions", null);
        status.put("controllerPause", false);
        status.put("promoteFull", false);
        status.put("replicas", replicas);
        status.put("updatedReplicas", replicas);
        status.put("availableReplicas", replicas);
        status.put("readyReplicas", replicas);
    }

    private static void healthy(Map<String, Object> status, String hash, int replicas, boolean blueGreen, int steps) {
        promoteStable(status, hash, replicas);
        if (blueGreen) {
            bg(status).put("previewSelector", hash);
        } else {
            status.put("currentStepIndex", steps);
        }
    }

    private static String revision(GenericKubernetesResource ro) {
        var a = ro.getMetadata().getAnnotations();
        return a == null ? "?" : a.getOrDefault(Rollouts.REVISION, "?");
    }

    private void writeRolloutStatus(GenericKubernetesResource ro, Map<String, Object> oldStatus, Map<String, Object> status) {
        if (SORTED.valueToTree(status).equals(SORTED.valueToTree(oldStatus))) {
            return;
        }
        ro.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(namespace).resource(ro).updateStatus();
    }

    private void ensureRolloutReplicaSet(GenericKubernetesResource ro, String hash, Object template) {
        String name = ro.getMetadata().getName();
        List<ReplicaSet> owned = owned(ro.getMetadata().getUid());
        long max = owned.stream().mapToLong(rs -> Templates.revisionOf(rs, Rollouts.REVISION)).max().orElse(0);
        ReplicaSet current = owned.stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get(Rollouts.HASH_LABEL)))
                .findFirst().orElse(null);
        long revision = max + 1;
        if (current == null) {
            PodTemplateSpec t = SORTED.convertValue(template, PodTemplateSpec.class);
            t.getMetadata().getLabels().put(Rollouts.HASH_LABEL, hash);
            client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
                    .withName(name + "-" + hash).withNamespace(namespace).withLabels(t.getMetadata().getLabels())
                    .addToAnnotations(Rollouts.REVISION, String.valueOf(revision))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("argoproj.io/v1alpha1").withKind("Rollout")
                            .withName(name).withUid(ro.getMetadata().getUid()).withController(true).build())
                    .endMetadata().withNewSpec().withTemplate(t).withNewSelector().withMatchLabels(t.getMetadata().getLabels())
                    .endSelector().endSpec().build()).create();
        } else if (Templates.revisionOf(current, Rollouts.REVISION) != max) {
            client.apps().replicaSets().inNamespace(namespace).withName(current.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + Rollouts.REVISION + "\":\""
                            + revision + "\"}}}");
        } else {
            revision = max;
        }
        client.genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + Rollouts.REVISION + "\":\""
                        + revision + "\"}}}");
        ro.getMetadata().setResourceVersion(null);
    }
}
