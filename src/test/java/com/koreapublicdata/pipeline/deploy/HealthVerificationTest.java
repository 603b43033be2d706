package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.config.AnalysisSettings;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

/** The edges of the health checks added around rollbacks and GitOps deploys (the end-to-end tests cover the rest). */
class HealthVerificationTest {
    @TempDir
    Path dir;

    @Test
    void shouldNotAnalyseAGitOpsDeployKoreaDidNotSeeArgoCdDeploy() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  web: {paths: [web/**], image: shop-web}
                environments:
                  development:
                    branches: [develop]
                    requireScan: false
                analysis:
                  prometheus: http://127.0.0.1:9
                """);
        ConfigFile file = new ConfigLoader().load(dir.resolve("korea.yaml"));
        List<HealthCheck.Request> checks = new ArrayList<>();
        HealthCheck failing = request -> {
            checks.add(request);
            return HealthCheck.Verdict.fail("would fail");
        };
        GitOpsAdapter adapter = new GitOpsAdapter(file, environment -> {
            throw new AssertionError("no cluster for a local GitOps repository");
        }, Clock.systemUTC(), line -> { }, Map.of(), failing);

        PromotionResult first = adapter.promote(PromotionRequest.of("web", "development", "shop-web:1.1"), "shop-web:1.1", null);
        PromotionResult again = adapter.promote(PromotionRequest.of("web", "development", "shop-web:1.1"), "shop-web:1.1", null);

        // without Argo CD's answer the version may not serve traffic yet: judging it would judge the old one
        assertThat(first.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(first.message()).contains("not analysed").contains("gitops.application");
        assertThat(again.outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(again.message()).startsWith("unchanged");
        assertThat(checks).isEmpty();
    }

    @Test
    void shouldCheckOnlyTheHealthEndpointAfterARollback() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        AnalysisSettings prometheusOnly = new AnalysisSettings("http://127.0.0.1:" + closed, null, null, null, null, null, null,
                null);
        AnalysisSettings withHealth = new AnalysisSettings("http://127.0.0.1:" + closed, null, null, null, null, null,
                new AnalysisSettings.HealthCheck("http://127.0.0.1:" + closed + "/health", null, null, Duration.ofSeconds(1)), null);
        HealthCheck.Request afterRollback = new HealthCheck.Request("staging", "web", "shop", "1.0",
                HealthCheck.Point.AFTER_ROLLBACK, -1, -1, Duration.ZERO);

        HealthCheck.Verdict nothingToCheck = new AnalysisHealthCheck(prometheusOnly, null, line -> { }).check(afterRollback);
        HealthCheck.Verdict unreachable = new AnalysisHealthCheck(withHealth, null, line -> { }).check(afterRollback);

        // Prometheus (unreachable here) is not asked: the restored version may have no recent samples at all
        assertThat(nothingToCheck.passed()).as(nothingToCheck.reason()).isTrue();
        assertThat(nothingToCheck.reason()).contains("no health check configured");
        // one failed look fails: the seed's curl -f .../health || exit 1
        assertThat(unreachable.passed()).isFalse();
        assertThat(unreachable.reason()).contains("health-check");
    }
}
