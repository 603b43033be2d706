package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.analysis.Analysis;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;
import com.koreapublicdata.pipeline.analysis.PrometheusClient;
import com.koreapublicdata.pipeline.analysis.TargetLabels;
import com.koreapublicdata.pipeline.analysis.TestApp;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;

/**
 * End to end: the real {@link Promoter} on the mock cluster (with the test controllers, canary pauses lasting
 * their real time) and the real {@link AnalysisHealthCheck} running korea.yaml's checks against a real
 * Prometheus that scrapes small loopback apps every second. Each app reports its own version label, so each
 * scenario's canary version has its own series: healthy, error spike, slow, /health 503, and a version that
 * never reports (no data).
 */
class AutomaticRollbackEndToEndTest {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration WINDOW = Duration.ofSeconds(5);
    /** breach-to-rollback-request may exceed one interval by this: a round's queries and the abort request */
    static final Duration MARGIN = Duration.ofMillis(750);

    static LocalPrometheus prometheus;
    static TestApp good;
    static TestApp spiky;
    static TestApp slow;
    static TestApp sick;
    static TestApp oldOnly;
    static TestApp erroring;
    static TestApp vanishing;

    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeAll
    static void start() throws Exception {
        LocalPrometheus.requireBinaries("prometheus");
        good = app("1.1");
        spiky = app("2.1");
        slow = app("3.1");
        sick = app("4.1");
        oldOnly = app("5.0"); // the deploy promotes 5.1, whose pods never report: no series for it
        erroring = app("6.1");
        vanishing = app("7.1"); // reports until its canary is analysed, then its /metrics fails
        slow.mode(TestApp.Mode.SLOW);
        sick.healthStatus(503);
        erroring.mode(TestApp.Mode.ERRORS);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        for (TestApp a : List.of(good, spiky, slow, sick, oldOnly, vanishing)) {
            targets.put(a.hostPort(), Map.of("component", "api", "environment", "staging"));
        }
        targets.put(erroring.hostPort(), Map.of("component", "web", "environment", "staging"));
        prometheus = LocalPrometheus.start(targets, false);
        for (TestApp a : List.of(good, spiky, slow, sick, oldOnly, erroring, vanishing)) {
            a.drive();
        }
        // every driven version needs a full window of samples before it is judged
        PrometheusClient client = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String version : List.of("1.1", "2.1", "3.1", "4.1", "7.1")) {
            String q = new TargetLabels("api", "staging", "shop", version).fillQuery(Analysis.DEFAULT_LATENCY_QUERY, WINDOW, 0.99);
            while (client.query(q).isEmpty()) {
                assertThat(System.nanoTime()).as("no data for " + version + " after 30s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        Thread.sleep(WINDOW.toMillis());
    }

    static TestApp app(String version) throws Exception {
        TestApp app = new TestApp();
        app.version(version);
        return app;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, good, spiky, slow, sick, oldOnly, erroring, vanishing}) {
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

    /** korea.yaml as a team would write it, shrunk to seconds: canary api, rolling web, the seed's three conditions. */
    static String koreaYaml(String healthUrl, String pause) {
        return """
                project: shop
                components:
                  api: {paths: [api/**]}
                  web: {paths: [web/**]}
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
                            - pause: {duration: %2$s}
                            - setWeight: 80
                            - pause: {duration: %2$s}
                rollback: {timeout: 30s}
                analysis:
                  prometheus: %3$s
                  interval: 1s
                  verification: 3s
                  errorRate: {threshold: 5%%, window: 5s}
                  latency: {threshold: 200ms, window: 5s}
                  healthCheck: {url: "%1$s", failures: 3, timeout: 2s}
                """.formatted(healthUrl, pause, prometheus.url());
    }

    /** A mock cluster whose api Rollout already runs 1.0 (first deploy: no steps, no analysis). */
    DeployFixture cluster(TestApp healthOf, String pause) throws Exception {
        f = DeployFixture.withYaml(dir, koreaYaml(healthOf.healthUrl(), pause));
        f.controllers.realPauses = true;
        f.health = new AnalysisHealthCheck(f.config.config().analysis(), null, line -> { });
        PromotionResult first = f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:1.0"));
        assertThat(first.outcome()).as(first.message()).isEqualTo(PromotionResult.DEPLOYED);
        f.kube.timed.clear();
        return f;
    }

    PromotionResult promote(String version) {
        return f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:" + version));
    }

    String rolloutImage() {
        return Rollouts.image(f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(DeployFixture.NS).withName("api")
                .get(), "api");
    }

    /** The first abort the engine sent: the status patch the plugin's abort sends. */
    Instant abortRequest() {
        return f.kube.timed.stream().filter(t -> t.method().equals("PATCH") && t.path().contains("/rollouts/api/status")
                && t.body().contains("\"abort\":true")).map(KubeTestServer.Timed::at).findFirst().orElse(null);
    }

    void assertRolledBackToStable(PromotionResult result, String reasonPart) {
        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode().code()).isEqualTo(20);
        assertThat(result.message()).contains(reasonPart).contains("rolled back to revision 1");
        assertThat(abortRequest()).as("the abort status patch").isNotNull();
        assertThat(f.kube.timed).as("Argo's undo of the template").anyMatch(t -> t.method().equals("PATCH")
                && t.path().endsWith("/rollouts/api") && t.body().contains("/spec/template"));
        assertThat(rolloutImage()).isEqualTo("registry.local/shop/api:1.0");
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.outcome()).isEqualTo(PromotionResult.ROLLED_BACK));
        assertThat(f.events).endsWith("rollback:rolled-back");
    }

    @Test
    void shouldPromoteAHealthyCanaryThroughEveryAnalysedPause() throws Exception {
        cluster(good, "2s");
        long start = System.nanoTime();

        PromotionResult result = promote("1.1");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.exitCode().code()).isZero();
        assertThat(rolloutImage()).isEqualTo("registry.local/shop/api:1.1");
        RolloutState state = RolloutState.of(f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace(DeployFixture.NS)
                .withName("api").get());
        assertThat(state.phase()).isEqualTo("Healthy");
        assertThat(state.fullyPromoted()).isTrue();
        // both timed pauses were analysed by the real analysis, each for its full 2s
        assertThat(f.checks).extracting(HealthCheck.Request::point, HealthCheck.Request::weight, HealthCheck.Request::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HealthCheck.Point.CANARY_PAUSE, 50, "1.1"),
                        org.assertj.core.groups.Tuple.tuple(HealthCheck.Point.CANARY_PAUSE, 80, "1.1"));
        assertThat(f.progress).anyMatch(l -> l.startsWith("Analysis passed (canary-pause): 2 round(s) over 2s"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(abortRequest()).isNull();
        assertThat(f.events).endsWith("success");
    }

    @Test
    void shouldRequestTheRollbackWithinOneIntervalOfAnErrorSpikeBreach() throws Exception {
        cluster(spiky, "10s");
        spiky.mode(TestApp.Mode.HEALTHY);
        AtomicReference<Instant> spikeStart = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean analysing = new java.util.concurrent.atomic.AtomicBoolean();
        f.onProgress = line -> {
            // the canary of 2.1 has traffic and is being analysed; let a round or so pass, then break it
            if (line.contains("paused for") && analysing.compareAndSet(false, true)) {
                CompletableFuture.runAsync(() -> {
                    sleep(1500);
                    spikeStart.set(Instant.now());
                    spiky.mode(TestApp.Mode.ERRORS);
                });
            }
        };
        // Prometheus watched independently: the breach is the first moment the windowed ratio exceeds 5%
        PrometheusClient watcher = PrometheusClient.http(prometheus.url(), Duration.ofSeconds(5));
        String query = new TargetLabels("api", "staging", "shop", "2.1").fillQuery(Analysis.DEFAULT_ERROR_RATE_QUERY, WINDOW, null);
        AtomicReference<Instant> breach = new AtomicReference<>();
        CompletableFuture<PromotionResult> promotion = CompletableFuture.supplyAsync(() -> promote("2.1"));
        while (!promotion.isDone() && breach.get() == null) {
            Instant before = Instant.now();
            OptionalDouble v = watcher.query(query);
            if (v.isPresent() && v.getAsDouble() > 0.05) {
                breach.set(before);
            }
            Thread.sleep(25);
        }
        PromotionResult result = promotion.get(60, TimeUnit.SECONDS);
        spiky.mode(TestApp.Mode.HEALTHY);

        Instant abort = abortRequest();
        assertThat(spikeStart.get()).as("the canary pause was analysed, so the spike started").isNotNull();
        assertThat(breach.get()).as("Prometheus saw the error ratio above 5% before the rollback").isNotNull();
        assertThat(abort).as("abort request").isNotNull();
        Duration breachToRollback = Duration.between(breach.get(), abort);
        System.out.printf("end-to-end error spike: breach %d ms after the spike started; rollback (abort) request %d ms after "
                + "the breach (interval %ds, window %ds)%n", Duration.between(spikeStart.get(), breach.get()).toMillis(),
                breachToRollback.toMillis(), INTERVAL.toSeconds(), WINDOW.toSeconds());
        assertRolledBackToStable(result, "error-rate");
        assertThat(Duration.between(spikeStart.get(), abort)).as("not before the spike").isPositive();
        assertThat(breachToRollback).isLessThanOrEqualTo(INTERVAL.plus(MARGIN));
    }

    @Test
    void shouldRollBackALatencyBreach() throws Exception {
        cluster(slow, "5s");

        PromotionResult result = promote("3.1");

        assertRolledBackToStable(result, "latency");
        assertThat(result.message()).contains("analysis failed (canary-pause)").contains("p99");
    }

    @Test
    void shouldRollBackAfterThreeFailedHealthChecks() throws Exception {
        cluster(sick, "6s");
        long start = System.nanoTime();

        PromotionResult result = promote("4.1");

        assertRolledBackToStable(result, "health-check");
        assertThat(result.message()).contains("3 of 3").contains("503");
        // three rounds, one second apart: not after the first or second failure
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldFailClosedAndRollBackWhenTheNewVersionSendsNoData() throws Exception {
        cluster(good, "5s");

        PromotionResult result = promote("5.1");

        assertRolledBackToStable(result, "error-rate");
        assertThat(result.message()).contains("no data");
    }

    @Test
    void shouldFailClosedAndRollBackWhenTheNewVersionStopsBeingScraped() throws Exception {
        cluster(good, "12s");
        f.onProgress = line -> {
            if (line.contains("paused for")) {
                vanishing.metricsStatus(503);
            }
        };

        PromotionResult result = promote("7.1");

        // the windowed rate lives on from the samples before the scrapes failed, then the series is gone
        assertRolledBackToStable(result, "no data");
    }

    @Test
    void shouldUndoARollingDeploymentWhoseVerificationWindowFails() throws Exception {
        f = DeployFixture.withYaml(dir, koreaYaml(good.healthUrl(), "2s"));
        f.health = new AnalysisHealthCheck(f.config.config().analysis(), null, line -> { });
        f.deployment("web", "registry.local/shop/web:6.0", 2);

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "staging", "registry.local/shop/web:6.1"));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode().code()).isEqualTo(20);
        assertThat(result.message()).contains("analysis failed (after-rollout)").contains("error-rate");
        assertThat(f.image("web")).isEqualTo("registry.local/shop/web:6.0");
        // kubectl's undo: one JSON Patch replacing the template with the previous ReplicaSet's
        assertThat(f.kube.timed).filteredOn(t -> t.path().endsWith("/deployments/web") && t.body().contains("\"/spec/template\""))
                .hasSize(1);
        assertThat(DeploymentRules.healthy(f.get("web"))).isTrue();
        assertThat(f.checks).last().satisfies(c -> {
            assertThat(c.point()).isEqualTo(HealthCheck.Point.AFTER_ROLLOUT);
            assertThat(c.window()).isEqualTo(Duration.ofSeconds(3));
        });
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
