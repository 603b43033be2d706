package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.notify.FakeSlack;

/** {@code korea notify --result FILE}: the event follows the outcome of a result a real korea command wrote. */
class NotifyFromResultTest {
    private static final String TOKEN = "xoxb-1111-2222-RESULTSECRET";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repo;
    private FakeSlack slack;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws IOException {
        slack = new FakeSlack();
        Files.writeString(repo.resolve("korea.yaml"), """
                project: shop
                components:
                  backend:
                    paths: [be/**]
                environments:
                  staging:
                    branches: [develop]
                    cluster: staging
                    namespace: shop
                    requireScan: false
                notifications:
                  apiUrl: %s
                """.formatted(slack.apiUrl()));
    }

    @AfterEach
    void tearDown() {
        slack.close();
    }

    private int korea(Map<String, String> env, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, repo, Clock.systemUTC(), false), args);
    }

    private static String fixture(String name) throws URISyntaxException {
        return Path.of(NotifyFromResultTest.class.getResource("/com/koreapublicdata/pipeline/scan/" + name).toURI()).toString();
    }

    @Test
    void shouldSendScanFailedWithTheCountsForARefusedScanResult() throws Exception {
        assertThat(korea(Map.of(), "scan", "--report", fixture("trivy-0.58-image.json"), "--component", "backend",
                "--format", "json", "--output", "out/scan.json")).isEqualTo(10);

        int code = korea(Map.of("KOREA_SLACK_TOKEN", TOKEN), "notify", "--result", "out/scan.json",
                "--component", "backend", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.path("status").asText()).isEqualTo("sent");
        assertThat(result.path("event").asText()).isEqualTo("scan-failed");
        assertThat(result.path("outcome").asText()).isEqualTo("passed");
        assertThat(result.path("changed").asBoolean(true)).isFalse();
        assertThat(result.path("exitCode").asInt(-1)).isZero();
        assertThat(slack.requests("/api/chat.postMessage")).singleElement().satisfies(r -> {
            assertThat(r.form()).containsEntry("channel", "#alerts");
            assertThat(r.form().get("text")).contains("backend");
            assertThat(r.form().toString()).contains("CRITICAL");
        });
        assertThat(out + err.toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldSendNothingForAScanThatPassed() throws Exception {
        assertThat(korea(Map.of(), "scan", "--report", fixture("../jenkins/trivy-clean.json"), "--component", "backend",
                "--format", "json", "--output", "scan.json")).isZero();

        int code = korea(Map.of("KOREA_SLACK_TOKEN", TOKEN), "notify", "--result", "scan.json",
                "--component", "backend", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.path("status").asText()).isEqualTo("nothing-to-send");
        assertThat(result.path("outcome").asText()).isEqualTo("skipped");
        assertThat(result.path("message").asText()).contains("outcome passed");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void shouldSendFailedWithTheEnginesReasonForAPromotionThatFailedBeforeTouchingAnything() throws Exception {
        Map<String, String> noCluster = Map.of("KUBECONFIG", repo.resolve("absent").toString(), "HOME", repo.toString());
        assertThat(korea(noCluster, "promote", "--component", "backend", "--environment", "staging", "--image",
                "r/backend:1.4.2@sha256:" + "a".repeat(64), "--format", "json", "--output", "promote.json")).isEqualTo(1);

        int code = korea(Map.of(), "notify", "--result", "promote.json", "--render-only", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode message = JSON.readTree(out.toString());
        assertThat(message.path("channel").asText()).isEqualTo("#alerts");
        assertThat(message.path("text").asText()).contains("staging", "backend", "1.4.2");
        assertThat(message.path("blocks").toString()).contains("no kube context 'staging'");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void shouldPickSuccessRollbackAndAwaitingFromAPromotionsOutcomeAndLetOptionsOverride() throws Exception {
        for (String[] row : new String[][] {{"deployed", "#deployments", "successful"}, {"rolled-back", "#alerts", "Rollback"},
            {"awaiting-promotion", "#deployments", "Approval needed"}}) {
            Files.writeString(repo.resolve("promote.json"), """
                    {"environment": "staging", "component": "backend", "image": "r/backend:2.0@sha256:%s",
                     "digest": "sha256:%s", "strategy": "rolling", "approver": "alice", "durationSeconds": 12.5,
                     "outcome": "%s", "changed": true, "exitCode": 0, "message": "rollout went %s"}
                    """.formatted("b".repeat(64), "b".repeat(64), row[0], row[0]));

            assertThat(korea(Map.of(), "notify", "--result", "promote.json", "--render-only", "--format", "json"))
                    .as(err.toString()).isZero();
            JsonNode message = JSON.readTree(out.toString());
            assertThat(message.path("channel").asText()).as(row[0]).isEqualTo(row[1]);
            assertThat(message.path("text").asText()).as(row[0]).contains(row[2]).contains("2.0");
        }

        assertThat(korea(Map.of(), "notify", "--result", "promote.json", "--version", "2.0.1", "--render-only")).isZero();
        assertThat(out.toString()).contains("2.0.1");
    }

    @Test
    void shouldRefuseAMissingOrForeignResultFileNamingItWithExit2AndAResult() throws Exception {
        int missing = korea(Map.of(), "notify", "--result", "nowhere/promote.json", "--format", "json", "--output", "n.json");

        assertThat(missing).isEqualTo(2);
        assertThat(err.toString()).contains("--result nowhere/promote.json").contains("cannot read");
        JsonNode result = JSON.readTree(Files.readString(repo.resolve("n.json")));
        assertThat(result.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(result.path("changed").asBoolean(true)).isFalse();
        assertThat(result.path("exitCode").asInt()).isEqualTo(2);
        assertThat(result.path("message").asText()).contains("nowhere/promote.json");

        Files.writeString(repo.resolve("foreign.json"), "{\"status\": \"ok\"}");
        assertThat(korea(Map.of(), "notify", "--result", "foreign.json")).isEqualTo(2);
        assertThat(err.toString()).contains("--result foreign.json").contains("no outcome field");

        Files.writeString(repo.resolve("broken.json"), "{\"outcome\": ");
        assertThat(korea(Map.of(), "notify", "--result", "broken.json")).isEqualTo(2);
        assertThat(err.toString()).contains("--result broken.json");

        assertThat(korea(Map.of(), "notify", "--component", "backend")).isEqualTo(2);
        assertThat(err.toString()).contains("give --event and --component, or --result FILE");
        assertThat(slack.requests()).isEmpty();
    }
}
