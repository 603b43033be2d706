package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.MetricsListener;
import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.analysis.TestApp;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;
import com.koreapublicdata.pipeline.metrics.DeploymentMetrics;

/**
 * End to end: manual rollback ({@code korea rollback} through {@code Main.run}, and {@link Rollbacker}) with the
 * health verified by the real {@link AnalysisHealthCheck}, and the deployment metrics published by the real
 * {@link MetricsListener} to a real Pushgateway, scraped by a real Prometheus and read back through its HTTP API.
 */
class RollbackAndMetricsEndToEndTest {
    static final Duration WINDOW = Duration.ofSeconds(5);

    static LocalPrometheus prometheus;
    static PrometheusClient client;
    static TestApp good;
    static TestApp bad;
    static TestApp health;

    @TempDir
    Path dir;
    DeployFixture f;
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        good = new TestApp();
        good.version("1.1");
        bad = new TestApp();
        bad.version("1.2");
        bad.mode(TestApp.Mode.ERRORS);
        health = new TestApp();
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(good.hostPort(), Map.of("component", "web", "environment", "staging"));
        targets.put(bad.hostPort(), Map.of("component", "web", "environment", "staging"));
        prometheus = LocalPrometheus.start(targets, true);
        client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        good.drive();
        bad.drive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String q = new TargetLabels("web", "staging", "shop", "1.1").fillQuery(Analysis.DEFAULT_LATENCY_QUERY, WINDOW, 0.99);
        while (client.query(q).isEmpty()) {
            assertThat(System.nanoTime()).as("no data for 1.1 after 30s").isLessThan(deadline);
            Thread.sleep(200);
        }
        // no full window needed here: a healthy version passes and a failing one fails with two samples already
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, good, bad, health}) {
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
        health.healthStatus(200);
        if (f != null) {
            f.close();
        }
    }

    /** Rolling web, 2s verification, metrics pushed under {@code job} (one per test, so no test reads another's). */
    DeployFixture cluster(String job) throws Exception {
        f = DeployFixture.withYaml(dir, """
                project: shop
                components:
                  web: {paths: [web/**]}
                environments:
                  staging:
                    branches: [staging]
                    namespace: shop
                    cluster: test
                    requireScan: false
                    lockTimeout: 1s
                rollback: {timeout: 30s}
                analysis:
                  prometheus: %s
                  interval: 1s
                  verification: 2s
                  errorRate: {threshold: 5%%, window: 5s}
                  latency: {threshold: 200ms, window: 5s}
                  healthCheck: {url: "%s"}
                metrics:
                  pushgateway: %s
                  job: %s
                """.formatted(prometheus.url(), health.healthUrl(), prometheus.pushgatewayUrl(), job));
        f.health = new AnalysisHealthCheck(f.config.config().analysis(), null, line -> { });
        f.deployment("web", "registry.local/shop/web:1.0", 2);
        return f;
    }

    DeployServices services() {
        return f.services().withListener(new MetricsListener(new DeploymentMetrics(f.config.config().metrics(), f.config.baseDir()),
                f.log(), warnings::add));
    }

    PromotionResult promote(String version) {
        return new Promoter(f.config.config(), services()).promote(PromotionRequest.of("web", "staging",
                "registry.local/shop/web:" + version));
    }

    RollbackResult rollback(long toRevision) {
        return new Rollbacker(f.config.config(), services()).rollback(new RollbackRequest("web", "staging", toRevision,
                "e2e", "alice", null));
    }

    /** {@code korea rollback} as a person types it, reaching the mock cluster through a kubeconfig. */
    int cli(StringWriter out, StringWriter err, String... args) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: test
                  context: {cluster: mock, user: tester}
                current-context: test
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(f.client().getMasterUrl().toString()));
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err),
                Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString()), dir, Clock.systemUTC(), false);
        return Main.run(context, args);
    }

    static void await(String query, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        OptionalDouble v = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            v = client.query(query);
            if (v.isPresent() && v.getAsDouble() == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(query + " is " + v + " after 20s, expected " + expected);
    }

    static OptionalDouble value(String query) {
        return client.query(query);
    }

    @Test
    void shouldPublishQueryableMetricsAfterARealPromotionAManualRollbackAndAnAutomaticOne() throws Exception {
        cluster("korea-e2e-metrics");
        String web = "job=\"korea-e2e-metrics\",environment=\"staging\",component=\"web\"";

        PromotionResult deployed = promote("1.1");
        assertThat(deployed.outcome()).as(deployed.message()).isEqualTo(PromotionResult.DEPLOYED);
        await("korea_deployments_total{" + web + ",strategy=\"rolling\",status=\"success\"}", 1);
        await("korea_deployments_total{" + web + ",strategy=\"rolling\",status=\"failed\"}", 0);
        await("korea_deployment_duration_seconds_count{" + web + "}", 1);
        assertThat(value("korea_deployment_duration_seconds_sum{" + web + "}").getAsDouble())
                .isCloseTo(deployed.durationSeconds(), org.assertj.core.api.Assertions.within(0.01)).isGreaterThanOrEqualTo(2.0);

        // the manual rollback, as a person runs it
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli(out, err, "rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging",
                "--reason", "checkout errors", "--format", "json");
        assertThat(code).as(out + "\n" + err).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(json.path("toRevision").asText()).isEqualTo("1");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
        assertThat(err.toString()).contains("Checking the health of web 1.0 after the rollback")
                .contains("Health verified after the rollback: every check passed");
        await("korea_rollbacks_total{" + web + ",trigger=\"manual\"}", 1);
        await("korea_rollback_duration_seconds_count{" + web + ",trigger=\"manual\"}", 1);
        await("korea_rollbacks_total{" + web + ",trigger=\"automatic\"}", 0);

        // an automatic rollback: 1.2 answers a third of its requests with 500
        PromotionResult rolledBack = promote("1.2");
        assertThat(rolledBack.outcome()).as(rolledBack.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(rolledBack.exitCode().code()).isEqualTo(20);
        await("korea_deployments_total{" + web + ",strategy=\"rolling\",status=\"failed\"}", 1);
        await("korea_deployments_total{" + web + ",strategy=\"rolling\",status=\"success\"}", 1);
        await("korea_rollbacks_total{" + web + ",trigger=\"automatic\"}", 1);
        await("korea_rollback_duration_seconds_count{" + web + ",trigger=\"automatic\"}", 1);
        assertThat(value("korea_rollback_duration_seconds_sum{" + web + ",trigger=\"automatic\"}").getAsDouble()).isPositive();
        assertThat(warnings).as("every push reached the Pushgateway").isEmpty();
    }

    @Test
    void shouldGoToTheRequestedRevisionAndRefuseAnUnknownOneAsBadInput() throws Exception {
        cluster("korea-e2e-revisions");
        assertThat(promote("1.1").outcome()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(f.annotations("web")).containsEntry("deployment.kubernetes.io/revision", "2");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(cli(out, err, "rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging",
                "--to-revision", "9")).as(out + "\n" + err).isEqualTo(2);
        assertThat(err.toString()).contains("revision 9");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.1");

        RollbackResult result = rollback(1);

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.toRevision()).isEqualTo("1");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:1.0");
        assertThat(f.checks).last().satisfies(c -> {
            assertThat(c.point()).isEqualTo(HealthCheck.Point.AFTER_ROLLBACK);
            assertThat(c.version()).isEqualTo("1.0");
        });
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.kind()).isEqualTo("rollback"));
        assertThatThrownBy(() -> rollback(7)).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void shouldReportARollbackWhoseHealthCheckFailsAsRollbackFailed() throws Exception {
        cluster("korea-e2e-unhealthy");
        assertThat(promote("1.1").outcome()).isEqualTo(PromotionResult.DEPLOYED);
        health.healthStatus(503);

        RollbackResult result = rollback(0);

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLBACK_FAILED);
        assertThat(result.exitCode().code()).isEqualTo(21);
        assertThat(result.message()).contains("rolled back to revision 1").contains("health check after the rollback failed")
                .contains("503");
        assertThat(f.image("web")).as("the undo itself happened").isEqualTo("registry.local/shop/web:1.0");
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.outcome()).isEqualTo(PromotionResult.ROLLBACK_FAILED));
    }
}
