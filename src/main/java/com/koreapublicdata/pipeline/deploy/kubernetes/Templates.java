package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

/** Pod-template comparison and revision ranking shared by kubectl's and Argo's undo rules. */
public final class Templates {
    static final ObjectMapper JSON = JsonMapping.mapper();

    private Templates() {
    }

    /** The template as JSON without the given hash label (pod-template-hash or rollouts-pod-template-hash). */
    public static ObjectNode withoutHash(Object template, String hashLabel) {
        ObjectNode node = JSON.valueToTree(template);
        JsonNode labels = node.path("metadata").path("labels");
        if (labels instanceof ObjectNode l) {
            l.remove(hashLabel);
        }
        stripNulls(node);
        return node;
    }

    /** Semantic equality of two templates, ignoring the hash label (kubectl's equalIgnoreHash). */
    public static boolean equalIgnoringHash(Object a, Object b, String hashLabel) {
        return withoutHash(a, hashLabel).equals(withoutHash(b, hashLabel));
    }

    private static void stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            o.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (v.isNull() || (v.isObject() && v.isEmpty()) || (v.isArray() && v.isEmpty())) {
                    drop.add(e.getKey());
                } else {
                    stripNulls(v);
                }
            });
            o.remove(drop);
            // emptied by the recursion
            List<String> empty = new ArrayList<>();
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isObject() && e.getValue().isEmpty()) {
                    empty.add(e.getKey());
                }
            });
            o.remove(empty);
        } else if (node != null && node.isArray()) {
            node.forEach(Templates::stripNulls);
        }
    }

    /** Whether {@code owner} (by uid) is the controller of {@code child} (metav1.IsControlledBy). */
    public static boolean controlledBy(HasMetadata child, String ownerUid) {
        List<OwnerReference> refs = child.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController()) && ownerUid != null
                && ownerUid.equals(r.getUid()));
    }

    /** The ReplicaSets among {@code candidates} that {@code ownerUid} controls (listing by selector alone is not enough). */
    public static List<io.fabric8.kubernetes.api.model.apps.ReplicaSet> controlledBy(
            List<io.fabric8.kubernetes.api.model.apps.ReplicaSet> candidates, String ownerUid) {
        return candidates.stream().filter(rs -> controlledBy(rs, ownerUid)).toList();
    }

    /** A revision annotation as a number; absent or unparsable ranks lowest. */
    public static long revisionOf(HasMetadata o, String annotation) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(annotation);
        try {
            return v == null ? 0 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The undo target among the owned ReplicaSets: revision 0 means the second-highest revision, else that exact one.
     * Refuses with kubectl's wording when there is none.
     */
    public static <T extends HasMetadata> T target(List<T> owned, long toRevision, String annotation, String what) {
        if (toRevision < 0) {
            throw KoreaException.invalidInput("--to-revision must be 0 (previous) or a positive revision, not " + toRevision);
        }
        List<T> ranked = new ArrayList<>(owned);
        ranked.sort(Comparator.comparingLong((T rs) -> revisionOf(rs, annotation)).reversed());
        if (toRevision == 0) {
            if (ranked.size() < 2) {
                throw KoreaException.invalidInput("no rollout history found for " + what
                        + ": there is no earlier revision to roll back to");
            }
            return ranked.get(1);
        }
        Optional<T> exact = ranked.stream().filter(rs -> revisionOf(rs, annotation) == toRevision).findFirst();
        return exact.orElseThrow(() -> KoreaException.invalidInput("unable to find the specified revision " + toRevision
                + " for " + what + "; revisions kept: " + ranked.stream().map(rs -> String.valueOf(revisionOf(rs, annotation)))
                        .toList()));
    }
}
