package com.koreapublicdata.pipeline.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Tuning;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.wiring.ScanRecordFiles;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Several mock clusters (one kubernetes-server-mock each, CRUD mode, the fake controllers moving status), a
 * korea.yaml with waves over them, and the engine's services: a connector that picks the mock by kube context, a
 * health check that knows which cluster it is asked about, and a clock that the sleeper moves forward, so a 30m
 * soak takes no time.
 */
final class WaveFixture implements AutoCloseable {
    static final String NS = "shop";

    /** One mock cluster. */
    record Cluster(String context, KubeTestServer kube, FakeControllers controllers) {
        Deployment get(String name) {
            return kube.client.apps().deployments().inNamespace(NS).withName(name).get();
        }

        String image(String name) {
            return get(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        }

        /** The engine's changes to Deployments here (Lease traffic left out). */
        List<String> deploymentChanges() {
            return kube.mutatingRequests().stream().filter(r -> r.contains("/deployments")).toList();
        }

        String leaseHolder(String component) {
            var lease = kube.client.leases().inNamespace(NS).withName("korea-promote-" + component).get();
            return lease == null ? null : lease.getSpec().getHolderIdentity();
        }
    }

    final Path dir;
    final ConfigFile config;
    final Map<String, Cluster> clusters = new LinkedHashMap<>();
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final List<HealthCheck.Request> checks = Collections.synchronizedList(new ArrayList<>());
    volatile HealthCheck health = request -> HealthCheck.Verdict.pass("fine");
    /** How far the sleeper has moved the clock past real time. */
    final AtomicLong skippedMillis = new AtomicLong();
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(skippedMillis.get());
        }
    };

    WaveFixture(Path dir, String koreaYaml, String... contexts) throws Exception {
        this.dir = dir;
        Files.writeString(dir.resolve("korea.yaml"), koreaYaml, StandardCharsets.UTF_8);
        this.config = new ConfigLoader().load(dir.resolve("korea.yaml"));
        for (String context : contexts) {
            KubeTestServer kube = new KubeTestServer();
            kube.namespace(NS);
            clusters.put(context, new Cluster(context, kube, new FakeControllers(kube.controllerClient, NS, 5)));
        }
    }

    Cluster cluster(String context) {
        return clusters.get(context);
    }

    DeploymentLog log() {
        return new DeploymentLog(config.stateDir());
    }

    DeployServices services() {
        ClusterConnector connector = new ClusterConnector() {
            @Override
            public KubernetesClient connect(Environment environment) {
                Cluster c = clusters.get(environment.cluster());
                if (c == null) {
                    throw new AssertionError("no mock cluster for kube context " + environment.cluster());
                }
                return c.kube.client;
            }
        };
        HealthCheck recording = request -> {
            checks.add(request);
            return health.check(request);
        };
        Tuning tuning = new Tuning(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMillis(500), 5, Duration.ofMillis(10));
        return new DeployServices(connector, new ScanRecordFiles(config.stateDir()), GitOpsPromotion.UNAVAILABLE, recording,
                (t, p) -> Optional.empty(), PromotionListener.NONE, DigestLookup.NONE, log(), clock,
                d -> skippedMillis.addAndGet(d.toMillis()), tuning, line -> {
                    if (System.getenv("KOREA_TEST_TRACE") != null) {
                        System.err.println(java.time.LocalTime.now() + " " + line);
                    }
                    progress.add(line);
                });
    }

    WavePromoter promoter() {
        return new WavePromoter(config.config(), services());
    }

    /** The same Deployment on every cluster, rolled out by its fake controller. */
    void deployEverywhere(String name, String image) throws InterruptedException {
        for (Cluster c : clusters.values()) {
            c.kube.controllerClient.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                    .withName(name).withNamespace(NS).endMetadata().withNewSpec().withReplicas(2)
                    .withNewSelector().addToMatchLabels("app", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                    .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
        }
        for (Cluster c : clusters.values()) {
            await(c, name);
        }
    }

    private static void await(Cluster c, String name) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Deployment d = c.get(name);
            if (d != null && DeploymentRules.healthy(d) && d.getMetadata().getAnnotations() != null
                    && d.getMetadata().getAnnotations().containsKey(DeploymentRules.REVISION)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("deployment " + name + " never rolled out on " + c.context());
    }

    @Override
    public void close() throws Exception {
        for (Cluster c : clusters.values()) {
            c.controllers.close();
            c.kube.close();
        }
    }
}
