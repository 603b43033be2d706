package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.deploy.kubernetes.Tuning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

class RollingPromotionTest {
    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
        f.deployment("web", DeployFixture.image("1.0", null), 3);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (System.getenv("KOREA_TEST_TRACE") != null) {
            System.err.println(java.time.LocalTime.now() + " test done");
        }
        f.close();
    }

    private PromotionRequest request(String tag) {
        return PromotionRequest.of("web", "staging", DeployFixture.image(tag, DeployFixture.DIGEST_B))
                .withBuildUrl("https://ci.example/job/shop/42/");
    }

    @Test
    void shouldRollOutTheImageByDigestAnnotateAndRecordIt() {
        PromotionResult result = f.promoter().promote(request("1.1").approvedBy("alice", "jenkins-input"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.1@" + DeployFixture.DIGEST_B);
        assertThat(f.annotations("web")).containsEntry(Annotations.VERSION, "1.1").containsEntry(Annotations.APPROVED_BY, "alice")
                .containsEntry(Annotations.APPROVAL_SOURCE, "jenkins-input")
                .containsEntry(Annotations.BUILD, "https://ci.example/job/shop/42/").containsKey(Annotations.DEPLOYED_AT);
        assertThat(result.revision()).isEqualTo("2");
        assertThat(f.get("web").getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(f.progress).anyMatch(l -> l.contains("successfully rolled out"));
        assertThat(f.checks).singleElement().satisfies(c -> {
            assertThat(c.point()).isEqualTo(HealthCheck.Point.AFTER_ROLLOUT);
            assertThat(c.window()).isEqualTo(Duration.ofMinutes(1));
        });
        assertThat(f.events).containsExactly("started", "success");
        DeploymentRecord record = f.log().read().get(0);
        assertThat(record.outcome()).isEqualTo(com.koreapublicdata.pipeline.Outcome.DEPLOYED);
        assertThat(record.approver()).isEqualTo("alice");
        assertThat(record.digest()).isEqualTo(DeployFixture.DIGEST_B);
        assertThat(record.kind()).isEqualTo(DeploymentRecord.PROMOTION);
        // the lock is released
        assertThat(f.client().leases().inNamespace("shop").withName("korea-promote-web").get().getSpec().getHolderIdentity()).isNull();
    }

    @Test
    void shouldSayForbiddenNotUnreachableWhenTheApiServerAnswers403() {
        f.kube.fail("GET", "/api/v1/namespaces/shop", 403, 1);

        assertThatThrownBy(() -> f.promoter().promote(request("1.1")))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("forbidden: korea may not get namespaces/shop").hasMessageContaining("docs/promote.md")
                .hasMessageContaining("nothing was changed").hasMessageNotContaining("not reachable");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
    }

    @Test
    void shouldWaitForTheControllerToObserveABumpedGenerationInsteadOfRefusing() throws Exception {
        // a real API server bumps generation on kubectl annotate (the mock only on a spec change, so the test makes
        // one that leaves the pod template alone); the controller observes it a moment later
        f.controllers.observationHeld = true;
        long generation = f.get("web").getMetadata().getGeneration();
        f.kube.controllerClient.apps().deployments().inNamespace("shop").withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"revisionHistoryLimit\":9}}");
        assertThat(f.get("web").getMetadata().getGeneration()).isEqualTo(generation + 1);
        assertThat(f.get("web").getStatus().getObservedGeneration()).isEqualTo(generation);
        f.onProgress = line -> {
            if (line.contains("Waiting for the controller to observe generation")) {
                new Thread(() -> {
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException e) {
                        return;
                    }
                    f.controllers.observationHeld = false;
                }).start();
            }
        };

        PromotionResult result = f.promoter().promote(request("1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(f.progress).anyMatch(l -> l.contains("observe generation " + (generation + 1)));
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.1@" + DeployFixture.DIGEST_B);
    }

    @Test
    void shouldSayTheImageWasAppliedWhenTheApiServerGoesAwayDuringTheRollout() {
        java.util.concurrent.atomic.AtomicBoolean outage = new java.util.concurrent.atomic.AtomicBoolean();
        f.onProgress = line -> {
            if (line.contains("Waiting for") && line.contains("rollout") && outage.compareAndSet(false, true)) {
                // from now on every read of the Deployment fails as with a server that does not answer
                f.kube.fail("GET", "/deployments", 503, 1_000_000);
                f.kube.dropWatches();
            }
        };

        PromotionResult result = f.promoter().promote(request("1.1-never-ready").withTimeout(Duration.ofSeconds(2)));

        assertThat(outage).isTrue();
        assertThat(result.outcome()).as(result.message()).isEqualTo(com.koreapublicdata.pipeline.Outcome.UNKNOWN);
        assertThat(result.changed()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.message()).startsWith("the image was applied; its rollout state is unknown").contains("503")
                .contains("until the deadline");
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.outcome())
                .isEqualTo(com.koreapublicdata.pipeline.Outcome.UNKNOWN));
        assertThat(f.events).endsWith("failed");
    }

    @Test
    void shouldUndoWhenTheProgressDeadlineIsExceeded() throws Exception {
        PromotionResult result = f.promoter().promote(request("1.1-crash"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(result.message()).contains("exceeded its progress deadline").contains("rolled back to revision 1");
        f.awaitDeployment("web");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
        // kubectl undo copies the ReplicaSet's annotations: the korea annotations of the failed version are gone
        assertThat(f.annotations("web")).doesNotContainKey(Annotations.VERSION);
        assertThat(f.annotations("web").get(DeploymentRules.REVISION)).isEqualTo("3");
        assertThat(f.events).containsExactly("started", "rollback:rolled-back");
        assertThat(f.log().read().get(0).rollbackSeconds()).isNotNull();
    }

    @Test
    void shouldUndoWhenPodsNeverBecomeAvailableWithinTheTimeout() {
        PromotionResult result = f.promoter().promote(request("1.1-never-ready").withTimeout(Duration.ofMillis(800)));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.message()).contains("timed out").contains("updated replicas are available");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
    }

    @Test
    void shouldUndoWhenTheVerificationAnalysisFails() {
        f.health = r -> HealthCheck.Verdict.fail("error rate 7.5% > 5% for 5m");

        PromotionResult result = f.promoter().promote(request("1.1"));

        assertThat(result.outcome()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.message()).contains("analysis failed").contains("error rate 7.5%");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
    }

    @Test
    void shouldUndoWhenASmokeTestFails() throws Exception {
        // a korea.yaml with a smoke test for web
        f.close();
        f = new DeployFixture(dir, "korea-smoke.yaml");
        f.deployment("web", DeployFixture.image("1.0", null), 2);
        f.smoke = (t, p) -> Optional.of("smoke test " + t.name() + " got 503 from " + p.get("namespace"));

        PromotionResult result = f.promoter().promote(request("1.1"));

        assertThat(result.outcome()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.message()).contains("got 503 from shop");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
    }

    @Test
    void shouldReportRollbackFailedWhenTheUndoFailsToo() {
        f.health = r -> {
            // from now on the API server refuses every change of the Deployment
            f.kube.fail("PATCH", "/deployments/web", 500, 100);
            return HealthCheck.Verdict.fail("latency 3.1s > 2s for 3m");
        };

        PromotionResult result = f.promoter().promote(request("1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLBACK_FAILED);
        assertThat(result.exitCode()).isEqualTo(ExitCode.ROLLBACK_FAILED);
        assertThat(result.message()).contains("latency").contains("the rollback failed too").contains("500");
    }

    @Test
    void shouldRefuseAPausedDeploymentWithoutChangingIt() {
        f.kube.controllerClient.apps().deployments().inNamespace("shop").withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"paused\":true}}");

        assertThatThrownBy(() -> f.promoter().promote(request("1.1")))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("is paused").hasMessageContaining("nothing was changed");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
        assertThat(f.kube.mutatingRequests()).noneMatch(r -> r.contains("/deployments/"));
        assertThat(f.log().read()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(com.koreapublicdata.pipeline.Outcome.FAILED));
    }

    @Test
    void shouldRetryConflictsAndServerErrors() {
        f.kube.fail("PATCH", "/deployments/web", 409, 2);
        f.kube.fail("GET", "/deployments/web", 500, 2);

        PromotionResult result = f.promoter().promote(request("1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(f.kube.injected.get()).isEqualTo(4);
        assertThat(f.image("web")).contains("1.1");
    }

    @Test
    void shouldNoticeCompletionFromTheWatchSoRequestsDoNotGrowWithTheRolloutsLength() throws Exception {
        f.close();
        f = new DeployFixture(dir);
        // production's resync: only the watch can tell the engine the rollout finished early
        f.tuning = new Tuning(Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(30), 5, Duration.ofMillis(10));
        f.deployment("web", DeployFixture.image("1.0", null), 2);
        f.deployment("big", "registry.local/shop/big:1.0", 40);

        int before = f.kube.requests().size();
        assertThat(f.promoter().promote(request("1.1")).outcome()).isEqualTo(PromotionResult.DEPLOYED);
        int shortRollout = f.kube.requests().size() - before;
        int progressShort = f.progress.size();

        before = f.kube.requests().size();
        PromotionResult big = f.promoter().promote(PromotionRequest.of("big", "staging", "registry.local/shop/big:1.1"));
        int longRollout = f.kube.requests().size() - before;
        int progressLong = f.progress.size() - progressShort;

        assertThat(big.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(progressLong).as("the long rollout went through many more states").isGreaterThan(progressShort + 20);
        // one resync GET at most when the mock drops an event
        assertThat(longRollout).as("requests of the 40-replica rollout vs the 2-replica one").isLessThanOrEqualTo(shortRollout + 2);
    }

    @Test
    void shouldCarryOnWhenTheWatchDropsMidRollout() throws Exception {
        f.close();
        f = new DeployFixture(dir);
        f.controllers.close();
        // a slower controller so the drop lands in the middle
        FakeControllers slow = new FakeControllers(f.kube.controllerClient, "shop", 30);
        try {
            f.deployment("web", DeployFixture.image("1.0", null), 6);
            f.onProgress = line -> {
                if (line.contains("2 out of 6")) {
                    f.kube.dropWatches();
                }
            };
            PromotionResult result = f.promoter().promote(request("1.1"));

            assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
            assertThat(f.progress).anyMatch(l -> l.contains("2 out of 6")).anyMatch(l -> l.contains("successfully rolled out"));
            // the mock closes the socket without the client noticing (a half-open connection): the resync read finds the end
            assertThat(f.kube.requests()).filteredOn(r -> r.startsWith("GET /apis/apps/v1/namespaces/shop/deployments/web"))
                    .hasSizeGreaterThanOrEqualTo(2);
        } finally {
            slow.close();
        }
    }
}
