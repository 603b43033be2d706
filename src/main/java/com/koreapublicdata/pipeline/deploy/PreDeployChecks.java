package com.koreapublicdata.pipeline.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** The seed's deploy.sh checks before anything changes: cluster reachable, namespace there, Secrets there. */
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

    /** Secrets the pod spec references (non-optional) that do not exist. */
    static List<String> missingSecrets(KubernetesClient client, Api api, String namespace, PodSpec pod) {
        Set<String> names = new LinkedHashSet<>();
        if (pod == null) {
            return List.of();
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
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (name != null && api.call("read secret " + name, () -> client.secrets().inNamespace(namespace).withName(name).get()) == null) {
                missing.add(name);
            }
        }
        return missing;
    }
}
