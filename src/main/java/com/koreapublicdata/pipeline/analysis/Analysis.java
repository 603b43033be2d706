package com.koreapublicdata.pipeline.analysis;

import com.koreapublicdata.pipeline.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.AnalysisSettings;
import com.koreapublicdata.pipeline.config.Durations;

/**
 * Automated analysis of a new version, as Flagger does it: every {@code interval} one round evaluates each
 * check once; failed checks are counted, and the analysis fails as soon as one check reaches its limit.
 * <ul>
 * <li>error rate and latency: PromQL over {@code [window]} (the seed's "for 5m" / "for 3m"); each failed round
 * counts, cumulatively over the whole analysis, against {@code failures} (default 1);</li>
 * <li>custom checks: PromQL whose value must stay in [min, max], cumulative against their {@code failures};</li>
 * <li>the health check: HTTP status; consecutive failures against {@code failures} (default 3), a pass resets it.</li>
 * </ul>
 * A query without data counts as a failure unless {@code noData: pass}. When Prometheus cannot answer, the check
 * counts as failed too (fail closed), and a verdict reached only that way is {@code inconclusive}.
 * Kubernetes-free: it only needs the labels of what to look at.
 */
public final class Analysis {

    /** Share of 5xx responses of the new version over the window (0..1). */
    public static final String DEFAULT_ERROR_RATE_QUERY =
            "sum(rate(http_requests_total{component=\"{component}\",environment=\"{environment}\",version=\"{version}\","
                    + "status=~\"5..\"}[{window}])) / sum(rate(http_requests_total{component=\"{component}\","
                    + "environment=\"{environment}\",version=\"{version}\"}[{window}]))";

    /** The {quantile} response time of the new version over the window, in seconds. */
    public static final String DEFAULT_LATENCY_QUERY =
            "histogram_quantile({quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{"
                    + "component=\"{component}\",environment=\"{environment}\",version=\"{version}\"}[{window}])))";

    public static final String ERROR_RATE = "error-rate";
    public static final String LATENCY = "latency";
    public static final String HEALTH_CHECK = "health-check";

    private final AnalysisSettings settings;
    private final TargetLabels target;
    private final PrometheusClient prometheus;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Count> counts = new HashMap<>();
    private int roundNumber;

    /**
     * @param settings   the analysis section of korea.yaml
     * @param target     component, environment, namespace and version the queries are filled with
     * @param prometheus where PromQL checks go; null runs only the health check
     * @param http       client for the health check
     * @param clock      time source (rounds are scheduled on it)
     * @param sleeper    waits between rounds
     * @throws KoreaException (exit 2) when there is nothing to check
     */
    public Analysis(AnalysisSettings settings, TargetLabels target, PrometheusClient prometheus, HttpClient http,
            Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.target = target;
        this.prometheus = prometheus;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        if (prometheus == null && settings.healthCheck().url() == null) {
            throw KoreaException.invalidInput("analysis has nothing to check: set analysis.prometheus (the PromQL "
                    + "checks) or analysis.healthCheck.url in korea.yaml");
        }
        for (AnalysisSettings.CustomCheck c : settings.custom()) {
            if (c.min() == null && c.max() == null) {
                throw KoreaException.invalidInput("analysis.custom " + c.name() + ": give min, max or both; "
                        + "a check without a range can never fail");
            }
        }
        if (interval().isZero() || interval().isNegative()) {
            throw KoreaException.invalidInput("analysis.interval must be longer than 0s");
        }
    }

    /**
     * The analysis korea.yaml describes, against the real Prometheus (if set), network and clock.
     *
     * @param prometheusToken bearer token for Prometheus (from the environment, KOREA_PROMETHEUS_TOKEN), or null
     */
    public static Analysis of(AnalysisSettings settings, TargetLabels target, String prometheusToken) {
        Duration timeout = Duration.ofSeconds(10);
        return new Analysis(settings, target, settings.prometheus() == null ? null
                : PrometheusClient.http(settings.prometheus(), timeout, prometheusToken),
                HttpClient.newBuilder().connectTimeout(settings.healthCheck().timeout()).build(),
                Clock.systemUTC(), Sleeper.system());
    }

    public Duration interval() {
        return settings.interval();
    }

    /** Names of the checks each round runs, in order. */
    public List<String> checkNames() {
        List<String> names = new ArrayList<>();
        if (prometheus != null) {
            names.add(ERROR_RATE);
            names.add(LATENCY);
            settings.custom().forEach(c -> names.add(c.name()));
        }
        if (settings.healthCheck().url() != null) {
            names.add(HEALTH_CHECK);
        }
        return names;
    }

    /** One round now: each check once; failure counts carry over from earlier rounds of this analysis. */
    public AnalysisRound evaluate() {
        Instant now = clock.instant();
        roundNumber++;
        List<CheckResult> checks = new ArrayList<>();
        if (prometheus != null) {
            AnalysisSettings.ErrorRate e = settings.errorRate();
            double ratio = e.ratio();
            checks.add(promql(ERROR_RATE, template(e.query(), DEFAULT_ERROR_RATE_QUERY), e.window(), null,
                    null, ratio, "<= " + percent(ratio), Analysis::percent, e.failures()));
            AnalysisSettings.Latency l = settings.latency();
            double seconds = l.threshold().toNanos() / 1e9;
            checks.add(promql(LATENCY, template(l.query(), DEFAULT_LATENCY_QUERY), l.window(), l.quantile(),
                    null, seconds, "<= " + Durations.format(l.threshold()) + " (p" + quantileName(l.quantile()) + ")",
                    Analysis::seconds, l.failures()));
            for (AnalysisSettings.CustomCheck c : settings.custom()) {
                checks.add(promql(c.name(), c.query(), settings.errorRate().window(), null, c.min(), c.max(),
                        range(c.min(), c.max()), Analysis::number, c.failures()));
            }
        }
        if (settings.healthCheck().url() != null) {
            checks.add(health());
        }
        return new AnalysisRound(roundNumber, now, checks);
    }

    /**
     * Rounds every {@code interval} (the first one interval after the start, so the new version has had traffic)
     * until a check reaches its limit (failed) or {@code duration} is over (passed). When the duration is shorter
     * than the interval, one round runs at its end.
     *
     * @param progress called after each round (for logs); may be null
     */
    public AnalysisVerdict runFor(Duration duration, Consumer<AnalysisRound> progress) {
        Instant start = clock.instant();
        Instant end = start.plus(duration);
        List<AnalysisRound> rounds = new ArrayList<>();
        for (int k = 1; ; k++) {
            Instant next = start.plus(interval().multipliedBy(k));
            if (next.isAfter(end)) {
                if (k > 1) {
                    break;
                }
                next = end;
            }
            sleepUntil(next);
            AnalysisRound round = evaluate();
            rounds.add(round);
            if (progress != null) {
                progress.accept(round);
            }
            if (round.thresholdReached()) {
                return failedVerdict(start, rounds, round);
            }
        }
        List<CheckResult> neverAnswered = neverAnswered(rounds);
        if (!neverAnswered.isEmpty()) {
            // errors below the failure limit must not turn "nothing was measured" into a pass (fail closed)
            return new AnalysisVerdict(AnalysisVerdict.Outcome.INCONCLUSIVE, rounds.size() + " round(s) over "
                    + Durations.format(duration) + " measured nothing for " + describe(neverAnswered),
                    start, clock.instant(), rounds);
        }
        int failedRounds = (int) rounds.stream().filter(AnalysisRound::failed).count();
        return new AnalysisVerdict(AnalysisVerdict.Outcome.PASSED, rounds.size() + " round(s) over "
                + Durations.format(duration) + " stayed within the limits"
                + (failedRounds == 0 ? "" : " (" + failedRounds + " round(s) had failed checks below their limit)"),
                start, clock.instant(), rounds);
    }

    /**
     * One round with no room for repeats: any failed check fails. For a one-off look ({@code korea analyze}
     * without --duration), where limits counting repeated failures cannot apply.
     */
    public AnalysisVerdict checkOnce() {
        Instant start = clock.instant();
        AnalysisRound round = evaluate();
        List<CheckResult> failed = round.checks().stream().filter(CheckResult::failed).toList();
        if (failed.isEmpty()) {
            return new AnalysisVerdict(AnalysisVerdict.Outcome.PASSED, "every check passed", start, clock.instant(),
                    List.of(round));
        }
        boolean onlyErrors = failed.stream().allMatch(c -> c.status() == CheckResult.Status.ERROR);
        return new AnalysisVerdict(onlyErrors ? AnalysisVerdict.Outcome.INCONCLUSIVE : AnalysisVerdict.Outcome.FAILED,
                describe(failed), start, clock.instant(), List.of(round));
    }

    /** The last result of each check that was an error in every round: that check never measured anything. */
    private static List<CheckResult> neverAnswered(List<AnalysisRound> rounds) {
        Map<String, CheckResult> last = new LinkedHashMap<>();
        Set<String> answered = new HashSet<>();
        for (AnalysisRound round : rounds) {
            for (CheckResult c : round.checks()) {
                last.put(c.name(), c);
                if (c.status() != CheckResult.Status.ERROR) {
                    answered.add(c.name());
                }
            }
        }
        return last.values().stream().filter(c -> !answered.contains(c.name())).toList();
    }

    private AnalysisVerdict failedVerdict(Instant start, List<AnalysisRound> rounds, AnalysisRound last) {
        List<CheckResult> reached = last.checks().stream().filter(CheckResult::thresholdReached).toList();
        boolean decided = reached.stream().anyMatch(c -> counts.get(c.name()).realFailures > 0);
        return new AnalysisVerdict(decided ? AnalysisVerdict.Outcome.FAILED : AnalysisVerdict.Outcome.INCONCLUSIVE,
                describe(reached), start, clock.instant(), rounds);
    }

    private static String describe(List<CheckResult> checks) {
        List<String> parts = new ArrayList<>();
        for (CheckResult c : checks) {
            String what = switch (c.status()) {
                case FAIL -> c.shown() + ", allowed " + c.threshold();
                case NO_DATA -> "no data (counted as failed)";
                case ERROR -> c.message();
                case PASS -> "passed";
            };
            parts.add(c.name() + ": " + what + " (" + c.failures() + " of " + c.failureLimit() + " failures)");
        }
        return String.join("; ", parts);
    }

    private void sleepUntil(Instant when) {
        Duration wait = Duration.between(clock.instant(), when);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE, "analysis interrupted", e);
        }
    }

    private CheckResult promql(String name, String template, Duration window, Double quantile, Double min, Double max,
            String threshold, java.util.function.DoubleFunction<String> format, int limit) {
        String query = target.fillQuery(template, window, quantile);
        OptionalDouble value;
        try {
            value = prometheus.query(query);
        } catch (PrometheusException e) {
            return count(name, "promql", query, null, "error", threshold, CheckResult.Status.ERROR, true, limit,
                    e.getMessage());
        }
        if (value.isEmpty()) {
            boolean fails = settings.noData() == AnalysisSettings.NoData.FAIL;
            return count(name, "promql", query, null, "no data", threshold, CheckResult.Status.NO_DATA, fails, limit,
                    fails ? "the query returned no data (no traffic to the new version?); noData: fail" : null);
        }
        double v = value.getAsDouble();
        boolean bad = (min != null && v < min) || (max != null && v > max);
        return count(name, "promql", query, v, format.apply(v), threshold,
                bad ? CheckResult.Status.FAIL : CheckResult.Status.PASS, bad, limit, null);
    }

    private CheckResult health() {
        AnalysisSettings.HealthCheck h = settings.healthCheck();
        String url = target.fillUrl(h.url());
        String threshold = "HTTP " + h.expectedStatus();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(h.timeout()).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            boolean bad = status != h.expectedStatus();
            return count(HEALTH_CHECK, "http", url, (double) status, "HTTP " + status, threshold,
                    bad ? CheckResult.Status.FAIL : CheckResult.Status.PASS, bad, h.failures(), null);
        } catch (IOException | IllegalArgumentException e) {
            // the endpoint not answering is the application's failure, not the pipeline's
            String why = e instanceof java.net.http.HttpTimeoutException ? "no answer within " + Durations.format(h.timeout())
                    : HttpPrometheusClient.describe(e);
            return count(HEALTH_CHECK, "http", url, null, "no answer", threshold, CheckResult.Status.FAIL, true,
                    h.failures(), "GET " + url + " failed: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE, "analysis interrupted", e);
        }
    }

    private CheckResult count(String name, String kind, String target, Double value, String shown, String threshold,
            CheckResult.Status status, boolean failed, int limit, String message) {
        Count c = counts.computeIfAbsent(name, n -> new Count());
        limit = Math.max(1, limit); // a limit of 0 would fail a passing check
        boolean consecutive = HEALTH_CHECK.equals(name);
        if (failed) {
            c.failures++;
            if (status != CheckResult.Status.ERROR) {
                c.realFailures++;
            }
        } else if (consecutive) {
            c.failures = 0;
            c.realFailures = 0;
        }
        return new CheckResult(name, kind, target, value, shown, threshold, status, failed, c.failures, limit,
                c.failures >= limit, message);
    }

    private static String template(String configured, String fallback) {
        return configured == null || configured.isBlank() ? fallback : configured;
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3fs", s);
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String quantileName(double q) {
        String s = String.format(Locale.ROOT, "%s", q * 100);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String range(Double min, Double max) {
        return "in [" + (min == null ? "-inf" : number(min)) + ", " + (max == null ? "+inf" : number(max)) + "]";
    }

    /** Failure counts of one check; cumulative for PromQL checks, consecutive for the health check. */
    private static final class Count {
        int failures;
        int realFailures;
    }
}
