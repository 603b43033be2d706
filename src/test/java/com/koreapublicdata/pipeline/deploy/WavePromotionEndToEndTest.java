package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

/**
 * Waves end to end: the real WavePromoter, Promoter and Rollbacker on two and three mock API servers (one per
 * kube context), rolling Deployments moved by the fake controllers, a health check that fails where a test says.
 */
class WavePromotionEndToEndTest {
    static final String OLD = "registry.local/shop/web:1.0";
    static final String NEW = "registry.local/shop/web:1.1@sha256:" + "b".repeat(64);

    @TempDir
    Path dir;
    WaveFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    static String yaml(String waves) {
        return """
                project: shop
                components:
                  web: {paths: [web/**]}
                environments:
                  production:
                    branches: [main]
                    namespace: shop
                    requireScan: false
                    lockTimeout: 1s
                    waves:
                """ + waves.indent(6) + """
                rollback: {timeout: 30s}
                analysis: {verification: 1m, interval: 1m}
                """;
    }

    private WaveFixture fixture(String waves, String... contexts) throws Exception {
        f = new WaveFixture(dir, yaml(waves), contexts);
        f.deployEverywhere("web", OLD);
        return f;
    }

    private static PromotionRequest request() {
        return PromotionRequest.of("web", "production", NEW).withBuildUrl("https://ci.example/job/shop/42/");
    }

    private static ClusterOutcome outcome(WavePromotionResult r, String cluster) {
        return r.clusters().stream().filter(c -> c.cluster().equals(cluster)).findFirst().orElseThrow();
    }

    @Test
    void shouldPromoteTwoClustersWaveByWave() throws Exception {
        fixture("- eu-1\n- us-1\n", "eu-1", "us-1");

        WavePromotionResult r = f.promoter().promote(request());

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.changed()).isTrue();
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(NEW);
        assertThat(f.cluster("us-1").image("web")).isEqualTo(NEW);
        assertThat(r.clusters()).extracting(ClusterOutcome::cluster, ClusterOutcome::wave, ClusterOutcome::outcome,
                ClusterOutcome::revision).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("eu-1", 1, Outcome.DEPLOYED, "2"),
                        org.assertj.core.groups.Tuple.tuple("us-1", 2, Outcome.DEPLOYED, "2"));
        assertThat(r.waves()).extracting(WaveOutcome::wave, WaveOutcome::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, Outcome.DEPLOYED), org.assertj.core.groups.Tuple.tuple(2, Outcome.DEPLOYED));
        // each cluster analysed after its own rollout, the first before the second was touched
        assertThat(f.checks).extracting(HealthCheck.Request::cluster, HealthCheck.Request::point).containsExactly(
                org.assertj.core.groups.Tuple.tuple("eu-1", HealthCheck.Point.AFTER_ROLLOUT),
                org.assertj.core.groups.Tuple.tuple("us-1", HealthCheck.Point.AFTER_ROLLOUT));
        List<DeploymentRecord> records = f.log().read();
        assertThat(records).extracting(DeploymentRecord::cluster, DeploymentRecord::wave, DeploymentRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eu-1", 1, Outcome.DEPLOYED),
                        org.assertj.core.groups.Tuple.tuple("us-1", 2, Outcome.DEPLOYED));
        assertThat(f.cluster("eu-1").leaseHolder("web")).as("released").isNull();
        assertThat(f.cluster("us-1").leaseHolder("web")).as("released").isNull();
    }

    @Test
    void shouldRestoreWaveTwoThenWaveOneWhenWaveTwoFailsItsAnalysis() throws Exception {
        fixture("- eu-1\n- us-1\n- [ap-1]\n", "eu-1", "us-1", "ap-1");
        f.health = req -> "us-1".equals(req.cluster()) && req.point() == HealthCheck.Point.AFTER_ROLLOUT
                ? HealthCheck.Verdict.fail("error rate 9% > 5%") : HealthCheck.Verdict.pass("fine");

        WavePromotionResult r = f.promoter().promote(request());

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(r.message()).contains("cluster us-1 (wave 2)").contains("error rate 9% > 5%")
                .contains("restored newest wave first: us-1, eu-1");
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("us-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("ap-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("ap-1").deploymentChanges()).as("wave 3 never started").isEmpty();
        assertThat(outcome(r, "eu-1")).satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.ROLLED_BACK);
            assertThat(c.changed()).isTrue();
            assertThat(c.revision()).isEqualTo("1");
        });
        assertThat(outcome(r, "us-1").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(outcome(r, "ap-1")).satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(c.changed()).isFalse();
        });
        assertThat(r.waves()).extracting(WaveOutcome::outcome).containsExactly(Outcome.ROLLED_BACK, Outcome.ROLLED_BACK,
                Outcome.SKIPPED);
        // us-1 undone by its own promotion first, then eu-1 by a recorded rollback
        assertThat(f.log().read()).extracting(DeploymentRecord::kind, DeploymentRecord::cluster, DeploymentRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("promotion", "eu-1", Outcome.DEPLOYED),
                        org.assertj.core.groups.Tuple.tuple("promotion", "us-1", Outcome.ROLLED_BACK),
                        org.assertj.core.groups.Tuple.tuple("rollback", "eu-1", Outcome.ROLLED_BACK));
        for (String c : List.of("eu-1", "us-1", "ap-1")) {
            assertThat(f.cluster(c).leaseHolder("web")).as(c + " released").isNull();
        }
    }

    @Test
    void shouldRestoreBothWavesWhenWaveOneFailsDuringTheSoakWhileWaveThreeWaits() throws Exception {
        fixture("- eu-1\n- {clusters: [us-1], soak: 30m}\n- ap-1\n", "eu-1", "us-1", "ap-1");
        java.util.concurrent.atomic.AtomicInteger soakRounds = new java.util.concurrent.atomic.AtomicInteger();
        f.health = req -> req.point() == HealthCheck.Point.SOAK && "eu-1".equals(req.cluster())
                && soakRounds.incrementAndGet() >= 3 ? HealthCheck.Verdict.fail("p99 latency 900ms > 500ms")
                        : HealthCheck.Verdict.pass("fine");
        long before = System.nanoTime();

        WavePromotionResult r = f.promoter().promote(request());

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(r.message()).contains("soak after wave 2: cluster eu-1 (wave 1)").contains("p99 latency");
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("us-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("ap-1").deploymentChanges()).isEmpty();
        assertThat(r.clusters()).extracting(ClusterOutcome::outcome).containsExactly(Outcome.ROLLED_BACK,
                Outcome.ROLLED_BACK, Outcome.SKIPPED);
        // the soak analysed both promoted clusters, in one-minute windows, until eu-1's third round failed
        List<HealthCheck.Request> soak = f.checks.stream().filter(c -> c.point() == HealthCheck.Point.SOAK).toList();
        assertThat(soak).extracting(HealthCheck.Request::cluster).containsOnly("eu-1", "us-1").contains("us-1");
        assertThat(soak).filteredOn(c -> "eu-1".equals(c.cluster())).hasSize(3);
        assertThat(soak).allSatisfy(c -> assertThat(c.window()).isEqualTo(java.time.Duration.ofMinutes(1)));
        assertThat(f.skippedMillis.get()).as("the soak's minutes came from the sleeper").isGreaterThanOrEqualTo(110_000);
        assertThat(System.nanoTime() - before).as("no real waiting").isLessThan(60_000_000_000L);
        // newest wave first: us-1, then eu-1
        assertThat(f.log().read()).filteredOn(rec -> DeploymentRecord.ROLLBACK.equals(rec.kind()))
                .extracting(DeploymentRecord::cluster).containsExactly("us-1", "eu-1");
    }

    @Test
    void shouldRestoreOnlyTheFirstWaveWhenItFailsItsOwnSoak() throws Exception {
        fixture("- {clusters: eu-1, soak: 10m}\n- us-1\n", "eu-1", "us-1");
        f.health = req -> req.point() == HealthCheck.Point.SOAK ? HealthCheck.Verdict.fail("5xx") : HealthCheck.Verdict.pass("ok");

        WavePromotionResult r = f.promoter().promote(request());

        assertThat(r.exitCode()).as(r.message()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("us-1").deploymentChanges()).as("wave 2 waited and never started").isEmpty();
        assertThat(r.clusters()).extracting(ClusterOutcome::outcome).containsExactly(Outcome.ROLLED_BACK, Outcome.SKIPPED);
    }

    @Test
    void shouldNameTheClusterThatCouldNotBeRestored() throws Exception {
        fixture("- eu-1\n- us-1\n- ap-1\n", "eu-1", "us-1", "ap-1");
        f.health = req -> {
            if ("ap-1".equals(req.cluster()) && req.point() == HealthCheck.Point.AFTER_ROLLOUT) {
                return HealthCheck.Verdict.fail("error rate 12%");
            }
            if ("eu-1".equals(req.cluster()) && req.point() == HealthCheck.Point.AFTER_ROLLBACK) {
                return HealthCheck.Verdict.fail("/health answered 503");
            }
            return HealthCheck.Verdict.pass("fine");
        };

        WavePromotionResult r = f.promoter().promote(request());

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLBACK_FAILED);
        assertThat(r.exitCode()).isEqualTo(ExitCode.ROLLBACK_FAILED);
        assertThat(r.message()).contains("could not restore cluster eu-1").contains("restored: us-1, ap-1")
                .doesNotContain("could not restore cluster us-1");
        assertThat(outcome(r, "eu-1").outcome()).isEqualTo(Outcome.ROLLBACK_FAILED);
        assertThat(outcome(r, "eu-1").message()).contains("503");
        assertThat(outcome(r, "us-1").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(outcome(r, "ap-1").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.waves().get(0).outcome()).isEqualTo(Outcome.ROLLBACK_FAILED);
    }

    @Test
    void shouldNotStartWaveOneWhileWaveTwosClusterIsLocked() throws Exception {
        fixture("- eu-1\n- us-1\n", "eu-1", "us-1");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        f.cluster("us-1").kube().client.leases().inNamespace(WaveFixture.NS).resource(new LeaseBuilder().withNewMetadata()
                .withName("korea-promote-web").withNamespace(WaveFixture.NS).endMetadata().withNewSpec()
                .withHolderIdentity("https://ci.example/job/shop/41/").withLeaseDurationSeconds(3600).withAcquireTime(now)
                .withRenewTime(now).endSpec().build()).create();

        assertThatThrownBy(() -> f.promoter().promote(request())).isInstanceOfSatisfying(KoreaException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(e.holder()).isEqualTo("https://ci.example/job/shop/41/");
            assertThat(e.getMessage()).startsWith("cluster us-1 (wave 2): ").contains("https://ci.example/job/shop/41/")
                    .contains("no wave was started, nothing was changed");
        });
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("eu-1").deploymentChanges()).isEmpty();
        assertThat(f.cluster("eu-1").leaseHolder("web")).as("wave 1's lock let go again").isNull();
        assertThat(f.cluster("us-1").leaseHolder("web")).isEqualTo("https://ci.example/job/shop/41/");
        assertThat(f.log().read()).isEmpty();
    }
}
