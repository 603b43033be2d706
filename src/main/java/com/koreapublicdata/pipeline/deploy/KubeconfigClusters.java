package com.koreapublicdata.pipeline.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Environment;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Cluster access the usual way: the kubeconfig named by KUBECONFIG (first file of the list) or ~/.kube/config,
 * using the environment's {@code cluster} as the kube context, or the in-cluster service account when there is
 * no kubeconfig. The environment map is the command's (not the JVM's), so tests can point it elsewhere.
 */
public final class KubeconfigClusters implements ClusterConnector {
    private final Map<String, String> env;

    public KubeconfigClusters(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public KubernetesClient connect(Environment environment) {
        String context = environment.cluster();
        if (context == null && environment.hasWaves()) {
            // the default context is no cluster of the waves: fail closed rather than deploy somewhere else
            throw KoreaException.invalidInput("environment " + environment.name() + " deploys in waves (environments."
                    + environment.name() + ".waves): korea promote, rollback and status go cluster by cluster; this command "
                    + "needs one cluster; nothing was changed");
        }
        Path kubeconfig = kubeconfig();
        boolean hasFile = kubeconfig != null && Files.isRegularFile(kubeconfig);
        if (context != null && (hasFile || !Files.isRegularFile(Path.of(SERVICE_ACCOUNT_TOKEN)))) {
            java.util.List<String> contexts = hasFile ? contexts(environment, kubeconfig) : java.util.List.of();
            if (!contexts.contains(context)) {
                throw new KoreaException(ExitCode.FAILURE, "environments." + environment.name() + ".cluster: no kube context '"
                        + context + "' in the kubeconfig; contexts: " + (contexts.isEmpty() ? "none" : String.join(", ", contexts))
                        + " (" + (kubeconfig == null ? "no kubeconfig" : hasFile ? where()
                                : where() + " does not exist") + "); nothing was changed");
            }
        }
        Config config;
        try {
            if (hasFile) {
                config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            } else {
                config = Config.autoConfigure(context);
            }
        } catch (IOException | RuntimeException e) {
            throw new KoreaException(ExitCode.FAILURE, "environments." + environment.name() + ".cluster: cannot use kube context '"
                    + context + "'" + (kubeconfig == null ? "" : " from " + where()) + ": " + e.getClass().getSimpleName()
                    + " (the kubeconfig's own text is left out: it may hold tokens or keys)", e);
        }
        if (context != null && config.getCurrentContext() != null && !context.equals(config.getCurrentContext().getName())) {
            throw new KoreaException(ExitCode.FAILURE, "environments." + environment.name() + ".cluster: no kube context named '"
                    + context + "' in " + (kubeconfig == null ? "the kubeconfig" : where()));
        }
        // Api retries server errors with its own bounded backoff; fabric8's would multiply them
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /** The context names of a kubeconfig, read without keeping (or showing) its credentials. */
    private java.util.List<String> contexts(Environment environment, Path kubeconfig) {
        try {
            io.fabric8.kubernetes.api.model.Config parsed = io.fabric8.kubernetes.client.internal.KubeConfigUtils
                    .parseConfigFromString(Files.readString(kubeconfig));
            return parsed.getContexts() == null ? java.util.List.of()
                    : parsed.getContexts().stream().map(io.fabric8.kubernetes.api.model.NamedContext::getName).toList();
        } catch (IOException | RuntimeException e) {
            throw new KoreaException(ExitCode.FAILURE, "environments." + environment.name() + ".cluster: cannot read the "
                    + where() + ": " + e.getClass().getSimpleName()
                    + " (the kubeconfig's own text is left out: it may hold tokens or keys)", e);
        }
    }

    /** Names the kubeconfig without its path: in CI the path is a credential file's (Jenkins masks it as ****). */
    private String where() {
        String list = env.get("KUBECONFIG");
        return list != null && !list.isBlank() ? "the kubeconfig in $KUBECONFIG" : "~/.kube/config";
    }

    private Path kubeconfig() {
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            return Path.of(list.split(File.pathSeparator)[0]);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home == null ? null : Path.of(home, ".kube", "config");
    }

    @Override
    public void release(KubernetesClient client) {
        client.close();
    }
}
