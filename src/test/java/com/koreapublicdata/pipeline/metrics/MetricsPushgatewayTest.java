package com.koreapublicdata.pipeline.metrics;

import static com.koreapublicdata.pipeline.metrics.Records.promotion;
import static com.koreapublicdata.pipeline.metrics.Records.rollback;
import static org.assertj.core.api.Assertions.assertThat;


import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.config.MetricsSettings;
import com.koreapublicdata.pipeline.history.DeploymentLog;

/** Pushed metrics end up queryable in a real Prometheus that scrapes a real Pushgateway every second. */
class MetricsPushgatewayTest {
    static LocalPrometheus prometheus;
    static PrometheusClient client;

    @BeforeAll
    static void start() throws Exception {
        prometheus = LocalPrometheus.start(Map.of(), true);
        client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static double await(String query, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        OptionalDouble v = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            v = client.query(query);
            if (v.isPresent() && v.getAsDouble() == expected) {
                return v.getAsDouble();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(query + " is " + v + " after 20s, expected " + expected);
    }

    @Test
    void shouldMakePushedDeploysAndRollbacksQueryableInPrometheus(@TempDir Path dir) throws Exception {
        DeploymentLog log = new DeploymentLog(dir.resolve(".korea"));
        DeploymentMetrics metrics = new DeploymentMetrics(
                new MetricsSettings(prometheus.pushgatewayUrl(), "korea-test", null), dir);

        PublishResult first = metrics.record(log,
                promotion("production", "backend", "canary", "deployed", 0, 420, null, null));
        assertThat(first.warnings()).isEmpty();
        assertThat(first.pushedTo()).isEqualTo(prometheus.pushgatewayUrl() + "/metrics/job/korea-test");
        long pushed = System.nanoTime();

        await("korea_deployments_total{job=\"korea-test\",environment=\"production\",component=\"backend\","
                + "strategy=\"canary\",status=\"success\"}", 1);
        System.out.printf("deploy metric queryable %d ms after the push%n", (System.nanoTime() - pushed) / 1_000_000);
        await("korea_deployment_duration_seconds_sum{environment=\"production\",component=\"backend\"}", 420);
        await("korea_rollbacks_total{environment=\"production\",component=\"backend\",trigger=\"manual\"}", 0);

        log.append(promotion("production", "backend", "canary", "rolled-back", 30, 200, 75.0, null));
        assertThat(metrics.record(log, rollback("production", "backend", "deployed", 40, 50)).warnings()).isEmpty();
        assertThat(log.read()).hasSize(3);

        await("korea_rollbacks_total{environment=\"production\",component=\"backend\",trigger=\"automatic\"}", 1);
        await("korea_rollbacks_total{environment=\"production\",component=\"backend\",trigger=\"manual\"}", 1);
        await("korea_rollback_duration_seconds_sum{environment=\"production\",component=\"backend\",trigger=\"automatic\"}", 75);
        await("korea_deployments_total{environment=\"production\",component=\"backend\",status=\"failed\"}", 1);
        await("korea_last_successful_deployment_timestamp_seconds{environment=\"production\",component=\"backend\"}",
                Records.T0.getEpochSecond());
    }

    @Test
    void shouldAcceptEveryDashboardQuery() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(PrometheusRulesTest.resource(PrometheusRulesTest.DASHBOARD));
        HttpClient http = HttpClient.newHttpClient();
        int checked = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$environment", ".*");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prometheus.url()
                        + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(panel.path("title").asText() + ": " + expr + " -> " + r.body())
                        .isEqualTo(200);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

}
