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
                    "--image", IMAGE, "--approved-by", "alice", "--reason", "CAB-42");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(posts).hasSize(2);
            // issue 17: started says who approved and why (the pipeline sends no separate approved message)
            assertThat(posts.get(0)).contains("Deployment started", "development", "frontend", "approved by alice: CAB-42");
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

    /** The example with development frozen (olivia may break the glass) and Slack at {@code slack}. */
    private Path frozenExample(com.koreapublicdata.pipeline.notify.FakeSlack slack) throws IOException {
        Path config = example();
        String yaml = Files.readString(config);
        String development = "    requireScan: false\n    allowMissingScanner: true\n";
        assertThat(yaml).contains(development).contains("notifications:\n");
        Files.writeString(config, yaml.replaceFirst(java.util.regex.Pattern.quote(development), development
                + "    freeze:\n      - {from: '2020-01-01', to: '2100-01-01', timezone: Asia/Seoul, reason: year-end, breakGlass: [olivia]}\n")
                .replace("notifications:\n", "notifications:\n  apiUrl: " + slack.apiUrl() + "\n"));
        return config;
    }

    @Test
    void shouldAnnounceABrokenFreezeToTheAlertsChannelAndRecordItWithTheApprovalReason() throws Exception {
        try (com.koreapublicdata.pipeline.notify.FakeSlack slack = new com.koreapublicdata.pipeline.notify.FakeSlack()) {
            Path config = frozenExample(slack);
            Map<String, String> env = Map.of("KOREA_SLACK_TOKEN", "xoxb-not-a-real-token");

            CliRun frozen = CliRun.in(dir, Map.of(), "promote", "-c", config.toString(), "--component", "frontend",
                    "--environment", "development", "--image", IMAGE, "--format", "json");
            assertThat(frozen.exitCode()).as(frozen.err()).isEqualTo(10);
            assertThat(frozen.out()).contains("development is frozen until 2100-01-01T00:00+09:00")
                    .contains("--break-glass REASON by one of [olivia] (environments.development.freeze[0])");

            CliRun run = CliRun.in(dir, env, "promote", "-c", config.toString(), "--component", "frontend",
                    "--environment", "development", "--image", IMAGE, "--requested-by", "olivia", "--break-glass",
                    "payments down", "--approved-by", "alice", "--approved-by", "bob", "--reason", "hotfix INC-7",
                    "--format", "json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            List<Map<String, String>> posts = slack.requests("/api/chat.postMessage").stream()
                    .map(com.koreapublicdata.pipeline.notify.FakeSlack.Request::form).toList();
            assertThat(posts).filteredOn(p -> "#alerts".equals(p.get("channel"))).singleElement().satisfies(p ->
                    assertThat(p.get("text")).contains("Freeze broken: development - frontend")
                            .contains("break-glass by olivia during").contains("payments down"));
            assertThat(posts).filteredOn(p -> p.get("text").contains("Deployment successful")).singleElement()
                    .satisfies(p -> assertThat(p.get("text")).contains("(approved by alice, bob: hotfix INC-7)"));

            CliRun history = CliRun.in(dir, env, "history", "-c", config.toString(), "--format", "json");
            com.fasterxml.jackson.databind.JsonNode last = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(history.out()).get(0);
            assertThat(last.path("outcome").asText()).isEqualTo("deployed");
            assertThat(last.path("approver").asText()).isEqualTo("alice, bob");
            assertThat(last.path("approvalReason").asText()).isEqualTo("hotfix INC-7");
            assertThat(last.path("requestedBy").asText()).isEqualTo("olivia");
            assertThat(last.path("breakGlass").asText()).startsWith("break-glass by olivia during").endsWith(": payments down");

            CliRun text = CliRun.in(dir, env, "history", "-c", config.toString());
            assertThat(text.out()).contains("approved by alice, bob: hotfix INC-7").contains("break-glass by olivia");
        }
    }
}
