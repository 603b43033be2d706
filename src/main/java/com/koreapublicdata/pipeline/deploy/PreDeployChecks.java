package com.koreapublicdata.pipeline.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The seed's deploy.sh checks before anything changes: cluster reachable, namespace there, Secrets there, and
 * Secrets the External Secrets Operator owns synced from the vault.
 */
final class PreDeployChecks {
    private PreDeployChecks() {
    }

    /** Cluster reachable and namespace present; exit 1 naming what is wrong. */
    static void clusterAndNamespace(KubernetesClient client, Api api, String environment, String namespace) {
        try {
            if (api.call("read namespace " + namespace, () -> client.namespaces().withName(namespace).get()) == null) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: namespace '" + namespace + "' does not exist in the "
                        + environment + " cluster (environments." + environment + ".namespace); nothing was changed");
            }
        } catch (KubernetesClientException e) {
            if (Api.forbidden(e)) {
                // reachable but not allowed: "not reachable" would send the reader to the network instead of the Role
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the " + environment + " cluster answered "
                        + Api.forbidden("get", "namespaces/" + namespace, null, e) + "; nothing was changed", e);
            }
            throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the " + environment + " cluster is not reachable at "
                    + client.getMasterUrl() + ": " + Api.describe(e) + "; nothing was changed", e);
        }
    }

    /** How long the pre-deploy check waits for a workload's controller to observe its latest spec. */
    static final java.time.Duration OBSERVE_POLL = java.time.Duration.ofMillis(500);
    static final int OBSERVE_POLLS = 20;

    /**
     * Refuses (exit 1, nothing changed) when the pod template references Secrets that are missing, or that an
     * ExternalSecret owns and has not synced from the vault.
     */
    static void requireSecrets(DeployContext ctx, PodTemplateSpec template) {
        PodSpec pod = template == null ? null : template.getSpec();
        String namespace = ctx.env().namespace();
        List<String> missing = missingSecrets(ctx.client(), ctx.api(), namespace, pod);
        if (!missing.isEmpty()) {
            throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the workload references Secrets missing in namespace "
                    + namespace + ": " + missing + "; nothing was changed");
        }
        List<String> unsynced = unsyncedExternalSecrets(ctx.client(), ctx.api(), namespace, pod);
        if (!unsynced.isEmpty()) {
            throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: " + String.join("; ", unsynced)
                    + "; the pods would start with stale or missing secrets; nothing was changed");
        }
    }

    /**
     * The Deployment once its controller has observed its latest spec ({@code status.observedGeneration >=
     * metadata.generation}), or as it is after a few seconds. A real API server bumps generation on changes such
     * as a concurrent {@code kubectl annotate}; kubectl waits for the controller a moment, so korea does too
     * instead of refusing a healthy workload.
     */
    static Deployment observed(DeployContext ctx, java.util.function.Supplier<Deployment> read, Deployment current) {
        Deployment d = current;
        // counted polls, not the clock: a test clock that does not move must not make this spin
        for (int poll = 0; d != null && unobserved(d) && poll < OBSERVE_POLLS; poll++) {
            if (poll == 0) {
                ctx.progress("Waiting for the controller to observe generation " + d.getMetadata().getGeneration() + " of "
                        + "deployment/" + d.getMetadata().getName() + "...");
            }
            try {
                ctx.services().sleeper().sleep(OBSERVE_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KoreaException(ExitCode.FAILURE, "interrupted");
            }
            d = read.get();
        }
        return d == null ? current : d;
    }

    static boolean unobserved(Deployment d) {
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = d.getStatus() == null || d.getStatus().getObservedGeneration() == null ? 0
                : d.getStatus().getObservedGeneration();
        return observed < generation;
    }

    /** Secrets the pod spec references (non-optional) that do not exist. */
    static List<String> missingSecrets(KubernetesClient client, Api api, String namespace, PodSpec pod) {
        List<String> missing = new ArrayList<>();
        for (String name : referencedSecrets(pod)) {
            if (api.call("read secret " + name, () -> client.secrets().inNamespace(namespace).withName(name).get()) == null) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The group of the External Secrets Operator's ExternalSecret, in either served version. */
    static final String EXTERNAL_SECRETS_GROUP = "external-secrets.io";
    private static final List<String> EXTERNAL_SECRET_VERSIONS = List.of("v1", "v1beta1");

    /**
     * Secrets the pod spec references that an ExternalSecret owns (ownerReferences, as the operator sets them) whose
     * Ready condition is not True: the Secret may hold stale or no data from the vault. One line per ExternalSecret,
     * naming it and its condition's reason and message.
     */
    static List<String> unsyncedExternalSecrets(KubernetesClient client, Api api, String namespace, PodSpec pod) {
        List<String> problems = new ArrayList<>();
        for (String name : referencedSecrets(pod)) {
            Secret secret = api.call("read secret " + name, () -> client.secrets().inNamespace(namespace).withName(name).get());
            if (secret == null || secret.getMetadata().getOwnerReferences() == null) {
                continue;
            }
            for (OwnerReference owner : secret.getMetadata().getOwnerReferences()) {
                String apiVersion = owner.getApiVersion() == null ? "" : owner.getApiVersion();
                String version = apiVersion.startsWith(EXTERNAL_SECRETS_GROUP + "/")
                        ? apiVersion.substring(EXTERNAL_SECRETS_GROUP.length() + 1) : null;
                if (!"ExternalSecret".equals(owner.getKind()) || version == null || !EXTERNAL_SECRET_VERSIONS.contains(version)) {
                    continue;
                }
                String what = "ExternalSecret " + namespace + "/" + owner.getName() + " (" + apiVersion + ", owner of Secret "
                        + name + ")";
                ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(EXTERNAL_SECRETS_GROUP)
                        .withVersion(version).withKind("ExternalSecret").withPlural("externalsecrets").withNamespaced(true).build();
                GenericKubernetesResource es = api.call("read " + what, () -> client.genericKubernetesResources(context)
                        .inNamespace(namespace).withName(owner.getName()).get());
                if (es == null) {
                    problems.add(what + " does not exist");
                    continue;
                }
                Object ready = null;
                Object status = es.getAdditionalProperties().get("status");
                if (status instanceof Map<?, ?> st && st.get("conditions") instanceof List<?> conditions) {
                    for (Object c : conditions) {
                        if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                            ready = m;
                        }
                    }
                }
                if (!(ready instanceof Map<?, ?> r)) {
                    problems.add(what + " has no Ready condition yet (never synced)");
                } else if (!"True".equals(r.get("status"))) {
                    problems.add(what + " is not Ready (" + r.get("reason") + "): " + r.get("message"));
                }
            }
        }
        return problems;
    }

    /** Every Secret name the pod spec needs: env valueFrom, envFrom, volumes and image pull secrets (non-optional). */
    private static Set<String> referencedSecrets(PodSpec pod) {
        Set<String> names = new LinkedHashSet<>();
        if (pod == null) {
            return names;
        }
        List<Container> all = new ArrayList<>();
        if (pod.getContainers() != null) {
            all.addAll(pod.getContainers());
        }
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        for (Container c : all) {
            if (c.getEnv() != null) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                            && !Boolean.TRUE.equals(e.getValueFrom().getSecretKeyRef().getOptional())) {
                        names.add(e.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            if (c.getEnvFrom() != null) {
                for (EnvFromSource e : c.getEnvFrom()) {
                    if (e.getSecretRef() != null && !Boolean.TRUE.equals(e.getSecretRef().getOptional())) {
                        names.add(e.getSecretRef().getName());
                    }
                }
            }
        }
        if (pod.getVolumes() != null) {
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
                    names.add(v.getSecret().getSecretName());
                }
            }
        }
        if (pod.getImagePullSecrets() != null) {
            for (LocalObjectReference r : pod.getImagePullSecrets()) {
                names.add(r.getName());
            }
        }
        names.remove(null);
        return names;
    }
}
