package com.koreapublicdata.pipeline.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * The Argo CD wait against kubernetes-server-mock in CRUD mode, with the test playing Argo CD's application
 * controller: it writes the Application's status the way Argo CD does during an automated or requested sync.
 */
class ArgoCdWaitTest {

    static final String OLD = "1111111111111111111111111111111111111111";
    static final String NEW = "2222222222222222222222222222222222222222";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    private Resource<GenericKubernetesResource> app(String name) {
        return client.genericKubernetesResources(ArgoCdWait.APPLICATION).inNamespace("argocd").withName(name);
    }

    /** An Application that last synced OLD successfully: a stale operation state that is not ours. */
    private void createApplication(String name, boolean automated) {
        GenericKubernetesResource app = new GenericKubernetesResource();
        app.setApiVersion("argoproj.io/v1alpha1");
        app.setKind("Application");
        app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("argocd").build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", "default");
        spec.put("source", Map.of("repoURL", "https://git.example/gitops.git", "path", "environments/staging", "targetRevision", "main"));
        if (automated) {
            spec.put("syncPolicy", Map.of("automated", Map.of("prune", true)));
        }
        app.setAdditionalProperty("spec", spec);
        app.setAdditionalProperty("status", map(
                "sync", map("status", "Synced", "revision", OLD),
                "health", map("status", "Healthy"),
                "operationState", map("phase", "Succeeded", "startedAt", "2026-11-26T05:00:00Z", "finishedAt", "2026-11-26T05:00:10Z",
                        "operation", map("sync", map("revision", OLD)), "syncResult", map("revision", OLD)),
                "reconciledAt", "2026-11-26T05:00:20Z"));
        client.genericKubernetesResources(ArgoCdWait.APPLICATION).inNamespace("argocd").resource(app).create();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The controller's read-modify-write, retried on conflict like any controller. */
    private void controller(String name, Consumer<Map<String, Object>> change) {
        controller(name, change, false);
    }

    @SuppressWarnings("unchecked")
    private void controller(String name, Consumer<Map<String, Object>> change, boolean refreshed) {
        for (int attempt = 0; attempt < 20; attempt++) {
            GenericKubernetesResource current = app(name).get();
            if (refreshed && current.getMetadata().getAnnotations() != null) {
                // Argo CD drops the refresh annotation once it has compared with git
                current.getMetadata().getAnnotations().remove("argocd.argoproj.io/refresh");
            }
            Map<String, Object> props = current.getAdditionalProperties();
            props.computeIfAbsent("status", k -> new LinkedHashMap<>());
            Map<String, Object> status = new LinkedHashMap<>((Map<String, Object>) props.get("status"));
            props.put("status", status);
            change.accept(props);
            try {
                client.genericKubernetesResources(ArgoCdWait.APPLICATION).inNamespace("argocd").resource(current).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("controller kept conflicting");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(Map<String, Object> app) {
        return (Map<String, Object>) app.get("status");
    }

    private void awaitCondition(String name, Predicate<GenericKubernetesResource> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.test(app(name).get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached: " + app(name).get().getAdditionalProperties());
            }
            Thread.sleep(10);
        }
    }

    private static boolean refreshRequested(GenericKubernetesResource app) {
        Map<String, String> annotations = app.getMetadata().getAnnotations();
        return annotations != null && "normal".equals(annotations.get("argocd.argoproj.io/refresh"));
    }

    /** What Argo CD does for an automated sync of {@code revision}, up to (not including) Healthy. */
    private void syncUntilProgressing(String name, String revision) {
        controller(name, app -> {
            status(app).put("sync", map("status", "OutOfSync", "revision", revision));
            app.put("operation", map("sync", map("revision", revision), "initiatedBy", map("automated", true)));
        }, true);
        controller(name, app -> {
            app.remove("operation");
            status(app).put("operationState", map("phase", "Running", "startedAt", "2026-11-26T06:00:01Z",
                    "operation", map("sync", map("revision", revision))));
        });
        controller(name, app -> {
            status(app).put("operationState", map("phase", "Succeeded", "startedAt", "2026-11-26T06:00:01Z",
                    "finishedAt", "2026-11-26T06:00:05Z", "operation", map("sync", map("revision", revision)),
                    "syncResult", map("revision", revision)));
            status(app).put("sync", map("status", "Synced", "revision", revision));
            status(app).put("health", map("status", "Progressing"));
            // reconciledAt still from before the sync: the operation is in flight until the next reconcile
        });
        controller(name, app -> status(app).put("reconciledAt", "2026-11-26T06:00:06Z"));
    }

    private CompletableFuture<String> startWait(String name, String revision, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> new ArgoCdWait(client, progress::add).await("argocd", name, revision, timeout));
    }

    @Test
    void shouldWaitForOurSyncAndHealthNotTheStaleEarlierSync() throws Exception {
        createApplication("korea-staging", true);
        CompletableFuture<String> wait = startWait("korea-staging", NEW, Duration.ofSeconds(20));
        awaitCondition("korea-staging", ArgoCdWaitTest::refreshRequested);
        // the stale state (Synced, Healthy, Succeeded at OLD) must not have ended the wait
        Thread.sleep(200);
        assertThat(wait).isNotDone();

        syncUntilProgressing("korea-staging", NEW);
        Thread.sleep(300);
        assertThat(wait).as("still Progressing").isNotDone();

        controller("korea-staging", app -> status(app).put("health", map("status", "Healthy")));
        assertThat(wait.get(10, TimeUnit.SECONDS)).isEqualTo(NEW);
        assertThat(progress).anyMatch(p -> p.contains("operation=Succeeded(earlier sync)"))
                .anyMatch(p -> p.contains("sync=Synced health=Progressing"));
        // an automated Application is left to its own sync policy
        assertThat(progress).noneMatch(p -> p.contains("requested a sync"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStartASyncOfOurRevisionWhenSyncIsManual() throws Exception {
        createApplication("manual", false);
        CompletableFuture<String> wait = startWait("manual", NEW, Duration.ofSeconds(20));
        awaitCondition("manual", app -> app.getAdditionalProperties().get("operation") != null);
        Map<String, Object> requested = app("manual").get().getAdditionalProperties();
        assertThat(ArgoCdWait.get(requested, "operation", "sync", "revision")).isEqualTo(NEW);
        // like SetAppOperation: the old operation state is cleared
        assertThat(ArgoCdWait.get(requested, "status", "operationState")).isNull();

        syncUntilProgressing("manual", NEW);
        controller("manual", app -> status(app).put("health", map("status", "Healthy")));
        assertThat(wait.get(10, TimeUnit.SECONDS)).isEqualTo(NEW);
    }

    @Test
    void shouldFailWhenTheApplicationTurnsDegraded() throws Exception {
        createApplication("degrades", true);
        CompletableFuture<String> wait = startWait("degrades", NEW, Duration.ofSeconds(20));
        awaitCondition("degrades", ArgoCdWaitTest::refreshRequested);
        syncUntilProgressing("degrades", NEW);
        controller("degrades", app -> status(app).put("health", map("status", "Degraded", "message", "Deployment exceeded its progress deadline")));
        assertThatThrownBy(() -> wait.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(KoreaException.class).hasMessageContaining("Degraded").hasMessageContaining(NEW);
    }

    @Test
    void shouldFailWhenOurSyncOperationFails() throws Exception {
        createApplication("failing", true);
        CompletableFuture<String> wait = startWait("failing", NEW, Duration.ofSeconds(20));
        awaitCondition("failing", ArgoCdWaitTest::refreshRequested);
        controller("failing", app -> status(app).put("operationState", map("phase", "Failed", "message", "one or more objects failed to apply",
                "startedAt", "2026-11-26T06:00:01Z", "finishedAt", "2026-11-26T06:00:02Z", "operation", map("sync", map("revision", NEW)))));
        assertThatThrownBy(() -> wait.get(10, TimeUnit.SECONDS)).cause()
                .hasMessageContaining("the sync did not succeed").hasMessageContaining("one or more objects failed to apply");
    }

    @Test
    void shouldTimeOutWhenArgoCdNeverSyncsOurRevision() {
        createApplication("idle", true);
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ArgoCdWait(client, progress::add).await("argocd", "idle", NEW, Duration.ofMillis(800)))
                .isInstanceOf(KoreaException.class).hasMessageContaining("did not become Synced and Healthy at " + NEW)
                .hasMessageContaining("revision=" + OLD.substring(0, 12));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void shouldRefuseAnApplicationThatDoesNotExist() {
        assertThatThrownBy(() -> new ArgoCdWait(client, progress::add).await("argocd", "missing", NEW, Duration.ofSeconds(2)))
                .isInstanceOf(KoreaException.class).hasMessageContaining("argocd/missing does not exist");
    }

    // ---------------------------------------------------------------- through the deployer

    private ConfigFile gitopsConfig(Path bare) throws Exception {
        return GitOpsDeployerTest.config(dir, "staging:\n  branches: [staging]\n  cluster: staging\n  gitops:\n    repository: "
                + bare.toUri() + "\n    application: korea-staging\n    timeout: 20s\n");
    }

    /** Argo CD's side: on refresh, read the branch tip from git and sync it; finish with the given health. */
    private CompletableFuture<Void> argoCd(Path bare, String finalHealth) {
        return argoCd(bare, finalHealth, () -> { });
    }

    private CompletableFuture<Void> argoCd(Path bare, String finalHealth, Runnable beforeArgoLooks) {
        return CompletableFuture.runAsync(() -> {
            try {
                awaitCondition("korea-staging", ArgoCdWaitTest::refreshRequested);
                beforeArgoLooks.run();
                String tip;
                try (Git git = Git.open(bare.toFile())) {
                    tip = git.getRepository().resolve("refs/heads/main").name();
                }
                syncUntilProgressing("korea-staging", tip);
                controller("korea-staging", app -> status(app).put("health", map("status", finalHealth)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void shouldReportTheSyncedRevisionAfterADeploy() throws Exception {
        Path bare = GitOpsDeployerTest.remote(dir, "environments/staging/kustomization.yaml", "resources: []\n");
        createApplication("korea-staging", true);
        CompletableFuture<Void> argo = argoCd(bare, "Healthy");
        GitOpsDeployer deployer = new GitOpsDeployer(Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC), progress::add,
                client, Map.of());
        ConfigFile config = gitopsConfig(bare);
        GitOpsResult result = deployer.deploy(GitOpsDeployerTest.change(config, "staging", "backend",
                "korea-public-data-backend@" + GitOpsDeployerTest.D1, "1.0"));
        argo.get(30, TimeUnit.SECONDS);
        assertThat(result.syncedRevision()).isEqualTo(result.commit());
        assertThat(result.message()).contains("Synced and Healthy");
    }

    @Test
    void shouldCarryTheCommitWhenArgoCdReportsDegradedSoItCanBeReverted() throws Exception {
        Path bare = GitOpsDeployerTest.remote(dir, "environments/staging/kustomization.yaml",
                "images:\n- name: korea-public-data-backend\n  newTag: good\n");
        createApplication("korea-staging", true);
        CompletableFuture<Void> argo = argoCd(bare, "Degraded");
        GitOpsDeployer deployer = new GitOpsDeployer(Clock.systemUTC(), progress::add, client, Map.of());
        ConfigFile config = gitopsConfig(bare);
        GitOpsChange change = GitOpsDeployerTest.change(config, "staging", "backend", "korea-public-data-backend:bad", "bad");
        GitOpsSyncException failure = org.junit.jupiter.api.Assertions.assertThrows(GitOpsSyncException.class, () -> deployer.deploy(change));
        argo.get(30, TimeUnit.SECONDS);
        assertThat(failure.getMessage()).contains("Degraded");
        assertThat(failure.result().changed()).isTrue();

        // the rollback: revert exactly that commit; Argo CD syncs the revert and is Healthy again
        CompletableFuture<Void> argoAgain = argoCd(bare, "Healthy");
        GitOpsResult reverted = deployer.revert(change, failure.result().commit());
        argoAgain.get(30, TimeUnit.SECONDS);
        assertThat(reverted.syncedRevision()).isEqualTo(reverted.commit());
        assertThat(GitOpsDeployerTest.remoteFile(dir, bare, "environments/staging/kustomization.yaml"))
                .isEqualTo("images:\n- name: korea-public-data-backend\n  newTag: good\n");
        assertThat(Files.exists(dir.resolve(".korea"))).isTrue();
    }

    @Test
    void shouldAcceptALaterRevisionThatContainsOurCommit() throws Exception {
        Path bare = GitOpsDeployerTest.remote(dir, "environments/staging/kustomization.yaml", "resources: []\n");
        createApplication("korea-staging", true);
        String[] theirs = new String[1];
        // another pipeline deploys the frontend right after our push, before Argo CD looks at git
        CompletableFuture<Void> argo = argoCd(bare, "Healthy", () -> {
            try {
                Path other = dir.resolve("other");
                try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(other.toFile()).call()) {
                    Files.writeString(other.resolve("environments/staging/kustomization.yaml"),
                            Files.readString(other.resolve("environments/staging/kustomization.yaml"))
                                    + "- name: korea-public-data-frontend\n  newTag: v9\n");
                    theirs[0] = git.commit().setAll(true).setMessage("deploy frontend v9").setSign(false)
                            .setAuthor(new org.eclipse.jgit.lib.PersonIdent("o", "o@o"))
                            .setCommitter(new org.eclipse.jgit.lib.PersonIdent("o", "o@o")).call().name();
                    git.push().call();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        GitOpsDeployer deployer = new GitOpsDeployer(Clock.systemUTC(), progress::add, client, Map.of());
        GitOpsResult result = deployer.deploy(GitOpsDeployerTest.change(gitopsConfig(bare), "staging", "backend",
                "korea-public-data-backend:7", "7"));
        argo.get(30, TimeUnit.SECONDS);
        assertThat(result.syncedRevision()).isEqualTo(theirs[0]).isNotEqualTo(result.commit());
    }

    @Test
    void shouldNotTakeAnUnrelatedRevisionForOurs() throws Exception {
        createApplication("other", true);
        CompletableFuture<String> wait = CompletableFuture.supplyAsync(() -> new ArgoCdWait(client, progress::add)
                .await("argocd", "other", NEW, Duration.ofSeconds(2), NEW::equals));
        awaitCondition("other", ArgoCdWaitTest::refreshRequested);
        String unrelated = "3333333333333333333333333333333333333333";
        syncUntilProgressing("other", unrelated);
        controller("other", app -> status(app).put("health", map("status", "Healthy")));
        assertThatThrownBy(() -> wait.get(30, TimeUnit.SECONDS)).cause().hasMessageContaining("did not become Synced and Healthy");
    }
}
