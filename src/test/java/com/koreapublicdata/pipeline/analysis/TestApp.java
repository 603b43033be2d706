package com.koreapublicdata.pipeline.analysis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny service on 127.0.0.1 instrumented like a real one: http_requests_total{status} and the
 * http_request_duration_seconds histogram on /metrics, /api doing the work, /health for the health check.
 * {@link #drive()} sends it real requests; the mode decides how it answers. With {@link #version(String)} its
 * series carry a {@code version} label themselves (as an app reporting its own version does); with
 * {@link #metricsStatus(int)} its /metrics endpoint fails, so Prometheus stops getting samples.
 */
public final class TestApp implements AutoCloseable {
    public enum Mode { HEALTHY, ERRORS, SLOW }

    private static final double[] BUCKETS = {0.05, 0.1, 0.2, 0.5, 1, 2};
    private final HttpServer server;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.HEALTHY);
    private volatile int healthStatus = 200;
    private volatile int metricsStatus = 200;
    private volatile String version;
    private volatile double delayMillis;
    private volatile double spreadMillis;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong[] bucketCounts = new AtomicLong[BUCKETS.length];
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumMicros = new AtomicLong();
    private volatile boolean driving;
    private Thread driver;

    public TestApp() throws IOException {
        for (int i = 0; i < BUCKETS.length; i++) {
            bucketCounts[i] = new AtomicLong();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-app");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", this::metrics);
        server.createContext("/api", this::api);
        server.createContext("/health", e -> respond(e, healthStatus, "health\n"));
        server.start();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public String healthUrl() {
        return "http://" + hostPort() + "/health";
    }

    public void mode(Mode m) {
        mode.set(m);
    }

    public void healthStatus(int status) {
        healthStatus = status;
    }

    /**
     * Every /api request takes {@code millis} plus a uniform spread of {@code +-spread} (same median, more noise
     * with a larger spread); in SLOW mode the 300ms come on top.
     */
    public void delays(double millis, double spread) {
        delayMillis = millis;
        spreadMillis = spread;
    }

    /** The version label on every series; null: none (the scrape config may add one). */
    public void version(String v) {
        version = v;
    }

    /** Answers /metrics with this status; anything but 200 makes the scrape fail. */
    public void metricsStatus(int status) {
        metricsStatus = status;
    }

    /** Sends about 20 requests a second to /api until closed. */
    public void drive() {
        driving = true;
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/api"))
                .timeout(Duration.ofSeconds(5)).build();
        driver = new Thread(() -> {
            while (driving) {
                try {
                    client.send(request, HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(50);
                } catch (IOException e) {
                    // keep driving
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-app-driver");
        driver.setDaemon(true);
        driver.start();
    }

    private void api(HttpExchange e) throws IOException {
        long start = System.nanoTime();
        Mode m = mode.get();
        double delay = delayMillis + (spreadMillis == 0 ? 0
                : (java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 2 - 1) * spreadMillis);
        if (delay > 0) {
            try {
                Thread.sleep((long) delay, (int) ((delay - Math.floor(delay)) * 1e6));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        if (m == Mode.SLOW) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        int status = m == Mode.ERRORS && (ok.get() + errors.get()) % 3 == 0 ? 500 : 200;
        respond(e, status, "work\n");
        double seconds = (System.nanoTime() - start) / 1e9;
        (status == 500 ? errors : ok).incrementAndGet();
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts[i].incrementAndGet();
            }
        }
        count.incrementAndGet();
        sumMicros.addAndGet((long) (seconds * 1e6));
    }

    private void metrics(HttpExchange e) throws IOException {
        if (metricsStatus != 200) {
            respond(e, metricsStatus, "unavailable\n");
            return;
        }
        String v = version == null ? "" : "version=\"" + version + "\",";
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE http_requests_total counter\n");
        sb.append("http_requests_total{").append(v).append("status=\"200\"} ").append(ok.get()).append('\n');
        sb.append("http_requests_total{").append(v).append("status=\"500\"} ").append(errors.get()).append('\n');
        sb.append("# TYPE http_request_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append("http_request_duration_seconds_bucket{").append(v).append("le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts[i].get()).append('\n');
        }
        sb.append("http_request_duration_seconds_bucket{").append(v).append("le=\"+Inf\"} ").append(count.get()).append('\n');
        sb.append("http_request_duration_seconds_sum").append(v.isEmpty() ? "" : "{" + v.substring(0, v.length() - 1) + "}").append(' ')
                .append(String.format(Locale.ROOT, "%.6f", sumMicros.get() / 1e6)).append('\n');
        sb.append("http_request_duration_seconds_count").append(v.isEmpty() ? "" : "{" + v.substring(0, v.length() - 1) + "}").append(' ').append(count.get()).append('\n');
        respond(e, 200, sb.toString());
    }

    private static void respond(HttpExchange e, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        driving = false;
        if (driver != null) {
            driver.interrupt();
        }
        server.stop(0);
    }
}
