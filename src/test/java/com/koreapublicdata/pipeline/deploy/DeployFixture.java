package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.deploy.kubernetes.Tuning;
import com.koreapublicdata.pipeline.Sleeper;
import com.koreapublicdata.pipeline.wiring.ScanRecordFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.history.DeploymentLog;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A mock cluster with fake controllers, a korea.yaml and the engine's services wired to them. */
final class DeployFixture implements AutoCloseable {
    static final String NS = "shop";
    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String DIGEST_B = "sha256:" + "b".repeat(64);

    final KubeTestServer kube;
    final FakeControllers controllers;
    final Path dir;
    final ConfigFile config;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    volatile Consumer<String> onProgress = line -> { };
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<HealthCheck.Request> checks = Collections.synchronizedList(new ArrayList<>());
    volatile HealthCheck health = request -> HealthCheck.Verdict.pass("fine");
    /** The engine's clock; budget tests move it forward. */
    volatile Clock clock = Clock.systemUTC();
    volatile SmokeTester smoke = (test, placeholders) -> Optional.empty();
    Tuning tuning = new Tuning(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMillis(500), 5, Duration.ofMillis(10));
    // the mock server drops a watch event now and then under load; the engine's resync (30s in production) covers
    // that, shortened here so such a loss costs half a second

    DeployFixture(Path dir) throws Exception {
        this(dir, "korea.yaml");
    }

    DeployFixture(Path dir, String yamlResource) throws Exception {
        this(dir, resource(yamlResource), true);
    }

    /** With a korea.yaml the test writes itself. */
    static DeployFixture withYaml(Path dir, String koreaYaml) throws Exception {
        return new DeployFixture(dir, koreaYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = DeployFixture.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private DeployFixture(Path dir, byte[] koreaYaml, boolean unused) throws Exception {
        this.dir = dir;
        Files.write(dir.resolve("korea.yaml"), koreaYaml);
        this.config = new ConfigLoader().load(dir.resolve("korea.yaml"));
        this.kube = new KubeTestServer();
        kube.namespace(NS);
        this.controllers = new FakeControllers(kube.controllerClient, NS, 5);
    }

    /** A kubeconfig in {@link #dir} whose current context {@code test} points at this mock server (for CLI tests). */
    Path kubeconfig() throws java.io.IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        java.nio.file.Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: test
                  context: {cluster: mock, user: tester, namespace: default}
                current-context: test
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(client().getMasterUrl().toString()));
        return kubeconfig;
    }

    KubernetesClient client() {
        return kube.client;
    }

    DeploymentLog log() {
        return new DeploymentLog(config.stateDir());
    }

    DeployServices services() {
        ClusterConnector clusters = new ClusterConnector() {
            @Override
            public KubernetesClient connect(Environment environment) {
                return kube.client;
            }
        };
        PromotionListener listener = new PromotionListener() {
            @Override
            public void started(Event e) {
                events.add("started");
            }

            @Override
            public void awaitingApproval(Event e) {
                events.add("awaiting-approval");
            }

            @Override
            public void succeeded(Event e) {
                events.add("success");
            }

            @Override
            public void failed(Event e) {
                events.add("failed");
            }

            @Override
            public void rolledBack(Event e) {
                events.add("rollback:" + e.outcome());
            }
        };
        HealthCheck recording = request -> {
            checks.add(request);
            return health.check(request);
        };
        return new DeployServices(clusters, new ScanRecordFiles(config.stateDir()), GitOpsPromotion.UNAVAILABLE, recording,
                (t, p) -> smoke.run(t, p), listener, DigestLookup.NONE, log(), clock, Sleeper.REAL, tuning,
                line -> {
                    if (System.getenv("KOREA_TEST_TRACE") != null) {
                        System.err.println(java.time.LocalTime.now() + " " + line);
                    }
                    progress.add(line);
                    onProgress.accept(line);
                });
    }

    Promoter promoter() {
        return new Promoter(config.config(), services());
    }

    /** Creates a Deployment as kubectl apply would and waits until the fake controller has rolled it out. */
    Deployment deployment(String name, String image, int replicas) throws InterruptedException {
        kube.controllerClient.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName(name).withNamespace(NS).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        return awaitDeployment(name);
    }

    Deployment awaitDeployment(String name) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Deployment d = kube.client.apps().deployments().inNamespace(NS).withName(name).get();
            if (d != null && DeploymentRules.healthy(d) && d.getMetadata().getAnnotations() != null
                    && d.getMetadata().getAnnotations().containsKey(DeploymentRules.REVISION)) {
                return d;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("deployment " + name + " never rolled out");
    }

    Deployment get(String name) {
        return kube.client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    String image(String name) {
        return get(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    void scanRecord(String digest, String verdict) throws IOException {
        Path scans = config.stateDir().resolve("scans");
        Files.createDirectories(scans);
        Files.writeString(scans.resolve(digest.substring(7) + ".json"), "{\"digest\":\"" + digest + "\",\"verdict\":\"" + verdict + "\"}");
    }

    static String image(String tag, String digest) {
        return "registry.local/shop/web:" + tag + (digest == null ? "" : "@" + digest);
    }

    Map<String, String> annotations(String name) {
        return get(name).getMetadata().getAnnotations();
    }

    @Override
    public void close() throws Exception {
        controllers.close();
        kube.close();
    }
}
