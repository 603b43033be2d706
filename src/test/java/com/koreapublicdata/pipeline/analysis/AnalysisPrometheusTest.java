package com.koreapublicdata.pipeline.analysis;

import com.koreapublicdata.pipeline.Sleeper;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.config.AnalysisSettings;

/**
 * The analysis against a real Prometheus scraping small services every second: healthy, error-spiking, slow,
 * and silent (scraped, but no traffic). Windows are 5s and the interval 1s so the whole class takes seconds.
 */
class AnalysisPrometheusTest {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration WINDOW = Duration.ofSeconds(5);

    static TestApp healthy;
    static TestApp spiking;
    static TestApp slow;
    static TestApp silent;
    static TestApp unhealthy;
    static LocalPrometheus prometheus;

    @BeforeAll
    static void start() throws Exception {
        LocalPrometheus.requireBinaries("prometheus");
        healthy = new TestApp();
        spiking = new TestApp();
        slow = new TestApp();
        silent = new TestApp();
        unhealthy = new TestApp();
        slow.mode(TestApp.Mode.SLOW);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(healthy.hostPort(), labels("v1"));
        targets.put(spiking.hostPort(), labels("v2"));
        targets.put(slow.hostPort(), labels("v3"));
        targets.put(silent.hostPort(), labels("v4"));
        prometheus = LocalPrometheus.start(targets, false);
        healthy.drive();
        spiking.drive();
        slow.drive();
        // wait until every driven version has a full window of data
        PrometheusClient client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String version : List.of("v1", "v2", "v3")) {
            String q = new TargetLabels("backend", "staging", "korea-staging", version)
                    .fillQuery(Analysis.DEFAULT_LATENCY_QUERY, WINDOW, 0.99);
            while (client.query(q).isEmpty()) {
                assertThat(System.nanoTime()).as("no data for " + version + " after 30s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        Thread.sleep(WINDOW.toMillis());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, healthy, spiking, slow, silent, unhealthy}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static Map<String, String> labels(String version) {
        return Map.of("component", "backend", "environment", "staging", "version", version);
    }

    static AnalysisSettings settings(String healthUrl, AnalysisSettings.NoData noData) {
        return new AnalysisSettings(prometheus.url(), INTERVAL, null, noData,
                new AnalysisSettings.ErrorRate("5%", WINDOW, null, null),
                new AnalysisSettings.Latency(Duration.ofMillis(200), WINDOW, 0.99, null, null),
                new AnalysisSettings.HealthCheck(healthUrl, 200, 3, Duration.ofSeconds(2)), List.of());
    }

    static Analysis analysis(AnalysisSettings settings, String version) {
        return new Analysis(settings, new TargetLabels("backend", "staging", "korea-staging", version),
                PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5)), HttpClient.newHttpClient(),
                Clock.systemUTC(), Sleeper.system());
    }

    static CheckResult check(AnalysisRound round, String name) {
        return round.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldPassHealthyTraffic() {
        AnalysisVerdict verdict = analysis(settings(healthy.healthUrl(), AnalysisSettings.NoData.FAIL), "v1")
                .runFor(Duration.ofSeconds(4), null);

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.PASSED);
        assertThat(verdict.rounds()).hasSize(4);
        CheckResult errorRate = check(verdict.lastRound(), Analysis.ERROR_RATE);
        assertThat(errorRate.value()).isEqualTo(0.0);
        CheckResult latency = check(verdict.lastRound(), Analysis.LATENCY);
        assertThat(latency.value()).isPositive().isLessThan(0.2);
        assertThat(check(verdict.lastRound(), Analysis.HEALTH_CHECK).value()).isEqualTo(200.0);
    }

    @Test
    void shouldFailWithinOneIntervalOfAnErrorSpikeBreach() throws Exception {
        Analysis analysis = analysis(settings(spiking.healthUrl(), AnalysisSettings.NoData.FAIL), "v2");
        List<AnalysisRound> seen = new ArrayList<>();
        CompletableFuture<AnalysisVerdict> running = CompletableFuture.supplyAsync(
                () -> analysis.runFor(Duration.ofSeconds(40), round -> {
                    synchronized (seen) {
                        seen.add(round);
                    }
                }));
        Thread.sleep(2500);
        Instant spikeStart = Instant.now();
        spiking.mode(TestApp.Mode.ERRORS);

        // watch Prometheus independently for the moment the windowed ratio crosses 5%: the breach
        PrometheusClient watcher = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        String query = new TargetLabels("backend", "staging", "korea-staging", "v2")
                .fillQuery(Analysis.DEFAULT_ERROR_RATE_QUERY, WINDOW, null);
        Instant breach = null;
        while (breach == null && !running.isDone()) {
            OptionalDouble v = watcher.query(query);
            if (v.isPresent() && v.getAsDouble() > 0.05) {
                breach = Instant.now();
            }
            Thread.sleep(50);
        }
        AnalysisVerdict verdict = running.get(30, TimeUnit.SECONDS);
        Instant decided = verdict.finishedAt();
        if (breach == null) {
            breach = decided; // the analysis saw it before our next poll
        }
        Duration breachToVerdict = Duration.between(breach, decided);
        Duration spikeToVerdict = Duration.between(spikeStart, decided);
        System.out.printf("error spike: breach seen by Prometheus %d ms after the spike started; verdict %d ms after "
                + "the breach (%d ms after the spike started; window %ss, interval %ss)%n",
                Duration.between(spikeStart, breach).toMillis(), breachToVerdict.toMillis(),
                spikeToVerdict.toMillis(), WINDOW.toSeconds(), INTERVAL.toSeconds());

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds().get(0).failed()).as("rounds before the spike pass").isFalse();
        CheckResult errorRate = check(verdict.lastRound(), Analysis.ERROR_RATE);
        assertThat(errorRate.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(errorRate.value()).isGreaterThan(0.05);
        assertThat(verdict.reason()).contains("error-rate");
        // one interval, plus the time a round takes to query
        assertThat(breachToVerdict).isLessThanOrEqualTo(INTERVAL.plusMillis(500));
        // the seed's condition (above 5% for the window) never goes a whole interval unnoticed
        assertThat(spikeToVerdict).isLessThanOrEqualTo(WINDOW.plus(INTERVAL).plusMillis(500));
    }

    @Test
    void shouldFailOnLatencyAboveTheThreshold() {
        AnalysisVerdict verdict = analysis(settings(slow.healthUrl(), AnalysisSettings.NoData.FAIL), "v3")
                .runFor(Duration.ofSeconds(10), null);

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds()).hasSize(1);
        CheckResult latency = check(verdict.lastRound(), Analysis.LATENCY);
        assertThat(latency.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(latency.value()).isGreaterThan(0.2);
        assertThat(check(verdict.lastRound(), Analysis.ERROR_RATE).status()).isEqualTo(CheckResult.Status.PASS);
    }

    @Test
    void shouldFailAfterThreeConsecutiveFailedHealthChecks() {
        unhealthy.healthStatus(503);
        AnalysisVerdict verdict = analysis(settings(unhealthy.healthUrl(), AnalysisSettings.NoData.FAIL), "v1")
                .runFor(Duration.ofSeconds(20), null);

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds()).hasSize(3);
        assertThat(verdict.rounds()).allSatisfy(r -> {
            assertThat(check(r, Analysis.HEALTH_CHECK).status()).isEqualTo(CheckResult.Status.FAIL);
            assertThat(check(r, Analysis.HEALTH_CHECK).value()).isEqualTo(503.0);
            assertThat(check(r, Analysis.ERROR_RATE).status()).isEqualTo(CheckResult.Status.PASS);
        });
        assertThat(check(verdict.rounds().get(1), Analysis.HEALTH_CHECK).thresholdReached()).isFalse();
        assertThat(verdict.reason()).contains("health-check").contains("3 of 3");
    }

    @Test
    void shouldFailClosedWhenTheNewVersionSendsNoData() {
        for (String version : List.of("v4", "never-deployed")) {
            AnalysisVerdict verdict = analysis(settings(healthy.healthUrl(), AnalysisSettings.NoData.FAIL), version)
                    .runFor(Duration.ofSeconds(5), null);

            assertThat(verdict.outcome()).as(version + ": " + verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
            assertThat(verdict.rounds()).hasSize(1);
            assertThat(check(verdict.lastRound(), Analysis.ERROR_RATE).status()).isEqualTo(CheckResult.Status.NO_DATA);
            assertThat(check(verdict.lastRound(), Analysis.LATENCY).status()).isEqualTo(CheckResult.Status.NO_DATA);
        }
    }

    @Test
    void shouldPassMissingDataOnlyWhenConfiguredTo() {
        AnalysisVerdict verdict = analysis(settings(healthy.healthUrl(), AnalysisSettings.NoData.PASS), "v4")
                .runFor(Duration.ofSeconds(2), null);

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.PASSED);
        assertThat(check(verdict.lastRound(), Analysis.ERROR_RATE).status()).isEqualTo(CheckResult.Status.NO_DATA);
    }

    @Test
    void shouldRefuseQueriesThatDoNotGiveOneValue() {
        PrometheusClient client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));

        assertThat(client.query("sum(up{job=\"app\"})")).hasValue(4.0);
        assertThat(client.query("scalar(sum(up{job=\"app\"}))")).hasValue(4.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.query("up{job=\"app\"}"))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("returned 4 series; aggregate it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.query("sum(rate(up[5s]"))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("Prometheus rejected the query (HTTP 400, bad_data)");

        AnalysisSettings base = settings(null, AnalysisSettings.NoData.FAIL);
        AnalysisSettings withCustom = new AnalysisSettings(base.prometheus(), base.interval(), null, base.noData(),
                base.errorRate(), base.latency(), base.healthCheck(),
                List.of(new AnalysisSettings.CustomCheck("targets-up", "up{job=\"app\"}", 1.0, null, null)));
        AnalysisVerdict verdict = analysis(withCustom, "v1").runFor(Duration.ofSeconds(1), null);

        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(AnalysisVerdict.Outcome.INCONCLUSIVE);
        assertThat(check(verdict.lastRound(), "targets-up").status()).isEqualTo(CheckResult.Status.ERROR);
    }

    @Test
    void shouldReportEachCheckFromKoreaAnalyzeWithExitCodes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  backend:
                    paths: [be/**]
                environments:
                  staging:
                    branches: [staging]
                    namespace: korea-staging
                analysis:
                  prometheus: %s
                  interval: 1s
                  errorRate: {threshold: 5%%, window: 5s}
                  latency: {threshold: 200ms, window: 5s}
                  healthCheck: {url: "%s"}
                """.formatted(prometheus.url(), healthy.healthUrl()));

        com.koreapublicdata.pipeline.cli.ClockedCli pass = com.koreapublicdata.pipeline.cli.ClockedCli.run(dir,
                Clock.systemUTC(), "analyze", "--component", "backend", "--environment", "staging", "--version", "v1",
                "--format", "json");

        assertThat(pass.exit()).as(pass.out() + pass.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pass.out());
        assertThat(json.path("verdict").path("outcome").asText()).isEqualTo("passed");
        assertThat(json.path("namespace").asText()).isEqualTo("korea-staging");
        com.fasterxml.jackson.databind.JsonNode checks = json.path("verdict").path("rounds").get(0).path("checks");
        assertThat(checks).hasSize(3);
        assertThat(checks.get(0).path("name").asText()).isEqualTo("error-rate");
        assertThat(checks.get(0).path("status").asText()).isEqualTo("pass");
        assertThat(checks.get(0).path("threshold").asText()).isEqualTo("<= 5.00%");
        assertThat(checks.get(0).path("target").asText()).contains("version=\"v1\"").contains("[5s]");

        com.koreapublicdata.pipeline.cli.ClockedCli fail = com.koreapublicdata.pipeline.cli.ClockedCli.run(dir,
                Clock.systemUTC(), "analyze", "--component", "backend", "--environment", "staging", "--version", "v3",
                "--duration", "3s");

        assertThat(fail.exit()).as(fail.out() + fail.err()).isEqualTo(10);
        assertThat(fail.out()).contains("Analysis of backend in staging (version v3): FAILED")
                .containsPattern("latency\\s+0\\.\\d+s\\s+<= 200ms \\(p99\\)\\s+fail\\s+1/1");
        assertThat(fail.err()).contains("round 1: error-rate=0.00% pass latency=");
    }
}
