package com.koreapublicdata.pipeline.deploy.argo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.CanaryStep;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;
import com.koreapublicdata.pipeline.deploy.kubernetes.Templates;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One Argo Rollout ({@code argoproj.io/v1alpha1}), handled as the kubectl-argo-rollouts plugin v1.9.1 does:
 * set image by update with resourceVersion, promote and abort by JSON merge patches of the status subresource
 * (status first, then spec), undo by a one-op JSON Patch of the template.
 */
public final class Rollouts {
    public static final ResourceDefinitionContext ROLLOUT = new ResourceDefinitionContext.Builder().withGroup("argoproj.io")
            .withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();
    public static final String REVISION = "rollout.argoproj.io/revision";
    public static final String HASH_LABEL = "rollouts-pod-template-hash";
    private static final ObjectMapper JSON = JsonMapping.mapper();

    private final KubernetesClient client;
    private final Api api;
    private final String namespace;
    private final String name;

    public Rollouts(KubernetesClient client, Api api, String namespace, String name) {
        this.client = client;
        this.api = api;
        this.namespace = namespace;
        this.name = name;
    }

    public String describe() {
        return "rollout/" + name + " in namespace " + namespace;
    }

    private Resource<GenericKubernetesResource> resource() {
        return client.genericKubernetesResources(ROLLOUT).inNamespace(namespace).withName(name);
    }

    public GenericKubernetesResource get() {
        return api.call("read " + describe(), () -> resource().get());
    }

    public RolloutState state() {
        GenericKubernetesResource ro = get();
        if (ro == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        return RolloutState.of(ro);
    }

    /** The first container whose name is {@code container}: its image, or null. */
    @SuppressWarnings("unchecked")
    public static String image(GenericKubernetesResource ro, String container) {
        for (Object c : Maps.list(ro.getAdditionalProperties(), "spec", "template", "spec", "containers")) {
            if (container.equals(Maps.string(c, "name"))) {
                return Maps.string(c, "image");
            }
        }
        return null;
    }

    /**
     * Creates the Rollout, or updates its strategy (from korea.yaml), container image and annotations with
     * an Update carrying the resourceVersion (the plugin's set image), retried on conflict.
     *
     * @return the Rollout as written
     */
    public GenericKubernetesResource apply(DeploySettings settings, int port, String image, Map<String, String> annotations) {
        return api.onConflict("update " + describe(), () -> {
            GenericKubernetesResource current = resource().get();
            if (current == null) {
                GenericKubernetesResource ro = newRollout(settings, port, image, annotations);
                return client.genericKubernetesResources(ROLLOUT).inNamespace(namespace).resource(ro).create();
            }
            Map<String, Object> spec = mutableMap(current.getAdditionalProperties().get("spec"));
            spec.put("strategy", strategy(settings));
            setImage(spec, settings.container(), image);
            current.getAdditionalProperties().put("spec", spec);
            Map<String, String> merged = new LinkedHashMap<>();
            if (current.getMetadata().getAnnotations() != null) {
                merged.putAll(current.getMetadata().getAnnotations());
            }
            merged.putAll(annotations);
            current.getMetadata().setAnnotations(merged);
            return client.genericKubernetesResources(ROLLOUT).inNamespace(namespace).resource(current).update();
        });
    }

    @SuppressWarnings("unchecked")
    private static void setImage(Map<String, Object> spec, String container, String image) {
        Object containers = Maps.at(spec, "template", "spec", "containers");
        if (containers instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && container.equals(m.get("name"))) {
                    ((Map<String, Object>) m).put("image", image);
                    return;
                }
            }
        }
        throw KoreaException.invalidInput("deployments.<component>.container: the Rollout has no container named '"
                + container + "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableMap(Object o) {
        return o == null ? new LinkedHashMap<>() : JSON.convertValue(o, LinkedHashMap.class);
    }

    private GenericKubernetesResource newRollout(DeploySettings settings, int port, String image, Map<String, String> annotations) {
        Map<String, Object> labels = Map.of("app.kubernetes.io/name", name);
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", settings.container());
        container.put("image", image);
        container.put("ports", List.of(Map.of("containerPort", port)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", settings.replicas() == null ? 3 : settings.replicas());
        spec.put("revisionHistoryLimit", 10);
        spec.put("selector", Map.of("matchLabels", labels));
        spec.put("template", Map.of("metadata", Map.of("labels", labels), "spec", Map.of("containers", List.of(container))));
        spec.put("strategy", strategy(settings));
        GenericKubernetesResource ro = new GenericKubernetesResource();
        ro.setApiVersion("argoproj.io/v1alpha1");
        ro.setKind("Rollout");
        ro.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withAnnotations(annotations)
                .addToLabels("app.kubernetes.io/managed-by", "korea").build());
        ro.setAdditionalProperty("spec", spec);
        return ro;
    }

    /** The Rollout's strategy block from korea.yaml. */
    public Map<String, Object> strategy(DeploySettings settings) {
        if (settings.strategy() == Strategy.BLUEGREEN) {
            var bg = settings.blueGreen();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("activeService", bg.activeService() == null ? name + "-active" : bg.activeService());
            b.put("previewService", bg.previewService() == null ? name + "-preview" : bg.previewService());
            b.put("autoPromotionEnabled", bg.autoPromotion());
            b.put("scaleDownDelaySeconds", bg.scaleDownDelaySeconds());
            if (!bg.prePromotionAnalysis().isEmpty()) {
                b.put("prePromotionAnalysis", analysis(bg.prePromotionAnalysis(), b.get("previewService")));
            }
            if (!bg.postPromotionAnalysis().isEmpty()) {
                b.put("postPromotionAnalysis", analysis(bg.postPromotionAnalysis(), b.get("activeService")));
            }
            return Map.of("blueGreen", b);
        }
        var c = settings.canary();
        Map<String, Object> canary = new LinkedHashMap<>();
        List<Object> steps = new ArrayList<>();
        for (CanaryStep step : c.steps()) {
            if (step.setWeight() != null) {
                steps.add(Map.of("setWeight", step.setWeight()));
            } else if (step.pause() != null) {
                steps.add(Map.of("pause", step.pause().duration() == null ? Map.of()
                        : Map.of("duration", Durations.format(step.pause().duration()))));
            }
        }
        canary.put("steps", steps);
        canary.put("maxSurge", intOrString(c.maxSurge()));
        canary.put("maxUnavailable", intOrString(c.maxUnavailable()));
        if (c.canaryService() != null) {
            canary.put("canaryService", c.canaryService());
        }
        if (c.stableService() != null) {
            canary.put("stableService", c.stableService());
        }
        return Map.of("canary", canary);
    }

    private static Map<String, Object> analysis(List<String> templates, Object service) {
        List<Object> t = new ArrayList<>();
        templates.forEach(n -> t.add(Map.of("templateName", n)));
        return Map.of("templates", t, "args", List.of(Map.of("name", "service-name", "value", String.valueOf(service))));
    }

    private static Object intOrString(String v) {
        return v.matches("\\d+") ? (Object) Integer.parseInt(v) : v;
    }

    public ObjectWaiter.Target<GenericKubernetesResource> target() {
        return new ObjectWaiter.Target<>() {
            @Override
            public GenericKubernetesResource get() {
                return resource().get();
            }

            @Override
            public Watch watch(Watcher<GenericKubernetesResource> watcher) {
                return resource().watch(watcher);
            }

            @Override
            public String describe() {
                return Rollouts.this.describe();
            }
        };
    }

    /**
     * {@code kubectl argo rollouts promote}: one status patch (the inconclusive-analysis variant, clearing the pause
     * conditions, or for a canary advancing one step, capped at the number of steps), then {@code paused:false}
     * on the spec if it was manually paused.
     *
     * @return what was sent, for the progress line
     */
    public String promote() {
        GenericKubernetesResource ro = get();
        if (ro == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        Map<String, Object> all = ro.getAdditionalProperties();
        Object status = all.get("status");
        boolean canary = Maps.at(all, "spec", "strategy", "canary") != null;
        int steps = Maps.list(all, "spec", "strategy", "canary", "steps").size();
        int next = (int) Math.min(Maps.number(status, 0, "currentStepIndex") + 1, steps);
        boolean paused = !Maps.list(status, "pauseConditions").isEmpty();
        String patch;
        if (canary && paused && Maps.flag(status, "controllerPause")
                && "Inconclusive".equals(Maps.string(status, "canary", "currentStepAnalysisRunStatus", "status"))) {
            patch = "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":" + next + "}}";
        } else if (paused) {
            patch = "{\"status\":{\"pauseConditions\":null}}";
        } else if (canary) {
            patch = "{\"status\":{\"pauseConditions\":null,\"currentStepIndex\":" + next + "}}";
        } else {
            patch = null;
        }
        if (patch != null) {
            patchStatus(patch);
        }
        if (Maps.flag(all, "spec", "paused")) {
            api.call("unpause " + describe(), () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"paused\":false}}"));
        }
        return patch == null ? "nothing to promote" : patch;
    }

    /**
     * {@code kubectl argo rollouts promote --full}: unpause the spec if manually paused, and ask for full
     * promotion only while {@code currentPodHash != stableRS}. Note it also clears an abort (the controller's rule).
     */
    public void promoteFull() {
        GenericKubernetesResource ro = get();
        if (ro == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        Map<String, Object> all = ro.getAdditionalProperties();
        if (!RolloutState.of(ro).fullyPromoted()) {
            patchStatus("{\"status\":{\"promoteFull\":true}}");
        }
        if (Maps.flag(all, "spec", "paused")) {
            api.call("unpause " + describe(), () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"paused\":false}}"));
        }
    }

    /**
     * {@code kubectl argo rollouts pause}: {@code spec.paused: true}, so the controller keeps the canary at its
     * weight past a timed pause until {@link #promote()} or an abort.
     */
    public void pause() {
        api.call("pause " + describe(), () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"paused\":true}}"));
    }

    /** Sets annotations with a merge patch (maps only, so merge semantics are exact). */
    public void annotate(Map<String, String> annotations) {
        String patch;
        try {
            patch = JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        api.call("annotate " + describe(), () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    /** The pause duration of canary step {@code index}; null when the step is not a pause or pauses indefinitely. */
    public static java.time.Duration pauseOf(GenericKubernetesResource ro, int index) {
        List<?> steps = Maps.list(ro.getAdditionalProperties(), "spec", "strategy", "canary", "steps");
        if (index < 0 || index >= steps.size()) {
            return null;
        }
        Object pause = Maps.at(steps.get(index), "pause");
        if (pause == null) {
            return null;
        }
        String d = Maps.string(pause, "duration");
        return d == null ? null : com.koreapublicdata.pipeline.config.Durations.parse(d).orElse(null);
    }

    /** Whether canary step {@code index} is a pause (timed or not). */
    public static boolean isPause(GenericKubernetesResource ro, int index) {
        List<?> steps = Maps.list(ro.getAdditionalProperties(), "spec", "strategy", "canary", "steps");
        return index >= 0 && index < steps.size() && Maps.at(steps.get(index), "pause") != null;
    }

    /** The canary weight at step {@code index}: the controller's reported weight, else the last setWeight before it. */
    public static int weightAt(GenericKubernetesResource ro, int index) {
        Map<String, Object> all = ro.getAdditionalProperties();
        long reported = Maps.number(all, -1, "status", "canary", "weights", "canary", "weight");
        if (reported >= 0) {
            return (int) reported;
        }
        List<?> steps = Maps.list(all, "spec", "strategy", "canary", "steps");
        if (index >= steps.size()) {
            return 100;
        }
        int weight = 0;
        for (int i = 0; i <= index && i < steps.size(); i++) {
            long w = Maps.number(steps.get(i), -1, "setWeight");
            if (w >= 0) {
                weight = (int) w;
            }
        }
        return weight;
    }

    /** {@code kubectl argo rollouts abort}: {@code status.abort=true}; the controller returns traffic to stable. */
    public void abort() {
        patchStatus("{\"status\":{\"abort\":true}}");
    }

    private void patchStatus(String patch) {
        api.call("patch the status of " + describe(), () -> {
            try {
                return resource().subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // a CRD without the status subresource (pre-v0.10): the plugin patches the main resource
                return resource().patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            }
        });
    }

    /** The ReplicaSets the Rollout controls: its selector and controller ownerReference. */
    @SuppressWarnings("unchecked")
    public List<ReplicaSet> replicaSets(GenericKubernetesResource ro) {
        Object matchLabels = Maps.at(ro.getAdditionalProperties(), "spec", "selector", "matchLabels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (matchLabels instanceof Map<?, ?> m) {
            m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        List<ReplicaSet> all = api.call("list the replica sets of " + describe(),
                () -> client.apps().replicaSets().inNamespace(namespace).withLabels(labels).list().getItems());
        return Templates.controlledBy(all, ro.getMetadata().getUid());
    }

    /**
     * {@code kubectl argo rollouts undo}: the second-highest {@code rollout.argoproj.io/revision} (or the exact
     * one), skipped when the template already matches, else one JSON Patch replacing the template. Unlike
     * kubectl it neither checks spec.paused nor touches annotations.
     */
    public UndoPlan undo(long toRevision) {
        GenericKubernetesResource ro = get();
        if (ro == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        ReplicaSet rs = Templates.target(replicaSets(ro), toRevision, REVISION, describe());
        Object current = Maps.at(ro.getAdditionalProperties(), "spec", "template");
        boolean same = Templates.equalIgnoringHash(rs.getSpec().getTemplate(), current, HASH_LABEL);
        var cs = rs.getSpec().getTemplate().getSpec().getContainers();
        String fromRevision = ro.getMetadata().getAnnotations() == null ? null : ro.getMetadata().getAnnotations().get(REVISION);
        UndoPlan plan = new UndoPlan(fromRevision, String.valueOf(Templates.revisionOf(rs, REVISION)),
                cs.isEmpty() ? null : cs.get(0).getImage(), same);
        if (same) {
            return plan;
        }
        ObjectNode template = Templates.withoutHash(rs.getSpec().getTemplate(), HASH_LABEL);
        ArrayNode patch = JSON.createArrayNode();
        patch.add(JSON.createObjectNode().put("op", "replace").put("path", "/spec/template").set("value", template));
        api.call("roll back " + describe(), () -> resource().patch(PatchContext.of(PatchType.JSON), patch.toString()));
        return plan;
    }

    /**
     * Waits for a Rollout going back to an earlier template to be Healthy. A canary back to its stable hash is fast
     * (Argo's "Rollback to stable"); a blue-green rollback after promotion would pause for a person, so a pause is
     * answered with promote --full: the rollback was already decided.
     */
    public void awaitRestored(ObjectWaiter waiter, java.time.Instant deadline) {
        boolean[] promotedFull = {false};
        waiter.await(target(), o -> {
            RolloutState st = RolloutState.of(o);
            if (!st.observed()) {
                return ObjectWaiter.Verdict.waiting("Waiting for the rollback to be observed...");
            }
            if (st.is(RolloutState.HEALTHY) && st.fullyPromoted()) {
                return ObjectWaiter.Verdict.done(RolloutState.HEALTHY);
            }
            if (st.is(RolloutState.DEGRADED)) {
                throw new com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure(
                        "the rollout is still degraded after the undo: " + st.message());
            }
            if (st.is(RolloutState.PAUSED) && !promotedFull[0]) {
                promotedFull[0] = true;
                promoteFull();
            }
            return ObjectWaiter.Verdict.waiting("Rolling back: " + st.line());
        }, deadline);
    }
}
