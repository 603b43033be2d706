package com.koreapublicdata.pipeline.metrics;

import static com.koreapublicdata.pipeline.metrics.Records.promotion;
import static com.koreapublicdata.pipeline.metrics.Records.rollback;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.config.MetricsSettings;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

class DeploymentMetricsTest {

    static List<DeploymentRecord> sample() {
        return List.of(
                promotion("production", "backend", "canary", "deployed", 0, 400, null, null),
                promotion("production", "backend", "canary", "rolled-back", 60, 300, 90.0, null),
                promotion("production", "backend", "canary", "refused", 70, 1, null, null),
                promotion("production", "backend", "canary", "awaiting-promotion", 80, 1200, null, null),
                promotion("production", "backend", "canary", "deployed", 120, 700, null, null),
                promotion("staging", "frontend", "bluegreen", "deployed", 130, 50, null, null),
                rollback("production", "backend", "deployed", 150, 40));
    }

    @Test
    void shouldCountFinishedPromotionsBySuccessOrFailure() {
        String text = DeploymentMetrics.render(sample());

        assertThat(text).contains("# TYPE korea_deployments_total counter\n")
                .contains("korea_deployments_total{environment=\"production\",component=\"backend\",strategy=\"canary\","
                        + "status=\"success\"} 2\n")
                .contains("korea_deployments_total{environment=\"production\",component=\"backend\",strategy=\"canary\","
                        + "status=\"failed\"} 1\n")
                // the failed series exists at 0 before the first failure, so increase() sees that failure
                .contains("korea_deployments_total{environment=\"staging\",component=\"frontend\",strategy=\"bluegreen\","
                        + "status=\"failed\"} 0\n");
    }

    @Test
    void shouldKeepSuccessfulDeployDurationsInAHistogram() {
        String text = DeploymentMetrics.render(sample());

        String labels = "environment=\"production\",component=\"backend\",strategy=\"canary\"";
        assertThat(text).contains("# TYPE korea_deployment_duration_seconds histogram\n")
                .contains("korea_deployment_duration_seconds_bucket{" + labels + ",le=\"300\"} 0\n")
                .contains("korea_deployment_duration_seconds_bucket{" + labels + ",le=\"600\"} 1\n")
                .contains("korea_deployment_duration_seconds_bucket{" + labels + ",le=\"900\"} 2\n")
                .contains("korea_deployment_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 2\n")
                .contains("korea_deployment_duration_seconds_sum{" + labels + "} 1100\n")
                .contains("korea_deployment_duration_seconds_count{" + labels + "} 2\n");
    }

    @Test
    void shouldCountRollbacksByTriggerWithTheirDurations() {
        String text = DeploymentMetrics.render(sample());

        String auto = "environment=\"production\",component=\"backend\",trigger=\"automatic\"";
        String manual = "environment=\"production\",component=\"backend\",trigger=\"manual\"";
        assertThat(text).contains("korea_rollbacks_total{" + auto + "} 1\n")
                .contains("korea_rollbacks_total{" + manual + "} 1\n")
                .contains("korea_rollbacks_total{environment=\"staging\",component=\"frontend\",trigger=\"manual\"} 0\n")
                .contains("korea_rollback_duration_seconds_sum{" + auto + "} 90\n")
                .contains("korea_rollback_duration_seconds_bucket{" + auto + ",le=\"60\"} 0\n")
                .contains("korea_rollback_duration_seconds_bucket{" + auto + ",le=\"120\"} 1\n")
                .contains("korea_rollback_duration_seconds_sum{" + manual + "} 40\n");
    }

    @Test
    void shouldExposeTheLastSuccessfulDeployTime() {
        String text = DeploymentMetrics.render(sample());

        long expected = Records.T0.plusSeconds(120 * 60).getEpochSecond();
        assertThat(text).contains("# TYPE korea_last_successful_deployment_timestamp_seconds gauge\n")
                .contains("korea_last_successful_deployment_timestamp_seconds{environment=\"production\","
                        + "component=\"backend\"} " + expected + "\n");
    }

    @Test
    void shouldOnlyEverGrowCountersAcrossSeparateRuns(@TempDir Path dir) throws Exception {
        DeploymentLog log = new DeploymentLog(dir.resolve(".korea"));
        MetricsSettings settings = MetricsSettings.defaults();
        List<Long> totals = new ArrayList<>();
        for (DeploymentRecord r : sample()) {
            log.append(r);
            // a fresh instance each time, as a separate CLI run would have
            PublishResult result = new DeploymentMetrics(settings, dir).publish(log);
            assertThat(result.written()).isTrue();
            assertThat(result.warnings()).isEmpty();
            String text = Files.readString(dir.resolve(".korea/metrics.prom"));
            totals.add(text.lines().filter(l -> l.startsWith("korea_deployments_total{"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum());
        }
        assertThat(totals).containsExactly(1L, 2L, 2L, 2L, 3L, 4L, 4L);
    }

    @Test
    void shouldWarnButNotFailWhenThePushgatewayIsUnreachable(@TempDir Path dir) throws Exception {
        int port = LocalPrometheus.freePort();
        DeploymentMetrics metrics = new DeploymentMetrics(
                new MetricsSettings("http://127.0.0.1:" + port, "korea-test", "out/metrics.prom"), dir);

        PublishResult result = metrics.publish(sample());

        assertThat(result.written()).isTrue();
        assertThat(result.pushedTo()).isNull();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("cannot push metrics to http://127.0.0.1:" + port + "/metrics/job/korea-test");
        assertThat(Files.readString(dir.resolve("out/metrics.prom"))).isEqualTo(DeploymentMetrics.render(sample()));
    }

    @Test
    void shouldNeverShowThePushgatewayPasswordInWarnings(@TempDir Path dir) throws Exception {
        int port = LocalPrometheus.freePort();
        DeploymentMetrics metrics = new DeploymentMetrics(
                new MetricsSettings("http://korea:s3cret-pw@127.0.0.1:" + port, "korea-test", null), dir);

        PublishResult result = metrics.publish(sample());

        assertThat(result.pushedTo()).isNull();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("cannot push metrics to http://127.0.0.1:" + port + "/metrics/job/korea-test")
                .doesNotContain("s3cret-pw");
    }

    @Test
    void shouldPushWithTheUrlsCredentialsAsBasicAuthAndNeverReportThem(@TempDir Path dir) throws Exception {
        List<String> authorizations = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (authorizations) {
                authorizations.add(String.valueOf(auth));
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = "Unauthorized: s3cret-pw is wrong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(auth == null ? 401 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            DeploymentMetrics metrics = new DeploymentMetrics(
                    new MetricsSettings("http://korea:s3cret-pw@127.0.0.1:" + port, "korea-test", null), dir);

            PublishResult result = metrics.publish(sample());

            String expected = "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("korea:s3cret-pw".getBytes(StandardCharsets.UTF_8));
            assertThat(authorizations).containsExactly(expected);
            assertThat(result.warnings()).isEmpty();
            assertThat(result.pushedTo()).isEqualTo("http://127.0.0.1:" + port + "/metrics/job/korea-test");
        } finally {
            server.stop(0);
        }
    }

    @org.junit.jupiter.api.Test
    void shouldSeparateActivePausedAndApprovalTime() {
        String text = DeploymentMetrics.render(List.of(Records.canary("deployed", 0, 300, 2400, 600),
                Records.canary("rolled-back", 60, 1000, 60, 0)));

        String ok = "environment=\"production\",component=\"backend\",strategy=\"canary\",status=\"success\"";
        String bad = "environment=\"production\",component=\"backend\",strategy=\"canary\",status=\"failed\"";
        assertThat(text).contains("# TYPE korea_rollout_active_seconds histogram")
                .contains("korea_rollout_active_seconds_sum{" + ok + "} 300")
                .contains("korea_rollout_paused_seconds_sum{" + ok + "} 2400")
                .contains("korea_rollout_approval_seconds_sum{" + ok + "} 600")
                .contains("korea_rollout_active_seconds_sum{" + bad + "} 1000")
                .contains("korea_rollout_paused_seconds_count{" + bad + "} 1");
    }
}
