package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.analysis.TestApp;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;

/**
 * End to end: the real {@link Promoter} on the mock cluster with the real {@link AnalysisHealthCheck} and
 * analysis.compare: baseline against a real Prometheus. The canary (1.1) is 30 % slower than the stable pods (1.0)
 * but far under the fixed 2 s latency limit, so only the comparison can catch it.
 */
class BaselineRollbackEndToEndTest {
    static LocalPrometheus prometheus;
    static TestApp stable;
    static TestApp canary;

    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeAll
    static void start() throws Exception {
        LocalPrometheus.requireBinaries("prometheus");
        stable = new TestApp();
        stable.version("1.0");
        stable.delays(100, 10);
        canary = new TestApp();
        canary.version("1.1");
        canary.delays(130, 10);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(stable.hostPort(), Map.of("component", "api", "environment", "staging", "track", "stable"));
        targets.put(canary.hostPort(), Map.of("component", "api", "environment", "staging", "track", "canary"));
        prometheus = LocalPrometheus.start(targets, false);
        stable.drive();
        canary.drive();
        Thread.sleep(6000); // both tracks have a few seconds of samples before the canary starts
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, stable, canary}) {
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
        if (f != null) {
            f.close();
        }
    }

    @Test
    void shouldAbortAndUndoACanaryWorseThanItsBaseline() throws Exception {
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
                    lockTimeout: 1s
                    components:
                      api:
                        strategy: canary
                        canary:
                          steps:
                            - setWeight: 50
                            - pause: {duration: 12s}
                            - setWeight: 80
                            - pause: {duration: 12s}
                rollback: {timeout: 30s}
                analysis:
                  prometheus: %s
                  interval: 2s
                  errorRate: {threshold: 5%%, window: 5s}
                  latency: {threshold: 2s, window: 5s}
                  compare: baseline
                  baseline: {label: track, canary: canary, stable: stable, rate: 3s, step: 1s, minSamples: 10}
                """.formatted(prometheus.url()));
        f.controllers.realPauses = true;
        f.health = new AnalysisHealthCheck(f.config.config().analysis(), null, line -> { });
        // the first deploy has no steps and no analysis
        PromotionResult first = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.0"));
        assertThat(first.outcome()).as(first.message()).isEqualTo(PromotionResult.DEPLOYED);

        PromotionResult result = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode().code()).isEqualTo(20);
        assertThat(result.message()).contains("analysis failed (canary-pause): baseline comparison fail")
                .contains("latency high").contains("p=").contains("rolled back to revision 1");
        BaselineVerdict comparison = result.comparison();
        assertThat(comparison).isNotNull();
        assertThat(comparison.score()).isEqualTo(50.0);
        assertThat(comparison.metric("latency").canaryMedian()).isGreaterThan(comparison.metric("latency").baselineMedian());
        // undone: the stable image runs again, and only the first pause was reached
        assertThat(Rollouts.image(f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(DeployFixture.NS)
                .withName("api").get(), "api")).isEqualTo("registry.local/shop/api:1.0");
        assertThat(f.checks).filteredOn(c -> c.point() == HealthCheck.Point.CANARY_PAUSE).hasSize(1);
        // the record and the Slack rollback event carry the comparison
        var record = f.log().read().get(f.log().read().size() - 1);
        assertThat(record.outcome()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(record.comparison()).containsEntry("outcome", "fail").containsEntry("score", 50.0);
        assertThat((List<?>) record.comparison().get("metrics")).hasSize(2);
        assertThat(record.message()).contains("canary median").contains("vs baseline");
        assertThat(f.events).endsWith("rollback:rolled-back");
        assertThat(Duration.ofSeconds((long) result.durationSeconds())).isLessThan(Duration.ofSeconds(40));
    }
}
