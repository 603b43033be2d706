package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

class NotifyCommandTest {
    private static final String TOKEN = "xoxb-9999-8888-CLISECRET";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repo;

    private FakeSlack slack;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        slack = new FakeSlack();
        writeConfig(slack.apiUrl());
    }

    @AfterEach
    void tearDown() {
        slack.close();
    }

    private void writeConfig(String apiUrl) throws IOException {
        Files.writeString(repo.resolve("korea.yaml"), """
                project: shop
                components:
                  backend:
                    paths: [be/**]
                environments:
                  production:
                    branches: [main]
                    cluster: prod
                    strategy: canary
                notifications:
                  apiUrl: %s
                  channels:
                    success: "#releases"
                """.formatted(apiUrl));
    }

    private int korea(Map<String, String> env, String... args) {
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, repo, Clock.systemUTC(), false);
        return Main.run(context, args);
    }

    @Test
    void shouldPrintTheSlackSendMessageAndSendNothing() throws IOException {
        int code = korea(Map.of("KOREA_SLACK_TOKEN", TOKEN, "BUILD_URL", "https://ci.example.com/job/shop/7/"),
                "notify", "--event", "success", "--component", "backend", "--environment", "production",
                "--version", "1.4.2", "--approver", "alice", "--duration", "95", "--render-only", "--format", "json");

        assertThat(code).isZero();
        JsonNode message = JSON.readTree(out.toString());
        assertThat(message.fieldNames()).toIterable().containsExactly("channel", "text", "color", "blocks", "attachments");
        assertThat(message.get("channel").asText()).isEqualTo("#releases");
        assertThat(message.get("text").asText()).isEqualTo("✅ Deployment successful: production - backend 1.4.2 in 1m 35s");
        assertThat(message.get("color").asText()).isEqualTo("#2EB67D");
        assertThat(message.get("blocks").toString()).contains("*Strategy*\\ncanary", "*Approver*\\nalice",
                "<https://ci.example.com/job/shop/7/|Open build>");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.get("color").asText()).isEqualTo("#2EB67D");
        assertThat(attachment.get("blocks").size()).isEqualTo(message.get("blocks").size() - 1);
        assertThat(slack.requests()).isEmpty();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldSendAndPrintTheResult() throws IOException {
        int code = korea(Map.of("KOREA_SLACK_TOKEN", TOKEN), "notify", "--event", "started", "--component", "backend",
                "--environment", "production", "--version", "1.4.2", "--format", "json");

        assertThat(code).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.get("status").asText()).isEqualTo("sent");
        assertThat(result.get("channel").asText()).isEqualTo("#deployments");
        assertThat(slack.requests("/api/chat.postMessage")).singleElement()
                .satisfies(r -> assertThat(r.form()).containsEntry("channel", "#deployments"));
        assertThat(Files.exists(repo.resolve(".korea/slack-threads.json"))).isTrue();
    }

    @Test
    void shouldKeepCredentialsOutOfEveryOutput() throws IOException {
        slack.answer(500, Map.of(), "proxy error: token=" + TOKEN);
        Map<String, String> env = Map.of("KOREA_SLACK_TOKEN", TOKEN, "KOREA_SLACK_WEBHOOK_URL", slack.webhookUrl());

        int sendCode = korea(env, "notify", "--event", "failed", "--component", "backend", "--environment", "production",
                "--version", "1.4.2", "--reason", "health check failed 3 times", "--format", "json");
        int textCode = korea(env, "notify", "--event", "rollback", "--component", "backend", "--environment", "production",
                "--version", "1.4.2");
        int renderCode = korea(env, "notify", "--event", "rollback", "--component", "backend", "--render-only", "--format", "json");

        assertThat(sendCode).isZero();
        assertThat(textCode).isZero();
        assertThat(renderCode).isZero();
        assertThat(err.toString()).contains("korea: warning: slack: ", "HTTP 500");
        String everything = out + "\n" + err;
        assertThat(everything).doesNotContain(TOKEN, "CLISECRET", slack.webhookUrl(), "SECRETPATHxyz");
    }

    @Test
    void shouldSucceedWithAWarningWhenSlackIsUnreachable() throws IOException {
        writeConfig(FakeSlack.unreachableUrl() + "api/");

        int code = korea(Map.of("KOREA_SLACK_TOKEN", TOKEN), "notify", "--event", "failed", "--component", "backend",
                "--environment", "production", "--version", "1.4.2");

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("slack: failed notification not sent (failed)\n");
        assertThat(err.toString()).startsWith("korea: warning: slack: failed notification to #alerts not sent: ");
    }

    @Test
    void shouldSayNotConfiguredOnceWithoutCredentials() {
        int code = korea(Map.of(), "notify", "--event", "started", "--component", "backend", "--environment", "production",
                "--version", "1.4.2");

        assertThat(code).isZero();
        assertThat(err.toString().lines()).containsExactly("korea: warning: slack: not configured (set KOREA_SLACK_TOKEN "
                + "or KOREA_SLACK_WEBHOOK_URL); started notification not sent");
    }

    @Test
    void shouldRejectUnknownEventsComponentsAndEnvironments() {
        assertThat(korea(Map.of(), "notify", "--event", "deployed", "--component", "backend")).isEqualTo(2);
        assertThat(err.toString()).contains("--event deployed: unknown event; events: started, awaiting-approval");
        assertThat(korea(Map.of(), "notify", "--event", "started", "--component", "payments")).isEqualTo(2);
        assertThat(err.toString()).contains("--component payments: not in korea.yaml; components: backend");
        assertThat(korea(Map.of(), "notify", "--event", "started", "--component", "backend", "--environment", "qa"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--environment qa: not in korea.yaml; environments: production");
        assertThat(slack.requests()).isEmpty();
    }
}
