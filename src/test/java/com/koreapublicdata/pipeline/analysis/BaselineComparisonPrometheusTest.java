package com.koreapublicdata.pipeline.analysis;

import com.koreapublicdata.pipeline.Sleeper;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.config.AnalysisSettings;

/**
 * The canary-versus-baseline comparison against a real Prometheus scraping one exporter per track every second
 * (a {@code track} label set by the scrape config, as relabelling a pod label would). Every exporter serves real
 * requests of about 100 ms; the canaries differ from the stable one in a single way each.
 */
class BaselineComparisonPrometheusTest {
    static final Duration WINDOW = Duration.ofSeconds(15);

    static LocalPrometheus prometheus;
    static TestApp stable;
    static TestApp same;
    static TestApp slower;
    static TestApp noisy;
    static TestApp incidentStable;
    static TestApp incidentCanary;

    @BeforeAll
    static void start() throws Exception {
        LocalPrometheus.requireBinaries("prometheus");
        stable = app(100, 10);
        same = app(100, 10);
        slower = app(130, 10);
        noisy = app(100, 60);
        incidentStable = app(100, 10);
        incidentCanary = app(100, 10);
        incidentStable.mode(TestApp.Mode.ERRORS);
        incidentCanary.mode(TestApp.Mode.ERRORS);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(stable.hostPort(), labels("backend", "stable"));
        targets.put(same.hostPort(), labels("backend", "same"));
        targets.put(slower.hostPort(), labels("backend", "slower"));
        targets.put(noisy.hostPort(), labels("backend", "noisy"));
        targets.put(incidentStable.hostPort(), labels("incident", "stable"));
        targets.put(incidentCanary.hostPort(), labels("incident", "canary"));
        prometheus = LocalPrometheus.start(targets, false);
        for (TestApp a : List.of(stable, same, slower, noisy, incidentStable, incidentCanary)) {
            a.drive();
        }
        // every track needs a full window of samples
        BaselineComparison c = comparison("backend", settings(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.compare(c.tracks("same", null), Instant.now(), Duration.ofSeconds(2)).metric("latency")
                .canarySamples() == 0) {
            assertThat(System.nanoTime()).as("no samples after 30s").isLessThan(deadline);
            Thread.sleep(200);
        }
        Thread.sleep(WINDOW.plusSeconds(1).toMillis());
    }

    static TestApp app(double millis, double spread) throws Exception {
        TestApp a = new TestApp();
        a.delays(millis, spread);
        return a;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, stable, same, slower, noisy, incidentStable, incidentCanary}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static Map<String, String> labels(String component, String track) {
        return Map.of("component", component, "environment", "staging", "track", track);
    }

    static AnalysisSettings.Baseline settings(int minSamples) {
        return new AnalysisSettings.Baseline("track", null, "stable", Duration.ofSeconds(3), Duration.ofSeconds(1), WINDOW,
                minSamples, null, null, null, null);
    }

    static BaselineComparison comparison(String component, AnalysisSettings.Baseline settings) {
        return new BaselineComparison(settings, new TargetLabels(component, "staging", "korea-staging", null),
                PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5)));
    }

    static BaselineVerdict compare(String component, String canary, Duration window) {
        BaselineComparison c = comparison(component, settings(10));
        BaselineVerdict v = c.compare(c.tracks(canary, null), Instant.now(), window);
        System.out.println(canary + ": " + v.reason());
        return v;
    }

    @Test
    void shouldPassACanaryWithTheBaselinesDistribution() {
        BaselineVerdict v = compare("backend", "same", WINDOW);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.PASS);
        assertThat(v.score()).isEqualTo(100.0);
        BaselineVerdict.Metric latency = v.metric("latency");
        assertThat(latency.canarySamples()).isGreaterThanOrEqualTo(10);
        assertThat(latency.canaryMedian()).isBetween(0.09, 0.115);
        assertThat(latency.baselineMedian()).isBetween(0.09, 0.115);
        assertThat(latency.pValue()).isBetween(0.0, 1.0);
        assertThat(v.metric("error-rate").canaryMedian()).isEqualTo(0.0);
    }

    @Test
    void shouldFailACanaryThirtyPercentSlowerNamingLatency() {
        BaselineVerdict v = compare("backend", "slower", WINDOW);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.FAIL);
        BaselineVerdict.Metric latency = v.metric("latency");
        assertThat(latency.status()).isEqualTo(BaselineVerdict.Status.HIGH);
        assertThat(latency.failed()).isTrue();
        assertThat(latency.pValue()).isLessThan(0.05);
        assertThat(latency.effect()).isBetween(0.2, 0.4);
        assertThat(latency.canaryMedian()).isGreaterThan(latency.baselineMedian());
        // the error rate is the same (none), so one of two equal weights fails: score 50, below marginal 75
        assertThat(v.metric("error-rate").status()).isEqualTo(BaselineVerdict.Status.PASS);
        assertThat(v.score()).isEqualTo(50.0);
        assertThat(v.reason()).contains("latency high (fails)").contains("p=").contains("score 50");
    }

    @Test
    void shouldPassANoisierCanaryWithTheSameMedian() {
        BaselineVerdict v = compare("backend", "noisy", WINDOW);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.PASS);
        assertThat(v.metric("latency").status()).isEqualTo(BaselineVerdict.Status.PASS);
    }

    @Test
    void shouldPassTheComparisonDuringAnIncidentWhileTheThresholdCheckFails() {
        BaselineVerdict v = compare("incident", "canary", WINDOW);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.PASS);
        assertThat(v.metric("error-rate").canaryMedian()).isGreaterThan(0.2);
        assertThat(v.metric("error-rate").baselineMedian()).isGreaterThan(0.2);
        // the fixed threshold (5 %) runs beside it and still stops the canary
        AnalysisSettings thresholds = new AnalysisSettings(prometheus.url(), Duration.ofSeconds(1), null, null,
                new AnalysisSettings.ErrorRate("5%", Duration.ofSeconds(5), null, null),
                new AnalysisSettings.Latency(Duration.ofSeconds(2), Duration.ofSeconds(5), 0.99, null, null), null, List.of());
        AnalysisVerdict threshold = new Analysis(thresholds, new TargetLabels("incident", "staging", "korea-staging", null),
                PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5)), HttpClient.newHttpClient(),
                Clock.systemUTC(), Sleeper.system()).checkOnce();
        assertThat(threshold.outcome()).as(threshold.reason()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(threshold.reason()).contains("error-rate");
    }

    @Test
    void shouldBeInconclusiveWithTooFewSamples() {
        BaselineVerdict v = compare("backend", "slower", Duration.ofSeconds(4));

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.INCONCLUSIVE);
        assertThat(v.passed()).isFalse();
        assertThat(v.metric("latency").status()).isEqualTo(BaselineVerdict.Status.INCONCLUSIVE);
        assertThat(v.metric("latency").canarySamples()).isBetween(1, 9);
        assertThat(v.reason()).contains("too few samples");
    }

    @Test
    void shouldBeInconclusiveWhenATrackHasNoSeries() {
        BaselineVerdict v = compare("backend", "nobody", WINDOW);

        assertThat(v.outcome()).as(v.reason()).isEqualTo(BaselineVerdict.Outcome.INCONCLUSIVE);
        assertThat(v.metric("latency").canarySamples()).isZero();
    }

    @Test
    void shouldReportTheComparisonFromKoreaAnalyze(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
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
                  latency: {threshold: 2s, window: 5s}
                  compare: baseline
                  baseline:
                    label: track
                    stable: stable
                    rate: 3s
                    step: 1s
                    window: 15s
                    metrics:
                      - {name: error-rate}
                      - {name: latency, effectSize: 10%%, weight: 3}
                """.formatted(prometheus.url()));

        com.koreapublicdata.pipeline.cli.ClockedCli fail = com.koreapublicdata.pipeline.cli.ClockedCli.run(dir,
                Clock.systemUTC(), "analyze", "--component", "backend", "--environment", "staging", "--canary", "slower",
                "--format", "json");

        assertThat(fail.exit()).as(fail.out() + fail.err()).isEqualTo(10);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fail.out());
        assertThat(json.path("verdict").path("outcome").asText()).as("the thresholds pass").isEqualTo("passed");
        com.fasterxml.jackson.databind.JsonNode c = json.path("comparison");
        assertThat(c.path("outcome").asText()).isEqualTo("fail");
        assertThat(c.path("score").asDouble()).isEqualTo(25.0); // error-rate weighs 1 of 4
        assertThat(c.path("canary").asText()).isEqualTo("slower");
        com.fasterxml.jackson.databind.JsonNode latency = c.path("metrics").get(1);
        assertThat(latency.path("name").asText()).isEqualTo("latency");
        assertThat(latency.path("status").asText()).isEqualTo("high");
        assertThat(latency.path("canaryMedian").asDouble()).isGreaterThan(latency.path("baselineMedian").asDouble());
        assertThat(latency.path("pValue").asDouble()).isLessThan(0.05);
        assertThat(latency.path("canaryQuery").asText()).contains("track=\"slower\"").contains("[3s]");

        com.koreapublicdata.pipeline.cli.ClockedCli pass = com.koreapublicdata.pipeline.cli.ClockedCli.run(dir,
                Clock.systemUTC(), "analyze", "--component", "backend", "--environment", "staging", "--canary", "same");
        assertThat(pass.exit()).as(pass.out() + pass.err()).isZero();
        assertThat(pass.out()).contains("baseline comparison pass: score 100").containsPattern("latency\\s+0\\.1\\d*");
    }
}
