package com.koreapublicdata.pipeline.metrics;

import com.koreapublicdata.pipeline.AtomicFiles;
import com.koreapublicdata.pipeline.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.koreapublicdata.pipeline.config.MetricsSettings;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * Deployment metrics in the Prometheus text format, computed from the whole deployment log so counters only
 * ever grow, whichever CLI run (or agent) publishes them. Always written to the metrics file; pushed to the
 * Pushgateway (replacing the job's group) when one is configured. A failed push is a warning.
 */
public final class DeploymentMetrics {
    public static final String DEPLOYMENTS_TOTAL = "korea_deployments_total";
    public static final String DEPLOYMENT_DURATION = "korea_deployment_duration_seconds";
    public static final String ROLLBACKS_TOTAL = "korea_rollbacks_total";
    public static final String ROLLBACK_DURATION = "korea_rollback_duration_seconds";
    public static final String LAST_SUCCESS = "korea_last_successful_deployment_timestamp_seconds";
    public static final String ROLLOUT_ACTIVE = "korea_rollout_active_seconds";
    public static final String ROLLOUT_PAUSED = "korea_rollout_paused_seconds";
    public static final String ROLLOUT_APPROVAL = "korea_rollout_approval_seconds";

    /** Every metric name this class emits (histograms add _bucket, _sum and _count series). */
    public static final List<String> METRIC_NAMES =
            List.of(DEPLOYMENTS_TOTAL, DEPLOYMENT_DURATION, ROLLBACKS_TOTAL, ROLLBACK_DURATION, LAST_SUCCESS,
                    ROLLOUT_ACTIVE, ROLLOUT_PAUSED, ROLLOUT_APPROVAL);

    /** Upper bounds of the deploy-duration buckets, seconds; 600 is the seed's 10-minute goal. */
    static final double[] DEPLOY_BUCKETS = {30, 60, 120, 300, 600, 900, 1800, 3600};
    /** Upper bounds of the rollback-duration buckets, seconds; 180 is the seed's 3-minute goal. */
    static final double[] ROLLBACK_BUCKETS = {10, 30, 60, 120, 180, 300, 600};

    static final String SUCCESS = "success";
    static final String FAILED = "failed";
    static final String AUTOMATIC = "automatic";
    static final String MANUAL = "manual";

    private final MetricsSettings settings;
    private final Path file;
    /** Made when a push is due: the JDK's client sets up TLS when it is built, a tenth of a promotion's start. */
    private final Supplier<HttpClient> http;

    /**
     * @param settings the metrics section of korea.yaml
     * @param baseDir  korea.yaml's folder, which {@code metrics.file} is relative to
     */
    public DeploymentMetrics(MetricsSettings settings, Path baseDir) {
        this(settings, baseDir, () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public DeploymentMetrics(MetricsSettings settings, Path baseDir, HttpClient http) {
        this(settings, baseDir, () -> http);
    }

    private DeploymentMetrics(MetricsSettings settings, Path baseDir, Supplier<HttpClient> http) {
        this.settings = settings;
        this.file = baseDir.resolve(settings.file()).normalize();
        this.http = http;
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one promotion or rollback to the log, then publishes the metrics of the whole log: what a deploy
     * or rollback calls when it finishes. Appending can fail (the log is the record of truth); publishing cannot.
     */
    public PublishResult record(DeploymentLog log, DeploymentRecord finished) {
        log.append(finished);
        return publish(log);
    }

    /** Renders and publishes everything in the log. */
    public PublishResult publish(DeploymentLog log) {
        return publish(log.read());
    }

    /**
     * Writes the metrics for {@code all} records to the file and, when configured, pushes them. Never throws for
     * an unwritable file or a failed push: metrics must not fail a deploy, so both come back as warnings.
     */
    public PublishResult publish(List<DeploymentRecord> all) {
        String text = render(all);
        List<String> warnings = new ArrayList<>();
        boolean written = write(text, warnings);
        String pushed = null;
        if (settings.pushgateway() != null && !settings.pushgateway().isBlank()) {
            pushed = push(text, warnings);
        }
        return new PublishResult(file, written, pushed, warnings);
    }

    /** The Pushgateway group URL on success (without credentials), null (and a warning) otherwise. */
    private String push(String text, List<String> warnings) {
        String configured = settings.pushgateway().endsWith("/")
                ? settings.pushgateway().substring(0, settings.pushgateway().length() - 1) : settings.pushgateway();
        // user:password in the URL is sent as basic auth (the JDK client ignores it) and never shown
        String userInfo = userInfo(configured);
        String base = userInfo == null ? configured : configured.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/]*@", "$1");
        String group = base + "/metrics/job/" + URLEncoder.encode(settings.job(), StandardCharsets.UTF_8).replace("+", "%20");
        try {
            // PUT replaces the whole group: the log is the source of truth, so stale series must go
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(group))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .PUT(HttpRequest.BodyPublishers.ofString(text));
            if (userInfo != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return group;
            }
            warnings.add(hide("Pushgateway " + group + " answered HTTP " + response.statusCode() + ": "
                    + response.body().strip(), userInfo));
        } catch (IOException | IllegalArgumentException e) {
            warnings.add(hide("cannot push metrics to " + group + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), userInfo));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warnings.add("interrupted while pushing metrics to " + group);
        }
        return null;
    }

    /** The {@code user:password} of an http(s) URL, or null. */
    private static String userInfo(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/]*)@").matcher(url);
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }

    /** Removes the credentials (as written and decoded) from a message. */
    private static String hide(String message, String userInfo) {
        if (userInfo == null) {
            return message;
        }
        String out = message.replace(userInfo, "***");
        int colon = userInfo.indexOf(':');
        if (colon >= 0 && colon + 1 < userInfo.length()) {
            String password = userInfo.substring(colon + 1);
            out = out.replace(password, "***")
                    .replace(URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8), "***");
        }
        return out;
    }

    /** The Prometheus text exposition for {@code all} records. Deterministic: same log, same text. */
    public static String render(List<DeploymentRecord> all) {
        Map<String, Long> deployments = new TreeMap<>();
        Map<String, Histogram> deployDurations = new TreeMap<>();
        Map<String, Long> rollbacks = new TreeMap<>();
        Map<String, Histogram> rollbackDurations = new TreeMap<>();
        Map<String, Double> lastSuccess = new TreeMap<>();
        Map<String, Histogram> active = new TreeMap<>();
        Map<String, Histogram> paused = new TreeMap<>();
        Map<String, Histogram> approval = new TreeMap<>();

        for (DeploymentRecord r : all) {
            String envComp = labels("environment", r.environment(), "component", r.component())
                    // one cluster of a waves promotion; records without one keep their series as they were
                    + (r.cluster() == null ? "" : "," + label("cluster", r.cluster()));
            for (String trigger : List.of(AUTOMATIC, MANUAL)) {
                // zero series first, so increase() sees the first rollback ever
                rollbacks.putIfAbsent(envComp + "," + label("trigger", trigger), 0L);
                rollbackDurations.computeIfAbsent(envComp + "," + label("trigger", trigger),
                        k -> new Histogram(ROLLBACK_BUCKETS));
            }
            if (DeploymentRecord.ROLLBACK.equals(r.kind())) {
                String key = envComp + "," + label("trigger", MANUAL);
                rollbacks.merge(key, 1L, Long::sum);
                rollbackDurations.get(key).observe(r.durationSeconds());
                continue;
            }
            String status = status(r);
            if (status == null) {
                continue;
            }
            String base = envComp + "," + label("strategy", r.strategy() == null ? "" : r.strategy());
            deployments.putIfAbsent(base + "," + label("status", SUCCESS), 0L);
            deployments.putIfAbsent(base + "," + label("status", FAILED), 0L);
            deployments.merge(base + "," + label("status", status), 1L, Long::sum);
            Histogram durations = deployDurations.computeIfAbsent(base, k -> new Histogram(DEPLOY_BUCKETS));
            {
                // every finished promotion (a budget is about failed ones too); one without the split (GitOps, older
                // records) had no pauses we know of, so all its time counts as active, as in the KPIs
                String key = base + "," + label("status", status);
                active.computeIfAbsent(key, k -> new Histogram(DEPLOY_BUCKETS)).observe(r.workingSeconds());
                paused.computeIfAbsent(key, k -> new Histogram(DEPLOY_BUCKETS))
                        .observe(r.pausedSeconds() == null ? 0 : r.pausedSeconds());
                approval.computeIfAbsent(key, k -> new Histogram(DEPLOY_BUCKETS))
                        .observe(r.approvalSeconds() == null ? 0 : r.approvalSeconds());
            }
            if (SUCCESS.equals(status)) {
                durations.observe(r.durationSeconds());
                if (r.time() != null) {
                    lastSuccess.merge(envComp, r.time().toEpochMilli() / 1000.0, Math::max);
                }
            }
            if (automaticRollback(r)) {
                String key = envComp + "," + label("trigger", AUTOMATIC);
                rollbacks.merge(key, 1L, Long::sum);
                if (r.rollbackSeconds() != null) {
                    rollbackDurations.get(key).observe(r.rollbackSeconds());
                }
            }
        }

        StringBuilder out = new StringBuilder();
        counter(out, DEPLOYMENTS_TOTAL, "Finished promotions by outcome: success (deployed) or failed (failed, "
                + "rolled back, rollback failed). Refused and paused promotions are not counted.", deployments);
        histogram(out, DEPLOYMENT_DURATION, "How long successful promotions took, seconds.", deployDurations);
        counter(out, ROLLBACKS_TOTAL, "Rollbacks: automatic (analysis or timeout during a promotion) or manual "
                + "(korea rollback).", rollbacks);
        histogram(out, ROLLBACK_DURATION, "How long rollbacks took, seconds.", rollbackDurations);
        histogram(out, ROLLOUT_ACTIVE, "Time finished promotions were working, seconds: canary pauses, blue-green waits "
                + "for promotion and approval waits left out (what rollout.budget.active limits).", active);
        histogram(out, ROLLOUT_PAUSED, "Time finished promotions spent in canary pauses and blue-green waits for "
                + "promotion, seconds.", paused);
        histogram(out, ROLLOUT_APPROVAL, "Time finished promotions waited for a person to promote them (korea rollout "
                + "promote after awaiting-promotion), seconds.", approval);
        out.append("# HELP ").append(LAST_SUCCESS).append(" When the component last deployed successfully here, "
                + "Unix seconds.\n# TYPE ").append(LAST_SUCCESS).append(" gauge\n");
        lastSuccess.forEach((k, v) -> out.append(LAST_SUCCESS).append('{').append(k).append("} ")
                .append(number(v)).append('\n'));
        return out.toString();
    }

    /** success, failed, or null for promotions that did not finish (refused by a gate, paused for promotion). */
    static String status(DeploymentRecord r) {
        if (r.outcome() == null) {
            return FAILED;
        }
        return switch (r.outcome()) {
            case DEPLOYED -> SUCCESS;
            case REFUSED, AWAITING_PROMOTION, LOCKED, INVALID_INPUT, SKIPPED -> null;
            default -> FAILED;
        };
    }

    static boolean automaticRollback(DeploymentRecord r) {
        return DeploymentRecord.PROMOTION.equals(r.kind())
                && (r.outcome() == Outcome.ROLLED_BACK || r.outcome() == Outcome.ROLLBACK_FAILED);
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, Long> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        series.forEach((k, v) -> out.append(name).append('{').append(k).append("} ").append(v).append('\n'));
    }

    private static void histogram(StringBuilder out, String name, String help, Map<String, Histogram> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        series.forEach((k, h) -> {
            for (int i = 0; i < h.bounds.length; i++) {
                out.append(name).append("_bucket{").append(k).append(",le=\"").append(number(h.bounds[i])).append("\"} ")
                        .append(h.counts[i]).append('\n');
            }
            out.append(name).append("_bucket{").append(k).append(",le=\"+Inf\"} ").append(h.count).append('\n');
            out.append(name).append("_sum{").append(k).append("} ").append(number(h.sum)).append('\n');
            out.append(name).append("_count{").append(k).append("} ").append(h.count).append('\n');
        });
    }

    private static String labels(String k1, String v1, String k2, String v2) {
        return label(k1, v1) + "," + label(k2, v2);
    }

    private static String label(String key, String value) {
        String v = value == null ? "" : value;
        return key + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private boolean write(String text, List<String> warnings) {
        try {
            // readers (a node-exporter textfile collector) never see half a file
            AtomicFiles.write(file, text);
            return true;
        } catch (IOException e) {
            warnings.add("cannot write metrics to " + file + ": " + e);
            return false;
        }
    }

    /** Cumulative buckets, as Prometheus histograms are. */
    private static final class Histogram {
        final double[] bounds;
        final long[] counts;
        long count;
        double sum;

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new long[bounds.length];
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i]++;
                }
            }
            count++;
            sum += v;
        }
    }

    /** The names of the series in the exposition (a histogram's are its _bucket, _sum and _count). */
    public static List<String> seriesNames() {
        List<String> names = new ArrayList<>();
        for (String n : METRIC_NAMES) {
            if (n.equals(DEPLOYMENT_DURATION) || n.equals(ROLLBACK_DURATION) || n.equals(ROLLOUT_ACTIVE)
                    || n.equals(ROLLOUT_PAUSED) || n.equals(ROLLOUT_APPROVAL)) {
                names.add(n + "_bucket");
                names.add(n + "_sum");
                names.add(n + "_count");
            } else {
                names.add(n);
            }
        }
        return names;
    }
}
