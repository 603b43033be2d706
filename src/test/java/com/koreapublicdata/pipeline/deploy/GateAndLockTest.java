package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

class GateAndLockTest {
    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
        f.deployment("web", DeployFixture.image("1.0", null), 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void shouldRefuseProductionWithoutApprovalBeforeAnyClusterCall() {
        f.kube.requests.clear();

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "production",
                DeployFixture.image("1.1", DeployFixture.DIGEST_A)));

        assertThat(result.outcome()).isEqualTo(PromotionResult.REFUSED);
        assertThat(result.exitCode()).isEqualTo(ExitCode.GATE_REFUSED);
        assertThat(result.message()).contains("requires approval").contains("--approved-by");
        assertThat(f.kube.requests()).isEmpty();
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
        assertThat(f.log().read()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo("refused"));
        assertThat(f.events).containsExactly("failed");
    }

    @Test
    void shouldRefuseAnApproverWhoIsNotListedWhenApproversAreUsers() {
        f.kube.requests.clear();

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "production",
                DeployFixture.image("1.1", DeployFixture.DIGEST_A)).approvedBy("mallory", "cli"));

        assertThat(result.outcome()).isEqualTo(PromotionResult.REFUSED);
        assertThat(result.message()).contains("'mallory' may not approve").contains("[alice, bob]");
        assertThat(f.kube.requests()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnscannedOrFailedDigestInProductionWithoutTouchingTheCluster() throws Exception {
        f.kube.requests.clear();
        PromotionRequest unscanned = PromotionRequest.of("web", "production", DeployFixture.image("1.1", DeployFixture.DIGEST_A))
                .approvedBy("alice", "jenkins-input");
        PromotionResult noRecord = f.promoter().promote(unscanned);
        f.scanRecord(DeployFixture.DIGEST_A, "fail");
        PromotionResult failed = f.promoter().promote(unscanned);
        PromotionResult noDigest = f.promoter().promote(PromotionRequest.of("web", "production", DeployFixture.image("1.1", null))
                .approvedBy("alice", "jenkins-input"));

        assertThat(List.of(noRecord, failed, noDigest)).allSatisfy(r -> assertThat(r.exitCode()).isEqualTo(ExitCode.GATE_REFUSED));
        assertThat(noRecord.message()).contains("no scan record for " + DeployFixture.DIGEST_A);
        assertThat(failed.message()).contains("verdict 'fail'");
        assertThat(noDigest.message()).contains("digest").contains("unknown");
        assertThat(f.kube.requests()).isEmpty();
    }

    @Test
    void shouldDeployToProductionWithApprovalAndAPassingScan() throws Exception {
        f.scanRecord(DeployFixture.DIGEST_A, "pass");

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "production",
                DeployFixture.image("1.1", DeployFixture.DIGEST_A)).approvedBy("bob", "github-environment"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.approver()).isEqualTo("bob");
        assertThat(result.approvalSource()).isEqualTo("github-environment");
        assertThat(f.annotations("web")).containsEntry(Annotations.APPROVED_BY, "bob");
    }

    @Test
    void shouldDelegateGitOpsEnvironmentsAfterTheGatesAndRecordTheResult() {
        List<String> delegated = new ArrayList<>();
        GitOpsRepository gitOps = new GitOpsRepository() {
            @Override
            public GitOpsResult deploy(Environment environment, Component component, String image, String version,
                    String approver, String buildUrl) {
                delegated.add(image);
                return new GitOpsResult("repo", "main", "environments/development", "abc123", true, null, null,
                        "committed abc123 to environments/development");
            }

            @Override
            public GitOpsResult revert(Environment environment, Component component, String commit, String version,
                    String requestedBy, String buildUrl) {
                throw new AssertionError("nothing to revert");
            }
        };
        f.kube.requests.clear();

        PromotionResult result = new Promoter(f.config.config(), f.services().withGitOps(gitOps))
                .promote(PromotionRequest.of("web", "development", DeployFixture.image("1.1", DeployFixture.DIGEST_A)));

        assertThat(result.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.strategy()).isEqualTo("gitops");
        assertThat(result.revision()).isEqualTo("abc123");
        assertThat(delegated).containsExactly(DeployFixture.image("1.1", DeployFixture.DIGEST_A));
        assertThat(f.kube.requests()).as("GitOps never touches the cluster directly").isEmpty();
        assertThat(f.log().read()).singleElement().satisfies(r -> {
            assertThat(r.strategy()).isEqualTo("gitops");
            assertThat(r.revision()).isEqualTo("abc123");
        });
    }

    @Test
    void shouldRejectAnUnknownApprovalSourceAsBadInput() {
        assertThatThrownBy(() -> f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1", null))
                .approvedBy("alice", "slack")))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void shouldWaitForTheLockThenExit11NamingTheHolder() {
        f.kube.controllerClient.leases().inNamespace("shop").resource(new LeaseBuilder().withNewMetadata()
                .withName("korea-promote-web").endMetadata().withNewSpec().withHolderIdentity("https://ci.example/job/shop/41/")
                .withLeaseDurationSeconds(30).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()).create();
        long start = System.nanoTime();

        assertThatThrownBy(() -> f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1", null))))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED))
                .hasMessageContaining("https://ci.example/job/shop/41/");

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited lockTimeout (1s)").isGreaterThanOrEqualTo(900);
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
        assertThat(f.kube.mutatingRequests()).noneMatch(r -> r.contains("/deployments/"));
        assertThat(f.progress).anyMatch(l -> l.contains("held by https://ci.example/job/shop/41/"));
    }

    @Test
    void shouldRenewTheLeaseWhileThePromotionRuns() {
        List<ZonedDateTime> renewTimes = new ArrayList<>();
        f.health = r -> {
            // a slow verification: the lease (3s here) must be renewed meanwhile
            for (int i = 0; i < 2; i++) {
                try {
                    Thread.sleep(1300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                var lease = f.kube.controllerClient.leases().inNamespace("shop").withName("korea-promote-web").get();
                renewTimes.add(lease.getSpec().getRenewTime());
                assertThat(lease.getSpec().getHolderIdentity()).startsWith("https://ci.example/job/shop/43");
            }
            return HealthCheck.Verdict.pass("ok");
        };

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1", null))
                .withBuildUrl("https://ci.example/job/shop/43"));

        assertThat(result.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(renewTimes.get(1)).isAfter(renewTimes.get(0));
    }

    @Test
    void shouldTakeOverAnExpiredLock() {
        f.kube.controllerClient.leases().inNamespace("shop").resource(new LeaseBuilder().withNewMetadata()
                .withName("korea-promote-web").endMetadata().withNewSpec().withHolderIdentity("a crashed build")
                .withLeaseDurationSeconds(30).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5)).endSpec().build())
                .create();

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1", null)));

        assertThat(result.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(f.progress).anyMatch(l -> l.contains("has expired; taking it over"));
    }

    @Test
    void shouldNeverInterleaveTwoPromotionsOfOneComponent() throws Exception {
        // lockTimeout is 1s: the second either waits for the first or gives up with exit 11
        List<CompletableFuture<Object>> runs = new ArrayList<>();
        for (String tag : List.of("2.0", "3.0")) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image(tag, null))
                            .withBuildUrl("https://ci.example/job/shop/" + tag));
                } catch (KoreaException e) {
                    return e;
                }
            }));
        }
        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<Object> run : runs) {
            outcomes.add(run.get(60, TimeUnit.SECONDS));
        }

        assertThat(outcomes).allSatisfy(o -> {
            if (o instanceof KoreaException e) {
                assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
            } else {
                assertThat(((PromotionResult) o).outcome()).isEqualTo(PromotionResult.DEPLOYED);
            }
        });
        assertThat(outcomes).anyMatch(o -> o instanceof PromotionResult);
        assertThat(f.controllers.interleaved).as("template changes during another rollout").isEmpty();
    }
}
