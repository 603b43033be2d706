package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** korea promote tells Slack what it does, and Slack being down never changes the deploy's outcome. */
class PromoteNotificationTest {
    private static final String IMAGE = "korea-public-data-frontend@sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private Path example() throws IOException {
        Path source = CliRun.PROJECT.resolve("examples/monorepo");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.filter(p -> !p.toString().contains("/.korea")).toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir.resolve("korea.yaml");
    }

    @Test
    void shouldSucceedAndWarnWhenSlackIsUnreachable() throws Exception {
        Path config = example();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String webhook = "http://127.0.0.1:" + closedPort + "/services/T0000/B0000/SeCrEtWeBhOoKpart";

        CliRun run = CliRun.in(dir, Map.of("KOREA_SLACK_WEBHOOK_URL", webhook), "promote", "-c", config.toString(),
                "--component", "frontend", "--environment", "development", "--image", IMAGE, "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"outcome\" : \"deployed\"");
        assertThat(run.err()).contains("warning");
        assertThat(run.out() + run.err()).doesNotContain("SeCrEtWeBhOoKpart").doesNotContain(webhook);
    }

    @Test
    void shouldPostStartedAndSuccessfulDeploymentsToTheWebhook() throws Exception {
        Path config = example();
        List<String> posts = Collections.synchronizedList(new ArrayList<>());
        HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
        try {
            String webhook = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T1/B1/tokenpart";
            CliRun run = CliRun.in(dir, Map.of("KOREA_SLACK_WEBHOOK_URL", webhook, "BUILD_URL", "https://ci.example/job/7/"),
                    "promote", "-c", config.toString(), "--component", "frontend", "--environment", "development",
                    "--image", IMAGE);

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(posts).hasSize(2);
            assertThat(posts.get(0)).contains("Deployment started", "development", "frontend");
            assertThat(posts.get(1)).contains("Deployment successful", "development", "frontend", "https://ci.example/job/7/");
            assertThat(run.out() + run.err()).doesNotContain("tokenpart");
        } finally {
            slack.stop(0);
        }
    }

    @Test
    void shouldAlertWhenTheScanGateRefusesAnImage() throws Exception {
        Path config = example();
        List<String> posts = Collections.synchronizedList(new ArrayList<>());
        HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        slack.start();
        try {
            Path report = CliRun.PROJECT.resolve("src/test/resources/com/koreapublicdata/pipeline/scan/trivy-0.58-image.json");
            CliRun run = CliRun.in(dir, Map.of("KOREA_SLACK_WEBHOOK_URL",
                    "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T1/B1/x"),
                    "scan", "-c", config.toString(), "--report", report.toString(), "--component", "backend");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(10);
            assertThat(posts).singleElement().asString().contains("backend", "blocking");
        } finally {
            slack.stop(0);
        }
    }
}
