package com.koreapublicdata.pipeline.analysis;

import com.koreapublicdata.pipeline.Sleeper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.AnalysisSettings;
import com.sun.net.httpserver.HttpServer;

/** Counting, scheduling and templates, with a scripted Prometheus and a fake clock. */
class AnalysisTest {
    static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
    static final TargetLabels TARGET = new TargetLabels("backend", "production", "korea-prod", "v2");

    /** A clock the sleeper moves forward. */
    static final class FakeTime extends Clock {
        Instant now = T0;

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
            return now;
        }

        Sleeper sleeper() {
            return d -> now = now.plus(d);
        }
    }

    /** Answers error-rate and latency queries from scripts; a null entry means Prometheus is down. */
    static final class ScriptedPrometheus implements PrometheusClient {
        final Deque<Double> errorRates = new ArrayDeque<>();
        final Deque<Double> latencies = new ArrayDeque<>();
        final List<String> queries = new ArrayList<>();
        Double errorRateDefault = 0.0;
        Double latencyDefault = 0.1;
        boolean down;

        @Override
        public OptionalDouble query(String promql) {
            queries.add(promql);
            if (down) {
                throw new PrometheusException("Prometheus at http://127.0.0.1:1 is unreachable: Connection refused");
            }
            boolean latency = promql.startsWith("histogram_quantile");
            Double v = latency ? (latencies.isEmpty() ? latencyDefault : latencies.poll())
                    : (errorRates.isEmpty() ? errorRateDefault : errorRates.poll());
            return v == null || v.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(v);
        }
    }

    static AnalysisSettings settings(String healthUrl, Integer errorFailures) {
        return new AnalysisSettings("http://prometheus:9090", Duration.ofMinutes(1), null, null,
                new AnalysisSettings.ErrorRate("5%", Duration.ofMinutes(5), null, errorFailures),
                new AnalysisSettings.Latency(Duration.ofSeconds(2), Duration.ofMinutes(3), null, null, null),
                new AnalysisSettings.HealthCheck(healthUrl, null, null, Duration.ofSeconds(1)), List.of());
    }

    @Test
    void shouldRunRoundsAtAFixedIntervalAndPassWhenTheDurationEnds() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        Analysis analysis = new Analysis(settings(null, null), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        List<AnalysisRound> progress = new ArrayList<>();
        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(5), progress::add);

        assertThat(verdict.passed()).isTrue();
        assertThat(progress).extracting(AnalysisRound::time).containsExactly(T0.plusSeconds(60), T0.plusSeconds(120),
                T0.plusSeconds(180), T0.plusSeconds(240), T0.plusSeconds(300));
        assertThat(verdict.rounds()).isEqualTo(progress);
        assertThat(verdict.duration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldFailOnTheFirstRoundAboveTheErrorRateThreshold() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.errorRates.addAll(List.of(0.01, 0.049, 0.051));
        Analysis analysis = new Analysis(settings(null, null), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(10), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds()).hasSize(3);
        assertThat(verdict.finishedAt()).isEqualTo(T0.plusSeconds(180));
        CheckResult errorRate = verdict.lastRound().checks().get(0);
        assertThat(errorRate.name()).isEqualTo("error-rate");
        assertThat(errorRate.shown()).isEqualTo("5.10%");
        assertThat(errorRate.threshold()).isEqualTo("<= 5.00%");
        assertThat(verdict.reason()).isEqualTo("error-rate: 5.10%, allowed <= 5.00% (1 of 1 failures)");
    }

    @Test
    void shouldAccumulateMetricFailuresAcrossPassingRoundsAsFlaggerDoes() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.errorRates.addAll(List.of(0.2, 0.0, 0.0, 0.2, 0.0, 0.2));
        Analysis analysis = new Analysis(settings(null, 3), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(10), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds()).hasSize(6);
        assertThat(verdict.rounds()).extracting(r -> r.checks().get(0).failures()).containsExactly(1, 1, 1, 2, 2, 3);
    }

    @Test
    void shouldCountHealthFailuresOnlyWhileConsecutive() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Deque<Integer> statuses = new ArrayDeque<>(List.of(503, 503, 200, 500, 503, 503, 200));
        server.createContext("/health", e -> {
            e.sendResponseHeaders(statuses.isEmpty() ? 200 : statuses.poll(), -1);
            e.close();
        });
        server.start();
        try {
            FakeTime time = new FakeTime();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health?c={component}&e={environment}";
            Analysis analysis = new Analysis(settings(url, null), TARGET, null, HttpClient.newHttpClient(), time,
                    time.sleeper());
            assertThat(analysis.checkNames()).containsExactly("health-check");

            AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(10), null);

            assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
            assertThat(verdict.rounds()).extracting(r -> r.checks().get(0).failures()).containsExactly(1, 2, 0, 1, 2, 3);
            CheckResult last = verdict.lastRound().checks().get(0);
            assertThat(last.target()).endsWith("/health?c=backend&e=production");
            assertThat(last.shown()).isEqualTo("HTTP 503");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldCountAnUnansweredHealthCheckAsFailed() throws IOException {
        FakeTime time = new FakeTime();
        int port = LocalPrometheus.freePort();
        Analysis analysis = new Analysis(settings("http://127.0.0.1:" + port + "/health", null), TARGET, null,
                HttpClient.newHttpClient(), time, time.sleeper());

        AnalysisRound round = analysis.evaluate();

        assertThat(round.checks().get(0).status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(round.checks().get(0).message()).contains("GET http://127.0.0.1:" + port + "/health failed");
    }

    @Test
    void shouldTreatNoDataAsAFailureByDefault() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.errorRates.add(Double.NaN);
        Analysis analysis = new Analysis(settings(null, null), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(5), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.reason()).contains("error-rate: no data");
    }

    @Test
    void shouldCallItInconclusiveWhenOnlyAnUnreachablePrometheusFailed() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.down = true;
        Analysis analysis = new Analysis(settings(null, null), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(5), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.INCONCLUSIVE);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.rounds()).hasSize(1);
        assertThat(verdict.reason()).contains("unreachable");
    }

    @Test
    void shouldNeverPassWhenPrometheusDidNotAnswerInAnyRoundBelowTheFailureLimit() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.down = true;
        AnalysisSettings tolerant = new AnalysisSettings("http://prometheus:9090", Duration.ofMinutes(1), null, null,
                new AnalysisSettings.ErrorRate("5%", Duration.ofMinutes(5), null, 5),
                new AnalysisSettings.Latency(Duration.ofSeconds(2), Duration.ofMinutes(3), null, null, 5),
                null, List.of());
        Analysis analysis = new Analysis(tolerant, TARGET, prometheus, HttpClient.newHttpClient(), time, time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(3), null);

        assertThat(verdict.rounds()).hasSize(3);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.INCONCLUSIVE);
        assertThat(verdict.reason()).contains("error-rate").contains("latency").contains("unreachable");
    }

    @Test
    void shouldStillPassWhenPrometheusAnsweredSomeRoundsBelowTheFailureLimit() {
        FakeTime time = new FakeTime();
        List<Boolean> up = new ArrayList<>(List.of(false, false, true, true, false, false));
        PrometheusClient flaky = q -> {
            if (!up.remove(0)) {
                throw new PrometheusException("Prometheus at http://p is unreachable: Connection refused");
            }
            return OptionalDouble.of(0.0);
        };
        AnalysisSettings tolerant = new AnalysisSettings("http://prometheus:9090", Duration.ofMinutes(1), null, null,
                new AnalysisSettings.ErrorRate("5%", Duration.ofMinutes(5), null, 5),
                new AnalysisSettings.Latency(Duration.ofSeconds(2), Duration.ofMinutes(3), null, null, 5),
                null, List.of());
        Analysis analysis = new Analysis(tolerant, TARGET, flaky, HttpClient.newHttpClient(), time, time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(3), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.PASSED);
    }

    @Test
    void shouldFailAnyFailedCheckWhenCheckingOnce() {
        FakeTime time = new FakeTime();
        ScriptedPrometheus prometheus = new ScriptedPrometheus();
        prometheus.latencyDefault = 2.5;
        Analysis analysis = new Analysis(settings(null, 3), TARGET, prometheus, HttpClient.newHttpClient(), time,
                time.sleeper());

        AnalysisVerdict verdict = analysis.checkOnce();

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.reason()).startsWith("latency: 2.500s, allowed <= 2s (p99)");
    }

    @Test
    void shouldCheckCustomQueriesAgainstTheirRange() {
        FakeTime time = new FakeTime();
        List<String> asked = new ArrayList<>();
        PrometheusClient prometheus = q -> {
            asked.add(q);
            return q.startsWith("up") ? OptionalDouble.of(1) : OptionalDouble.of(0);
        };
        AnalysisSettings s = new AnalysisSettings("http://p", Duration.ofSeconds(30), null, null, null, null, null,
                List.of(new AnalysisSettings.CustomCheck("replicas-up", "up{namespace=\"{namespace}\"}", 2.0, null, 2)));
        Analysis analysis = new Analysis(s, TARGET, prometheus, HttpClient.newHttpClient(), time, time.sleeper());

        AnalysisVerdict verdict = analysis.runFor(Duration.ofMinutes(5), null);

        assertThat(verdict.outcome()).isEqualTo(AnalysisVerdict.Outcome.FAILED);
        assertThat(verdict.rounds()).hasSize(2);
        CheckResult custom = verdict.lastRound().checks().get(2);
        assertThat(custom.name()).isEqualTo("replicas-up");
        assertThat(custom.threshold()).isEqualTo("in [2.000, +inf]");
        assertThat(asked).contains("up{namespace=\"korea-prod\"}");
    }

    @Test
    void shouldFillQueryTemplates() {
        assertThat(TARGET.fillQuery(Analysis.DEFAULT_ERROR_RATE_QUERY, Duration.ofMinutes(5), null)).isEqualTo(
                "sum(rate(http_requests_total{component=\"backend\",environment=\"production\",version=\"v2\","
                        + "status=~\"5..\"}[5m])) / sum(rate(http_requests_total{component=\"backend\","
                        + "environment=\"production\",version=\"v2\"}[5m]))");
        assertThat(TARGET.fillQuery(Analysis.DEFAULT_LATENCY_QUERY, Duration.ofSeconds(90), 0.95))
                .startsWith("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{")
                .endsWith("version=\"v2\"}[1m30s])))");
        TargetLabels anyVersion = new TargetLabels("backend", "production", null, null);
        assertThat(anyVersion.fillQuery("x{version=\"{version}\",c=\"{component}\"}", Duration.ofMinutes(1), null))
                .isEqualTo("x{version=~\".*\",c=\"backend\"}");
        TargetLabels quoted = new TargetLabels("a\"b", "prod", null, "1");
        assertThat(quoted.fillQuery("x{c=\"{component}\"}", Duration.ofMinutes(1), null)).isEqualTo("x{c=\"a\\\"b\"}");
    }

    @Test
    void shouldRefuseAnAnalysisWithNothingToCheck() {
        assertThatThrownBy(() -> new Analysis(AnalysisSettings.defaults(), TARGET, null, HttpClient.newHttpClient(),
                Clock.systemUTC(), Sleeper.system()))
                .isInstanceOf(KoreaException.class)
                .hasMessageContaining("analysis.prometheus")
                .satisfies(e -> assertThat(((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
