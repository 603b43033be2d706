package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The command contract of the commands that only read (plan, status, history, kpi, analyze, notify, validate): a JSON
 * result written with --output on every exit they can reach, with outcome, changed (always false) and exitCode. The
 * deploy commands' exits are in deploy/DeployExitContractTest (they need the mock cluster).
 */
class ExitContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            project: shop
            components:
              backend: {paths: [be/**]}
            environments:
              staging: {branches: [develop], cluster: staging, namespace: shop, requireScan: false}
            """;

    @TempDir
    Path dir;

    /** Runs one command with --format json --output result.json and returns the result it wrote. */
    private JsonNode exits(int expected, String... args) throws Exception {
        Files.deleteIfExists(dir.resolve("out/result.json"));
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--format", "json", "--output", "out/result.json"}, 0, all, args.length, 4);
        CliRun run = CliRun.in(dir, Map.of("KUBECONFIG", dir.resolve("no-kubeconfig").toString(), "HOME", dir.toString()), all);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(expected);
        assertThat(run.out()).as("the result goes to --output only").isEmpty();
        JsonNode result = JSON.readTree(Files.readString(dir.resolve("out/result.json")));
        if (!result.isArray()) {
            assertThat(result.path("exitCode").asInt(-1)).as(args[0]).isEqualTo(expected);
            assertThat(result.path("changed").isBoolean()).as(args[0] + " changed").isTrue();
            assertThat(result.path("changed").asBoolean(true)).as(args[0] + " changed").isFalse();
            assertThat(result.path("message").isTextual()).as(args[0] + " message").isTrue();
        }
        return result;
    }

    private void config(String yaml) throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), yaml);
    }

    private void invalidConfig() throws Exception {
        config("project: shop\ncomponents:\n  backend: {paths: [be/**], kidn: node}\n");
    }

    private static void assertInvalidKoreaYaml(JsonNode r) {
        assertThat(r.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(r.path("problems").get(0).path("path").asText()).contains("kidn");
        assertThat(r.path("problems").get(0).path("line").asInt()).isEqualTo(3);
    }

    @Test
    void plan() throws Exception {
        config(CONFIG);
        JsonNode ok = exits(0, "plan", "--branch", "develop", "--changed", "be/app.py");
        assertThat(ok.path("outcome").asText()).isEqualTo("passed");
        assertThat(ok.path("environment").asText()).isEqualTo("staging");

        invalidConfig();
        assertInvalidKoreaYaml(exits(2, "plan", "--branch", "develop"));

        config(CONFIG);
        JsonNode both = exits(2, "plan", "--branch", "develop", "--changed", "be/a", "--base", "HEAD~1");
        assertThat(both.path("message").asText()).contains("--changed and --base exclude each other");
        assertThat(both.path("branch").asText()).isEqualTo("develop");
    }

    @Test
    void status() throws Exception {
        config(CONFIG);
        // a cluster that cannot be reached is reported, not fatal: the documented array
        JsonNode ok = exits(0, "status", "--environment", "staging");
        assertThat(ok.isArray()).isTrue();
        assertThat(ok.get(0).path("component").asText()).isEqualTo("backend");

        invalidConfig();
        assertInvalidKoreaYaml(exits(2, "status"));
    }

    @Test
    void history() throws Exception {
        config(CONFIG);
        assertThat(exits(0, "history").isArray()).isTrue();

        JsonNode limit = exits(2, "history", "--limit", "0", "--component", "backend");
        assertThat(limit.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(limit.path("component").asText()).isEqualTo("backend");

        invalidConfig();
        assertInvalidKoreaYaml(exits(2, "history"));
    }

    @Test
    void kpi() throws Exception {
        config(CONFIG);
        JsonNode ok = exits(0, "kpi");
        assertThat(ok.path("outcome").asText()).isEqualTo("passed");
        assertThat(ok.path("kpis").isArray()).isTrue();

        JsonNode since = exits(2, "kpi", "--since", "lately", "--environment", "staging");
        assertThat(since.path("message").asText()).contains("--since lately");
        assertThat(since.path("environment").asText()).isEqualTo("staging");

        Files.createDirectories(dir.resolve(".korea/deployments.jsonl")); // a log that cannot be read
        JsonNode unreadable = exits(1, "kpi");
        assertThat(unreadable.path("outcome").asText()).isEqualTo("failed");

        invalidConfig();
        assertInvalidKoreaYaml(exits(2, "kpi"));
    }

    @Test
    void analyze() throws Exception {
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        health.start();
        try {
            config(CONFIG + "analysis:\n  healthCheck: {url: 'http://127.0.0.1:" + health.getAddress().getPort()
                    + "/health', failures: 1}\n");
            JsonNode refused = exits(10, "analyze", "--component", "backend", "--environment", "staging");
            assertThat(refused.path("outcome").asText()).isEqualTo("refused");
            assertThat(refused.path("verdict").path("outcome").asText()).isEqualTo("failed");

            health.removeContext("/health");
            health.createContext("/health", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            JsonNode passed = exits(0, "analyze", "--component", "backend", "--environment", "staging");
            assertThat(passed.path("outcome").asText()).isEqualTo("passed");
        } finally {
            health.stop(0);
        }

        config(CONFIG + "analysis:\n  prometheus: http://127.0.0.1:" + com.koreapublicdata.pipeline.analysis.LocalPrometheus.freePort() + "\n");
        JsonNode inconclusive = exits(1, "analyze", "--component", "backend", "--environment", "staging");
        assertThat(inconclusive.path("outcome").asText()).isEqualTo("failed");
        assertThat(inconclusive.path("verdict").path("outcome").asText()).isEqualTo("inconclusive");

        JsonNode unknown = exits(2, "analyze", "--component", "payments", "--environment", "staging");
        assertThat(unknown.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(unknown.path("component").asText()).isEqualTo("payments");
    }

    @Test
    void notifyCommand() throws Exception {
        config(CONFIG);
        JsonNode notConfigured = exits(0, "notify", "--event", "started", "--component", "backend");
        assertThat(notConfigured.path("status").asText()).isEqualTo("not-configured");
        assertThat(notConfigured.path("outcome").asText()).isEqualTo("skipped");

        JsonNode unknown = exits(2, "notify", "--event", "started", "--component", "payments");
        assertThat(unknown.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(unknown.path("event").asText()).isEqualTo("started");

        invalidConfig();
        assertInvalidKoreaYaml(exits(2, "notify", "--event", "started", "--component", "backend"));
    }

    @Test
    void validate() throws Exception {
        config(CONFIG);
        JsonNode valid = exits(0, "validate");
        assertThat(valid.path("outcome").asText()).isEqualTo("passed");
        assertThat(valid.path("valid").asBoolean(false)).isTrue();

        invalidConfig();
        JsonNode invalid = exits(2, "validate");
        assertInvalidKoreaYaml(invalid);
        assertThat(invalid.path("valid").asBoolean(true)).isFalse();
        assertThat(invalid.path("problems").get(0).path("file").asText()).endsWith("korea.yaml");
    }
}
