package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * rollout.budget on the injected clock: the test moves the engine's clock forward while the canary is working or
 * while it is paused, and the engine must tell the two apart.
 */
class RolloutBudgetTest {
    @TempDir
    Path dir;
    DeployFixture f;
    final JumpClock clock = new JumpClock();

    /** Real time plus whatever the test has added. */
    static final class JumpClock extends Clock {
        volatile Duration offset = Duration.ZERO;

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
            return Instant.now().plus(offset);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        f = DeployFixture.withYaml(dir, """
                project: shop
                components:
                  api: {paths: [api/**]}
                environments:
                  staging:
                    branches: [staging]
                    namespace: shop
                    cluster: test
                    requireScan: false
                    timeout: 5h
                    lockTimeout: 1s
                    rollout: {budget: {total: 2h}}
                    components:
                      api:
                        strategy: canary
                        rollout: {budget: {active: 15m}}
                        canary:
                          steps:
                            - setWeight: 50
                            - pause: {duration: 1h}
                            - setWeight: 80
                            - pause: {duration: 10s}
                rollback: {timeout: 30s}
                """);
        f.clock = clock;
        PromotionResult first = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.0"));
        assertThat(first.outcome()).as(first.message()).isEqualTo(PromotionResult.DEPLOYED);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    String rolloutImage() {
        return Rollouts.image(f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(DeployFixture.NS).withName("api")
                .get(), "api");
    }

    @Test
    void shouldAbortAndRollBackWhenTheActiveBudgetIsUsedUpDuringAStep() {
        AtomicBoolean jumped = new AtomicBoolean();
        f.onProgress = line -> {
            // the canary is working (not paused): 16 minutes pass
            if (line.startsWith("Canary api step") && line.contains("Progressing") && jumped.compareAndSet(false, true)) {
                clock.offset = clock.offset.plus(Duration.ofMinutes(16));
            }
        };

        PromotionResult result = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.1"));

        assertThat(jumped).as(String.join("\n", f.progress)).isTrue();
        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode().code()).isEqualTo(20);
        assertThat(result.message()).contains("budget exceeded (active 15m)").contains("rolled back to revision 1");
        assertThat(rolloutImage()).isEqualTo("registry.local/shop/api:1.0");
        DeploymentRecord record = f.log().read().get(f.log().read().size() - 1);
        assertThat(record.activeSeconds()).isGreaterThan(15 * 60.0);
        assertThat(record.pausedSeconds()).isLessThan(60.0);
        assertThat(record.approvalSeconds()).isZero();
    }

    @Test
    void shouldNotCountALongCanaryPauseAgainstTheActiveBudget() {
        AtomicBoolean jumped = new AtomicBoolean();
        f.onProgress = line -> {
            // the first pause: an hour passes while the canary is paused (and analysed)
            if (line.contains("paused for 1h") && jumped.compareAndSet(false, true)) {
                clock.offset = clock.offset.plus(Duration.ofMinutes(59));
            }
        };

        PromotionResult result = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.1"));

        assertThat(jumped).isTrue();
        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(rolloutImage()).isEqualTo("registry.local/shop/api:1.1");
        DeploymentRecord record = f.log().read().get(f.log().read().size() - 1);
        assertThat(record.durationSeconds()).isGreaterThan(59 * 60.0);
        assertThat(record.pausedSeconds()).isGreaterThanOrEqualTo(59 * 60.0);
        assertThat(record.activeSeconds()).isLessThan(60.0);
        assertThat(record.activeSeconds() + record.pausedSeconds()).isCloseTo(record.durationSeconds(),
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(record.workingSeconds()).isEqualTo(record.activeSeconds());
    }

    @Test
    void shouldAbortWhenTheTotalBudgetIsUsedUpEvenInPauses() {
        AtomicBoolean jumped = new AtomicBoolean();
        f.onProgress = line -> {
            if (line.contains("paused for 1h") && jumped.compareAndSet(false, true)) {
                clock.offset = clock.offset.plus(Duration.ofHours(2).plusMinutes(1));
            }
        };

        PromotionResult result = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.message()).contains("budget exceeded (total 2h)");
        assertThat(rolloutImage()).isEqualTo("registry.local/shop/api:1.0");
    }
}
