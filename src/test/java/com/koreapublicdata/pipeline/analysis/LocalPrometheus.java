package com.koreapublicdata.pipeline.analysis;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (and optionally a Pushgateway) from the Debian packages, on free loopback ports with
 * their own temporary data directory, scrape interval 1s. Absent binaries skip the test locally and fail it
 * when CI is set: install them with .ci/install-prometheus.sh.
 */
public final class LocalPrometheus implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final String url;
    private final String pushgatewayUrl;

    private LocalPrometheus(Path dir, String url, String pushgatewayUrl) {
        this.dir = dir;
        this.url = url;
        this.pushgatewayUrl = pushgatewayUrl;
    }

    /** Skips (locally) or fails (CI) when a binary is missing. */
    public static void requireBinaries(String... names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (which(name) == null) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = String.join(", ", missing) + " not installed; run .ci/install-prometheus.sh "
                + "(apt-get install prometheus prometheus-pushgateway)";
        if (System.getenv("CI") != null) {
            fail(message + " -- CI is set, so this is a failure, not a skip");
        }
        Assumptions.assumeTrue(false, message);
    }

    /**
     * Starts Prometheus scraping each {@code targets} entry (host:port to its labels) as job "app", and, when
     * {@code withPushgateway}, a Pushgateway scraped with honor_labels.
     */
    public static LocalPrometheus start(Map<String, Map<String, String>> targets, boolean withPushgateway)
            throws IOException, InterruptedException {
        requireBinaries(withPushgateway ? new String[] {"prometheus", "prometheus-pushgateway"}
                : new String[] {"prometheus"});
        Path dir = Files.createTempDirectory("korea-prometheus-");
        String pushgateway = null;
        LocalPrometheus p;
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n");
        if (!targets.isEmpty()) {
            config.append("  - job_name: app\n    static_configs:\n");
            targets.forEach((target, labels) -> {
                config.append("      - targets: ['").append(target).append("']\n        labels:\n");
                labels.forEach((k, v) -> config.append("          ").append(k).append(": '").append(v).append("'\n"));
            });
        }
        int pushPort = 0;
        if (withPushgateway) {
            pushPort = freePort();
            pushgateway = "http://127.0.0.1:" + pushPort;
            config.append("  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n"
                    + "      - targets: ['127.0.0.1:").append(pushPort).append("']\n");
        }
        Files.writeString(dir.resolve("prometheus.yml"), config.toString(), StandardCharsets.UTF_8);
        int port = freePort();
        p = new LocalPrometheus(dir, "http://127.0.0.1:" + port, pushgateway);
        try {
            if (withPushgateway) {
                p.spawn("pushgateway.log", "prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + pushPort);
                p.awaitReady(pushgateway + "/-/ready");
            }
            p.spawn("prometheus.log", "prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--log.level=warn");
            p.awaitReady(p.url + "/-/ready");
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            p.close();
            throw e;
        }
        return p;
    }

    public String url() {
        return url;
    }

    public String pushgatewayUrl() {
        return pushgatewayUrl;
    }

    private void spawn(String log, String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
        processes.add(process);
    }

    private void awaitReady(String readyUrl) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    fail(readyUrl + ": process exited: " + logs());
                }
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(readyUrl))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail(readyUrl + " not ready after 20s: " + logs());
    }

    private String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                sb.append('\n').append(f.getFileName()).append(":\n").append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
