package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON result is written on the exits that end a command before it has its own result. */
class ResultOnEveryExitTest {
    private static final String CONFIG = """
            project: shop
            components:
              web: {paths: [web/**], kind: node}
            environments:
              staging: {branches: [staging], cluster: staging, namespace: shop, requireScan: false}
            """;

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void shouldWriteInvalidInputWithEveryProblemForAnInvalidKoreaYaml(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), "project: shop\ncomponents:\n  web: {paths: [web/**], kidn: node}\n");
        for (String[] args : new String[][] {
            {"promote", "--component", "web", "--environment", "staging", "--image", "r/web:1", "--format", "json"},
            {"rollback", "--component", "web", "--environment", "staging", "--format", "json"},
            {"build", "--component", "web", "--format", "json"},
            {"run", "--branch", "staging", "--format", "json"}}) {
            CliRun run = CliRun.in(dir, Map.of(), args);
            assertThat(run.exitCode()).as(args[0] + ": " + run.err()).isEqualTo(2);
            JsonNode r = json(run.out());
            assertThat(r.path("outcome").asText()).isEqualTo("invalid-input");
            assertThat(r.path("changed").asBoolean(true)).isFalse();
            assertThat(r.path("exitCode").asInt()).isEqualTo(2);
            assertThat(r.path("problems").get(0).path("path").asText()).contains("kidn");
            assertThat(r.path("problems").get(0).path("line").asInt()).isEqualTo(3);
            assertThat(r.path("problems").get(0).path("file").asText()).endsWith("korea.yaml");
        }
    }

    @Test
    void shouldWriteInvalidInputForAUsageErrorEvenWhenFormatAndOutputComeAfterIt(@TempDir Path dir) throws Exception {
        // the Jenkins steps put --format and --output last; picocli stops at the bad option before reading them
        Files.writeString(dir.resolve("korea.yaml"), CONFIG);
        for (String[] args : new String[][] {
            {"promote", "--component", "web", "--environment", "staging", "--image", "-host.example/web:1",
                "--format", "json", "--output", "out/promote.json"},
            {"rollback", "--component", "web", "--no-such-option", "--format=json", "--output=out/promote.json"}}) {
            Files.deleteIfExists(dir.resolve("out/promote.json"));
            CliRun run = CliRun.in(dir, Map.of(), args);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            JsonNode r = json(Files.readString(dir.resolve("out/promote.json")));
            assertThat(r.path("outcome").asText()).isEqualTo("invalid-input");
            assertThat(r.path("changed").asBoolean(true)).isFalse();
            assertThat(r.path("exitCode").asInt()).isEqualTo(2);
            assertThat(r.path("component").asText()).isEqualTo("web");
            assertThat(r.path("message").asText()).isNotBlank();
        }
        // text format: nothing is written, the message is on stderr as before
        CliRun text = CliRun.in(dir, Map.of(), "promote", "--component", "web", "--bogus", "--output", "out/text.txt");
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(dir.resolve("out/text.txt")).doesNotExist();
        assertThat(text.err()).contains("Run 'korea promote --help'");
    }

    @Test
    void shouldWriteFailedNamingTheMissingKubeContextAndTheOnesThatExist(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), CONFIG);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:1"}
                users:
                - name: u
                  user: {token: secret-token-value}
                contexts:
                - name: dev
                  context: {cluster: c, user: u}
                - name: prod
                  context: {cluster: c, user: u}
                current-context: dev
                """);
        CliRun run = CliRun.in(dir, Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString()), "promote",
                "--component", "web", "--environment", "staging", "--image", "r/web:1@sha256:" + "a".repeat(64),
                "--format", "json", "--output", "out/result.json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode r = json(Files.readString(dir.resolve("out/result.json")));
        assertThat(r.path("outcome").asText()).isEqualTo("failed");
        assertThat(r.path("changed").asBoolean(true)).isFalse();
        assertThat(r.path("component").asText()).isEqualTo("web");
        assertThat(r.path("message").asText()).contains("no kube context 'staging' in the kubeconfig; contexts: dev, prod");
        assertThat(run.out() + run.err() + r).doesNotContain("secret-token-value");

        CliRun none = CliRun.in(dir, Map.of("KUBECONFIG", dir.resolve("absent").toString(), "HOME", dir.toString()),
                "promote", "--component", "web", "--environment", "staging", "--image", "r/web:1@sha256:" + "a".repeat(64),
                "--format", "json");
        assertThat(none.exitCode()).as(none.err()).isEqualTo(1);
        assertThat(json(none.out()).path("message").asText()).contains("no kube context 'staging'").contains("contexts: none");
        assertThat(json(none.out()).path("changed").asBoolean(true)).isFalse();
    }
}
