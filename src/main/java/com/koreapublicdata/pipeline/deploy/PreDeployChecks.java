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
            throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the " + environment + " cluster is not reachable at "
                    + client.getMasterUrl() + ": " + Api.describe(e) + "; nothing was changed", e);
        }
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
