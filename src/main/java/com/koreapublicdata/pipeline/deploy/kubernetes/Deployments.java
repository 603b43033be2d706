package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** One Deployment: set its image, wait for it, undo it, all with kubectl's rules. */
public final class Deployments {
    public static final String HASH_LABEL = "pod-template-hash";
    /** Annotations kubectl's undo keeps from the Deployment instead of copying from the ReplicaSet. */
    static final List<String> ANNOTATIONS_TO_SKIP = List.of("kubectl.kubernetes.io/last-applied-configuration",
            DeploymentRules.REVISION, "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to");

    private final KubernetesClient client;
    private final Api api;
    private final String namespace;
    private final String name;

    public Deployments(KubernetesClient client, Api api, String namespace, String name) {
        this.client = client;
        this.api = api;
        this.namespace = namespace;
        this.name = name;
    }

    public String describe() {
        return "deployment/" + name + " in namespace " + namespace;
    }

    public Deployment get() {
        return api.call("read " + describe(), () -> client.apps().deployments().inNamespace(namespace).withName(name).get());
    }

    /**
     * Sets one container's image and our annotations with a JSON Patch that carries the resourceVersion it was
     * computed from, so a concurrent change makes it fail with 409 and it is recomputed (never a blind overwrite).
     *
     * @return the Deployment after the change
     */
    public Deployment setImage(String container, String image, Map<String, String> annotations,
            com.koreapublicdata.pipeline.config.RollingSettings rolling) {
        return api.onConflict("set the image of " + describe(), () -> {
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
            if (d == null) {
                throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist; create it first (korea only changes its image)");
            }
            List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
            int index = indexOf(containers, container);
            Map<String, String> merged = new LinkedHashMap<>();
            if (d.getMetadata().getAnnotations() != null) {
                merged.putAll(d.getMetadata().getAnnotations());
            }
            merged.putAll(annotations);
            ArrayNode patch = Templates.JSON.createArrayNode();
            patch.add(op("replace", "/metadata/resourceVersion", d.getMetadata().getResourceVersion()));
            patch.add(Templates.JSON.createObjectNode().put("op", "add").put("path", "/metadata/annotations")
                    .set("value", Templates.JSON.valueToTree(merged)));
            patch.add(op("replace", "/spec/template/spec/containers/" + index + "/image", image));
            if (rolling != null) {
                Map<String, Object> update = new LinkedHashMap<>();
                update.put("maxSurge", intOrString(rolling.maxSurge()));
                update.put("maxUnavailable", intOrString(rolling.maxUnavailable()));
                patch.add(Templates.JSON.createObjectNode().put("op", "add").put("path", "/spec/strategy")
                        .set("value", Templates.JSON.valueToTree(Map.of("type", "RollingUpdate", "rollingUpdate", update))));
            }
            return client.apps().deployments().inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON), patch.toString());
        });
    }

    private static Object intOrString(String v) {
        return v.matches("\\d+") ? (Object) Integer.parseInt(v) : v;
    }

    static int indexOf(List<Container> containers, String container) {
        for (int i = 0; i < containers.size(); i++) {
            if (container.equals(containers.get(i).getName())) {
                return i;
            }
        }
        throw KoreaException.invalidInput("deployments.<component>.container: no container named '" + container
                + "' in the workload; it has " + containers.stream().map(Container::getName).toList());
    }

    /** The container's current image, or null. */
    public static String image(Deployment d, String container) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> container.equals(c.getName()))
                .map(Container::getImage).findFirst().orElse(null);
    }

    public ObjectWaiter.Target<Deployment> target() {
        return new ObjectWaiter.Target<>() {
            @Override
            public Deployment get() {
                return client.apps().deployments().inNamespace(namespace).withName(name).get();
            }

            @Override
            public Watch watch(Watcher<Deployment> watcher) {
                return client.apps().deployments().inNamespace(namespace).withName(name).watch(watcher);
            }

            @Override
            public String describe() {
                return Deployments.this.describe();
            }
        };
    }

    /** Waits with kubectl's rollout-status rules until done; {@link WaitFailure} otherwise. */
    public String awaitRollout(ObjectWaiter waiter, Instant deadline) {
        return waiter.await(target(), DeploymentRules::judge, deadline);
    }

    /** The ReplicaSets this Deployment controls: by its selector and controller ownerReference. */
    public List<ReplicaSet> replicaSets(Deployment d) {
        List<ReplicaSet> all = api.call("list the replica sets of " + describe(), () -> client.apps().replicaSets()
                .inNamespace(namespace).withLabelSelector(d.getSpec().getSelector()).list().getItems());
        return Templates.controlledBy(all, d.getMetadata().getUid());
    }

    /** What an undo to {@code toRevision} (0 = previous) would do; refuses as kubectl does. */
    public UndoPlan planUndo(long toRevision) {
        Deployment d = get();
        if (d == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        return plan(d, Templates.target(replicaSets(d), toRevision, DeploymentRules.REVISION, describe()));
    }

    private UndoPlan plan(Deployment d, ReplicaSet rs) {
        boolean same = Templates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate(), HASH_LABEL);
        List<Container> cs = rs.getSpec().getTemplate().getSpec().getContainers();
        return new UndoPlan(DeploymentRules.revision(d), DeploymentRules.revision(rs), cs.isEmpty() ? null : cs.get(0).getImage(), same);
    }

    /**
     * kubectl rollout undo: the previous revision (or {@code toRevision}), refused for a paused Deployment,
     * skipped when the template already matches, else one JSON Patch replacing the template and the annotations.
     */
    public UndoPlan undo(long toRevision) {
        Deployment d = get();
        if (d == null) {
            throw new KoreaException(ExitCode.FAILURE, describe() + " does not exist");
        }
        ReplicaSet rs = Templates.target(replicaSets(d), toRevision, DeploymentRules.REVISION, describe());
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            throw new KoreaException(ExitCode.FAILURE, "you cannot roll back a paused deployment (" + describe()
                    + "); resume it first with 'kubectl rollout resume deployment/" + name + "' and try again");
        }
        UndoPlan plan = plan(d, rs);
        if (plan.skipped()) {
            return plan;
        }
        ObjectNode template = Templates.withoutHash(rs.getSpec().getTemplate(), HASH_LABEL);
        Map<String, String> annotations = new LinkedHashMap<>();
        Map<String, String> own = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        for (String k : ANNOTATIONS_TO_SKIP) {
            if (own.containsKey(k)) {
                annotations.put(k, own.get(k));
            }
        }
        if (rs.getMetadata().getAnnotations() != null) {
            rs.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!ANNOTATIONS_TO_SKIP.contains(k)) {
                    annotations.put(k, v);
                }
            });
        }
        ArrayNode patch = Templates.JSON.createArrayNode();
        patch.add(Templates.JSON.createObjectNode().put("op", "replace").put("path", "/spec/template").set("value", template));
        patch.add(Templates.JSON.createObjectNode().put("op", "replace").put("path", "/metadata/annotations")
                .set("value", Templates.JSON.valueToTree(annotations)));
        api.call("roll back " + describe(), () -> client.apps().deployments().inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON), patch.toString()));
        return plan;
    }

    static ObjectNode op(String op, String path, String value) {
        return Templates.JSON.createObjectNode().put("op", op).put("path", path).put("value", value);
    }
}
