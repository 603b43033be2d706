package com.koreapublicdata.pipeline.deploy.gitops;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Waits for an Argo CD Application to deploy a commit, the way {@code argocd app wait} does (sync, health and
 * operation), plus a check it does not make: {@code status.sync.revision} must be our commit, so a sync that
 * finished earlier for an older revision is never taken for ours. Watches the Application instead of polling.
 */
final class ArgoCdWait {

    static final ResourceDefinitionContext APPLICATION = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withNamespaced(true).build();

    private static final Object CLOSED = new Object();
    private static final int MAX_REWATCHES = 5;

    private final KubernetesClient client;
    private final Consumer<String> progress;

    ArgoCdWait(KubernetesClient client, Consumer<String> progress) {
        this.client = client;
        this.progress = progress;
    }

    /** One look at the Application: finished (success or failure) or still waiting, and why. */
    record Verdict(boolean done, boolean failed, String summary, String revision) {
    }

    /**
     * Returns the revision the Application synced once it is Synced and Healthy at {@code revision} with no
     * operation in flight; throws when it degrades, our sync fails, or the timeout passes.
     */
    String await(String namespace, String name, String revision, Duration timeout) {
        return await(namespace, name, revision, timeout, revision::equalsIgnoreCase);
    }

    /**
     * As above, where {@code includesOurs} says whether a revision Argo CD reports contains our commit (is it,
     * or a later commit on top of it): another deploy may push after ours before Argo CD looks, and Argo CD
     * then deploys both at once. Returns the revision Argo CD deployed.
     */
    String await(String namespace, String name, String revision, Duration timeout, Predicate<String> includesOurs) {
        Resource<GenericKubernetesResource> app = client.genericKubernetesResources(APPLICATION).inNamespace(namespace).withName(name);
        String label = "Argo CD Application " + namespace + "/" + name;
        long deadline = System.nanoTime() + timeout.toNanos();
        Judge judge = new Judge(includesOurs);
        boolean syncRequested = false;
        String lastSummary = null;
        for (int watches = 0; watches <= MAX_REWATCHES; watches++) {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            // watch first, then read: no change can fall between the two
            try (Watch ignored = app.watch(new Watcher<GenericKubernetesResource>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                    if (action == Action.BOOKMARK) {
                        return;
                    }
                    events.add(action == Action.DELETED || action == Action.ERROR || resource == null ? CLOSED : resource);
                }

                @Override
                public void onClose(WatcherException cause) {
                    events.add(CLOSED);
                }
            })) {
                GenericKubernetesResource current = app.get();
                if (current == null) {
                    throw KoreaException.invalidInput("gitops.application: " + label + " does not exist");
                }
                if (watches == 0) {
                    requestRefresh(app, label);
                }
                Object next = current;
                while (true) {
                    if (next == CLOSED) {
                        break;
                    }
                    GenericKubernetesResource snapshot = (GenericKubernetesResource) next;
                    Verdict verdict = judge.look(snapshot.getAdditionalProperties());
                    if (!verdict.summary().equals(lastSummary)) {
                        progress.accept(label + ": " + verdict.summary());
                        lastSummary = verdict.summary();
                    }
                    if (verdict.failed()) {
                        throw new KoreaException(ExitCode.FAILURE, label + " failed to deploy " + revision + ": " + verdict.summary());
                    }
                    if (verdict.done()) {
                        return verdict.revision();
                    }
                    if (!syncRequested && !automated(snapshot) && judge.idle(snapshot.getAdditionalProperties())) {
                        syncRequested = requestSync(app, label, revision);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new KoreaException(ExitCode.FAILURE, label + " did not become Synced and Healthy at " + revision
                                + " within " + timeout + " (last seen: " + lastSummary + ")");
                    }
                    next = events.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        throw new KoreaException(ExitCode.FAILURE, label + " did not become Synced and Healthy at " + revision
                                + " within " + timeout + " (last seen: " + lastSummary + ")");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KoreaException(ExitCode.FAILURE, "interrupted while waiting for " + label, e);
            } catch (KubernetesClientException e) {
                throw new KoreaException(ExitCode.FAILURE, "cannot watch " + label + ": " + e.getMessage(), e);
            }
            progress.accept(label + ": the watch closed; watching again");
        }
        throw new KoreaException(ExitCode.FAILURE, "the watch on " + label + " kept closing; gave up");
    }

    /** Asks Argo CD to compare with git now instead of at its next poll (annotation argocd.argoproj.io/refresh). */
    private void requestRefresh(Resource<GenericKubernetesResource> app, String label) {
        try {
            app.patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":\"normal\"}}}");
        } catch (KubernetesClientException e) {
            // a watch-only account still gets the result, just after Argo CD's next poll
            progress.accept(label + ": could not request a refresh (" + e.getCode() + "); waiting for Argo CD to poll git");
        }
    }

    private static boolean automated(GenericKubernetesResource app) {
        return get(app.getAdditionalProperties(), "spec", "syncPolicy", "automated") != null;
    }

    /**
     * Starts a sync of our revision on an Application without automated sync, as SetAppOperation does:
     * refuse while another operation is pending, clear the old operation state, retry on conflict.
     */
    private boolean requestSync(Resource<GenericKubernetesResource> app, String label, String revision) {
        for (int attempt = 0; attempt < 5; attempt++) {
            GenericKubernetesResource current = app.get();
            if (current.getAdditionalProperties().get("operation") != null) {
                return false;
            }
            current.getAdditionalProperties().put("operation", Map.of(
                    "sync", Map.of("revision", revision),
                    "initiatedBy", Map.of("username", "korea-pipeline")));
            Object status = current.getAdditionalProperties().get("status");
            if (status instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> statusMap = (Map<String, Object>) map;
                statusMap.remove("operationState");
            }
            try {
                client.genericKubernetesResources(APPLICATION).inNamespace(current.getMetadata().getNamespace())
                        .resource(current).update();
                progress.accept(label + ": no automated sync policy; requested a sync of " + revision);
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new KoreaException(ExitCode.FAILURE, "cannot start a sync of " + label + ": " + e.getMessage(), e);
                }
            }
        }
        return false;
    }

    /** The rules, kept apart from the watch so that each snapshot is judged the same way. */
    static final class Judge {
        private final Predicate<String> includesOurs;
        private String previousHealth;

        Judge(Predicate<String> includesOurs) {
            this.includesOurs = includesOurs;
        }

        Verdict look(Map<String, Object> app) {
            Object operation = app.get("operation");
            String sync = string(get(app, "status", "sync", "status"));
            String health = string(get(app, "status", "health", "status"));
            Map<?, ?> opState = map(get(app, "status", "operationState"));
            String phase = opState == null ? null : string(opState.get("phase"));
            Instant finishedAt = opState == null ? null : time(opState.get("finishedAt"));
            Instant reconciledAt = time(get(app, "status", "reconciledAt"));
            String synced = matching(get(app, "status", "sync", "revision"));
            synced = synced != null ? synced : matching(get(app, "status", "sync", "revisions"));
            boolean atOurRevision = synced != null;
            boolean ourOperation = opState != null && (hasRevision(get(opState, "syncResult", "revision"))
                    || hasRevision(get(opState, "syncResult", "revisions"))
                    || hasRevision(get(opState, "operation", "sync", "revision")));

            // argocd app wait's checkAppWaitConditions
            boolean inProgress = operation != null
                    || (opState != null && (finishedAt == null || reconciledAt == null || reconciledAt.isBefore(finishedAt)));

            String summary = "sync=" + orUnknown(sync) + " health=" + orUnknown(health)
                    + " revision=" + shortRevision(get(app, "status", "sync", "revision"))
                    + (operation != null ? " operation=requested" : phase == null ? "" : " operation=" + phase + (ourOperation ? "" : "(earlier sync)"))
                    + (opState != null && opState.get("message") != null && ourOperation ? " (" + opState.get("message") + ")" : "");

            String before = previousHealth;
            previousHealth = health;
            if (ourOperation && finishedAt != null && phase != null && !phase.equals("Succeeded")
                    && !phase.equals("Running") && !phase.equals("Terminating")) {
                return new Verdict(true, true, summary + ": the sync did not succeed", synced);
            }
            if ("Degraded".equals(health) && before != null && !before.equals("Unknown") && !before.equals("Degraded")) {
                return new Verdict(true, true, summary + ": health went from " + before + " to Degraded", synced);
            }
            if ("Degraded".equals(health) && atOurRevision && "Synced".equals(sync) && !inProgress) {
                return new Verdict(true, true, summary + ": Degraded at our revision", synced);
            }
            boolean done = "Synced".equals(sync) && "Healthy".equals(health) && operation == null && !inProgress && atOurRevision;
            return new Verdict(done, false, summary, synced);
        }

        /** Nothing running and nothing requested: the moment SetAppOperation may start a sync. */
        boolean idle(Map<String, Object> app) {
            Map<?, ?> opState = map(get(app, "status", "operationState"));
            return app.get("operation") == null && (opState == null || opState.get("finishedAt") != null);
        }

        /** The revision (or first of a list) that contains our commit, null when none does. */
        private String matching(Object value) {
            if (value instanceof List<?> list) {
                return list.stream().map(this::matching).filter(Objects::nonNull).findFirst().orElse(null);
            }
            return value instanceof String s && includesOurs.test(s) ? s : null;
        }

        private boolean hasRevision(Object value) {
            if (value instanceof List<?> list) {
                return list.stream().anyMatch(this::hasRevision);
            }
            return value instanceof String s && includesOurs.test(s);
        }
    }

    static Object get(Object root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : null;
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static String orUnknown(String value) {
        return Objects.requireNonNullElse(value, "Unknown");
    }

    private static String shortRevision(Object value) {
        String s = string(value);
        return s == null ? "none" : s.length() > 12 ? s.substring(0, 12) : s;
    }

    private static Instant time(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
