package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.config.Environment;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Opens the Kubernetes API of an environment's cluster (its kube context). Tests hand in a mock server's client. */
public interface ClusterConnector {

    KubernetesClient connect(Environment environment);

    /** Called when the engine is done with a client it got from {@link #connect}. */
    default void release(KubernetesClient client) {
    }
}
