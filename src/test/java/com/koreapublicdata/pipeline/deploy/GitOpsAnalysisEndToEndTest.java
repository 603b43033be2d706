package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.analysis.TestApp;
import com.koreapublicdata.pipeline.config.Environment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * End to end: a GitOps environment (a bare git remote, an Argo CD Application on the mock cluster synced by a
 * small fake Argo CD) whose new version is analysed by the real {@link AnalysisHealthCheck} against a real
 * Prometheus once Argo CD reports it Synced and Healthy; a failed analysis is reverted with a revert commit.
 */
class GitOpsAnalysisEndToEndTest {
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final String OVERLAY = "environments/staging/kustomization.yaml";
    static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext APPLICATION =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup("argoproj.io")
                    .withVersion("v1alpha1").withKind("Application").withPlural("applications").withNamespaced(true).build();

    static LocalPrometheus prometheus;
    static TestApp good;
    static TestApp bad;

    @TempDir
    Path dir;
    DeployFixture f;
    Path bare;
    Thread argoCd;
    volatile boolean running = true;
    final List<String> synced = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        good = new TestApp();
        good.version("1.1");
        bad = new TestApp();
        bad.version("1.2");
        bad.mode(TestApp.Mode.ERRORS);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(good.hostPort(), Map.of("component", "web", "environment", "staging"));
        targets.put(bad.hostPort(), Map.of("component", "web", "environment", "staging"));
        prometheus = LocalPrometheus.start(targets, false);
        good.drive();
        bad.drive();
        PrometheusClient client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String version : List.of("1.1", "1.2")) {
            String q = new TargetLabels("web", "staging", "shop", version).fillQuery(Analysis.DEFAULT_LATENCY_QUERY, WINDOW, 0.99);
            while (client.query(q).isEmpty()) {
                assertThat(System.nanoTime()).as("no data for " + version + " after 30s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        // no full window needed here: a healthy version passes and a failing one fails with two samples already
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, good, bad}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        running = false;
        if (argoCd != null) {
            argoCd.join(2000);
        }
        if (f != null) {
            f.close();
        }
    }

    void environment() throws Exception {
        bare = dir.resolve("gitops.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path seed = dir.resolve("seed");
        try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(seed.resolve(OVERLAY).getParent());
            Files.writeString(seed.resolve(OVERLAY), "images:\n- name: shop-web\n  newTag: \"1.0\"\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("seed").setAuthor(new PersonIdent("t", "t@t")).setCommitter(new PersonIdent("t", "t@t"))
                    .setSign(false).call();
            git.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("main:main")).call();
        }
        Path work = Files.createDirectories(dir.resolve("project"));
        f = DeployFixture.withYaml(work, """
                project: shop
                components:
                  web: {paths: [web/**], image: shop-web}
                environments:
                  staging:
                    branches: [staging]
                    namespace: shop
                    cluster: test
                    requireScan: false
                    gitops:
                      repository: %s
                      application: shop-staging
                      timeout: 20s
                analysis:
                  prometheus: %s
                  interval: 1s
                  verification: 2s
                  errorRate: {threshold: 5%%, window: 5s}
                  latency: {threshold: 200ms, window: 5s}
                """.formatted(bare.toUri(), prometheus.url()));
        createApplication(f.kube.controllerClient);
        argoCd = new Thread(this::argoCd, "fake-argocd");
        argoCd.setDaemon(true);
        argoCd.start();
    }

    static void createApplication(KubernetesClient client) {
        GenericKubernetesResource app = new GenericKubernetesResource();
        app.setApiVersion("argoproj.io/v1alpha1");
        app.setKind("Application");
        app.setMetadata(new ObjectMetaBuilder().withName("shop-staging").withNamespace("argocd").build());
        app.setAdditionalProperty("spec", Map.of("project", "default", "syncPolicy", Map.of("automated", Map.of("prune", true)),
                "source", Map.of("repoURL", "file:///gitops.git", "path", "environments/staging", "targetRevision", "main")));
        app.setAdditionalProperty("status", Map.of("sync", Map.of("status", "Synced", "revision", "0".repeat(40)),
                "health", Map.of("status", "Healthy")));
        client.genericKubernetesResources(APPLICATION).inNamespace("argocd").resource(app).create();
    }

    /** Argo CD's part, shrunk: on a refresh request, sync the branch tip and report it Synced and Healthy. */
    @SuppressWarnings("unchecked")
    void argoCd() {
        KubernetesClient client = f.kube.controllerClient;
        while (running) {
            try {
                GenericKubernetesResource app = client.genericKubernetesResources(APPLICATION).inNamespace("argocd")
                        .withName("shop-staging").get();
                Map<String, String> annotations = app.getMetadata().getAnnotations();
                if (annotations != null && annotations.remove("argocd.argoproj.io/refresh") != null) {
                    String tip;
                    try (Git git = Git.open(bare.toFile())) {
                        tip = git.getRepository().resolve("refs/heads/main").name();
                    }
                    app.setAdditionalProperty("status", new LinkedHashMap<>(Map.of(
                            "sync", Map.of("status", "Synced", "revision", tip), "health", Map.of("status", "Healthy"))));
                    client.genericKubernetesResources(APPLICATION).inNamespace("argocd").resource(app).update();
                    synced.add(tip);
                }
                Thread.sleep(20);
            } catch (KubernetesClientException e) {
                // a conflict with the engine's refresh patch: look again
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    Promoter promoter() {
        return new Promoter(f.config.config(), services());
    }

    DeployServices services() {
        ClusterConnector clusters = new ClusterConnector() {
            @Override
            public KubernetesClient connect(Environment environment) {
                return f.kube.client;
            }
        };
        AnalysisHealthCheck health = new AnalysisHealthCheck(f.config.config().analysis(), null, line -> { });
        GitOpsAdapter gitOps = new GitOpsAdapter(f.config, clusters, Clock.systemUTC(), f.progress::add, Map.of(), health);
        return f.services().withGitOps(gitOps).withHealth(health);
    }

    String remoteOverlay() throws Exception {
        Path check = dir.resolve("check-" + System.nanoTime());
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(check.toFile()).call()) {
            return Files.readString(check.resolve(OVERLAY));
        }
    }

    List<RevCommit> remoteLog() throws Exception {
        try (Git git = Git.open(bare.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            git.log().add(git.getRepository().resolve("refs/heads/main")).call().forEach(commits::add);
            return commits;
        }
    }

    @Test
    void shouldKeepAGitOpsDeployWhoseAnalysisPasses() throws Exception {
        environment();

        PromotionResult result = promoter().promote(PromotionRequest.of("web", "staging", "shop-web:1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.exitCode().code()).isZero();
        assertThat(remoteOverlay()).contains("newTag: \"1.1\"");
        assertThat(remoteLog()).hasSize(2);
        assertThat(synced).containsExactly(result.revision());
        assertThat(f.progress).anyMatch(l -> l.startsWith("Analysis passed (after-rollout): 2 round(s) over 2s"));
    }

    @Test
    void shouldRollBackByARevertCommitThatArgoCdSyncs() throws Exception {
        environment();
        PromotionResult deployed = promoter().promote(PromotionRequest.of("web", "staging", "shop-web:1.1"));
        assertThat(deployed.outcome()).as(deployed.message()).isEqualTo(PromotionResult.DEPLOYED);

        RollbackResult result = new Rollbacker(f.config.config(), services())
                .rollback(new RollbackRequest("web", "staging", 0, null, "alice", null));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.changed()).isTrue();
        assertThat(result.fromRevision()).isEqualTo(deployed.revision());
        List<RevCommit> log = remoteLog();
        assertThat(log).hasSize(3);
        assertThat(log.get(0).name()).isEqualTo(result.toRevision());
        assertThat(log.get(0).getParent(0).name()).isEqualTo(deployed.revision());
        assertThat(remoteOverlay()).contains("newTag: \"1.0\"").doesNotContain("1.1");
        assertThat(synced).as("Argo CD was waited for on the deploy and on the revert").hasSize(2).last()
                .isEqualTo(result.toRevision());
        assertThat(result.message()).doesNotContain("not verified");
        assertThat(f.log().read()).last().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("rollback");
            assertThat(r.revision()).isEqualTo(result.toRevision());
        });
    }

    @Test
    void shouldRevertAGitOpsDeployWhosePostDeployAnalysisFails() throws Exception {
        environment();
        assertThat(promoter().promote(PromotionRequest.of("web", "staging", "shop-web:1.1")).outcome())
                .isEqualTo(PromotionResult.DEPLOYED);
        String good = remoteLog().get(0).name();

        PromotionResult result = promoter().promote(PromotionRequest.of("web", "staging", "shop-web:1.2"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode().code()).isEqualTo(20);
        assertThat(result.message()).contains("analysis failed (after-rollout)").contains("error-rate").contains("reverted with commit");
        List<RevCommit> log = remoteLog();
        assertThat(log).hasSize(4);
        assertThat(log.get(0).name()).isEqualTo(result.revision());
        assertThat(log.get(0).getFullMessage()).containsIgnoringCase("revert");
        assertThat(log.get(1).getFullMessage()).startsWith("deploy web 1.2 to staging");
        assertThat(log.get(2).name()).isEqualTo(good);
        assertThat(remoteOverlay()).contains("newTag: \"1.1\"").doesNotContain("1.2");
        // Argo CD was waited for on the deploy (then analysed) and on the revert
        assertThat(synced).hasSize(3).last().isEqualTo(result.revision());
        assertThat(f.log().read()).last().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(PromotionResult.ROLLED_BACK);
            assertThat(r.strategy()).isEqualTo("gitops");
        });
    }
}
