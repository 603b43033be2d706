package com.koreapublicdata.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.config.NotificationSettings;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;
import com.koreapublicdata.pipeline.notify.NotifyResult.Status;

class NotifierTest {
    private static final String TOKEN = "xoxb-1111-2222-TOPSECRETtoken";

    @TempDir
    Path stateDir;

    private FakeSlack slack;
    private final List<String> warnings = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private Notifier notifier(NotificationSettings settings, Map<String, String> env) {
        return new Notifier(settings, new SlackMessages(settings, null), stateDir, env, warnings::add, slack.apiUrl(),
                slept::add);
    }

    private Notifier withToken() {
        return notifier(NotificationSettings.defaults(), Map.of(Notifier.TOKEN_VARIABLE, TOKEN));
    }

    private static NotificationEvent event(Kind kind, String deploymentId) {
        return NotificationEvent.builder(kind).environment("production").component("backend").version("1.4.2")
                .digest("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").strategy("canary")
                .approver("alice").durationSeconds(252.4).reason("error rate 7.2% > 5% for 5m")
                .scanSummary("CRITICAL 0, HIGH 2").buildUrl("https://ci.example.com/job/shop/42/")
                .deploymentId(deploymentId).build();
    }

    @Test
    void shouldPostEachEventToItsConfiguredChannelWithTheBotToken() throws IOException {
        Map<String, String> channels = new LinkedHashMap<>();
        channels.put("failed", "#oncall");
        NotificationSettings settings = new NotificationSettings(null, null, channels, null, null);
        Notifier notifier = notifier(settings, Map.of(Notifier.TOKEN_VARIABLE, TOKEN));

        Map<Kind, String> expected = new LinkedHashMap<>();
        expected.put(Kind.STARTED, "#deployments");
        expected.put(Kind.AWAITING_APPROVAL, "#deployments");
        expected.put(Kind.APPROVED, "#deployments");
        expected.put(Kind.SUCCESS, "#deployments");
        expected.put(Kind.FAILED, "#oncall");
        expected.put(Kind.ROLLBACK, "#alerts");
        expected.put(Kind.SCAN_FAILED, "#alerts");
        expected.put(Kind.BREAK_GLASS, "#alerts");
        for (Kind kind : Kind.values()) {
            NotifyResult result = notifier.send(event(kind, "deploy-" + kind.id()));
            assertThat(result.status()).as(kind.id()).isEqualTo(Status.SENT);
            assertThat(result.channel()).isEqualTo(expected.get(kind));
            assertThat(result.via()).isEqualTo("token");
        }

        List<FakeSlack.Request> posts = slack.requests("/api/chat.postMessage");
        assertThat(posts).hasSize(Kind.values().length);
        int i = 0;
        for (Kind kind : Kind.values()) {
            FakeSlack.Request post = posts.get(i++);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.headers().get("authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(post.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = post.form();
            assertThat(form.get("channel")).as(kind.id()).isEqualTo(expected.get(kind));
            assertThat(form).doesNotContainKey("thread_ts");
            SlackMessage rendered = new SlackMessages(settings, null).render(event(kind, "deploy-" + kind.id()));
            assertThat(form.get("text")).isEqualTo(rendered.text());
            JsonNode attachments = post.formJson("attachments");
            assertThat(attachments).isEqualTo(new ObjectMapper().readTree(rendered.attachmentsJson()));
            JsonNode fields = attachments.get(0).get("blocks").get(0).get("fields");
            assertThat(fields.toString()).contains("*Environment*\\nproduction", "*Component*\\nbackend",
                    "*Version*\\n1.4.2", "*Digest*\\n`sha256:0123456789ab`", "*Strategy*\\ncanary", "alice",
                    "*Duration*\\n4m 12s");
            assertThat(attachments.toString()).contains("CRITICAL 0, HIGH 2", "<https://ci.example.com/job/shop/42/|Open build>");
            assertThat(attachments.get(0).get("color").asText()).isEqualTo(rendered.color());
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldPostTheExactWebhookJson() throws IOException {
        Notifier notifier = notifier(NotificationSettings.defaults(), Map.of(Notifier.WEBHOOK_VARIABLE, slack.webhookUrl()));

        NotifyResult result = notifier.send(event(Kind.ROLLBACK, "d1"));

        assertThat(result.status()).isEqualTo(Status.SENT);
        assertThat(result.via()).isEqualTo("webhook");
        assertThat(result.channel()).isEqualTo("#alerts");
        List<FakeSlack.Request> requests = slack.requests();
        assertThat(requests).hasSize(1);
        FakeSlack.Request hook = requests.get(0);
        assertThat(hook.path()).isEqualTo("/services/T000/B000/SECRETPATHxyz");
        assertThat(hook.headers().get("content-type")).startsWith("application/json");
        SlackMessage expected = new SlackMessages(NotificationSettings.defaults(), null).render(event(Kind.ROLLBACK, "d1"));
        assertThat(hook.body()).isEqualTo(expected.webhookJson());
        JsonNode json = hook.json();
        assertThat(json.get("channel").asText()).isEqualTo("#alerts");
        assertThat(json.get("text").asText()).isEqualTo(
                "🔄 Rollback by alice: production - backend 1.4.2 (error rate 7.2% &gt; 5% for 5m)");
        assertThat(json.get("attachments").get(0).get("color").asText()).isEqualTo("#E01E5A");
        assertThat(json.get("attachments").get(0).get("blocks").toString()).contains("*Reason*\\nerror rate 7.2% &gt; 5% for 5m");
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldThreadTheEventsOfOneDeploymentAcrossSeparateRuns() throws IOException {
        NotifyResult started = withToken().send(event(Kind.STARTED, "prod-backend-42"));
        NotifyResult approved = withToken().send(event(Kind.APPROVED, "prod-backend-42"));
        NotifyResult other = withToken().send(event(Kind.STARTED, "prod-frontend-7"));
        NotifyResult success = withToken().send(event(Kind.SUCCESS, "prod-backend-42"));

        assertThat(started.threadTs()).isNull();
        assertThat(approved.threadTs()).isEqualTo(started.ts());
        assertThat(other.threadTs()).isNull();
        assertThat(success.threadTs()).isEqualTo(started.ts());
        List<FakeSlack.Request> posts = slack.requests("/api/chat.postMessage");
        assertThat(posts).hasSize(4);
        SlackMessage first = new SlackMessages(NotificationSettings.defaults(), null).render(event(Kind.STARTED, "prod-backend-42"));
        Map<String, String> exactForm = new LinkedHashMap<>();
        exactForm.put("channel", "#deployments");
        // started names the approval (issue 17: no separate approved message); this event's reason stands in for it
        exactForm.put("text", "🚀 Deployment started: production - backend 1.4.2 (approved by alice: error rate 7.2% &gt; 5% for 5m)");
        exactForm.put("link_names", "0");
        exactForm.put("mrkdwn", "1");
        exactForm.put("attachments", first.attachmentsJson());
        exactForm.put("unfurl_links", "0");
        exactForm.put("unfurl_media", "0");
        exactForm.put("reply_broadcast", "0");
        assertThat(posts.get(0).form()).containsExactlyEntriesOf(exactForm);
        assertThat(posts.get(1).form()).containsEntry("thread_ts", started.ts()).containsEntry("channel", FakeSlack.CHANNEL_ID)
                .containsEntry("reply_broadcast", "0");
        assertThat(posts.get(2).form()).doesNotContainKey("thread_ts");
        assertThat(posts.get(3).form()).containsEntry("thread_ts", started.ts());

        // the outcome also replaces the first message, so the channel shows how it ended
        List<FakeSlack.Request> updates = slack.requests("/api/chat.update");
        assertThat(updates).hasSize(1);
        Map<String, String> update = updates.get(0).form();
        assertThat(update).containsEntry("channel", FakeSlack.CHANNEL_ID).containsEntry("ts", started.ts());
        assertThat(update.get("text")).startsWith("✅ Deployment successful: production - backend 1.4.2");
        assertThat(Files.readString(stateDir.resolve("slack-threads.json"))).contains("prod-backend-42", started.ts());
    }

    @Test
    void shouldStartASeparateThreadPerChannelAndBroadcastBadNewsReplies() throws IOException {
        Map<String, String> channels = Map.of("failed", "#deployments");
        NotificationSettings settings = new NotificationSettings(null, null, channels, null, null);
        Map<String, String> env = Map.of(Notifier.TOKEN_VARIABLE, TOKEN);
        NotifyResult started = notifier(settings, env).send(event(Kind.STARTED, "d"));
        NotifyResult failed = notifier(settings, env).send(event(Kind.FAILED, "d"));
        NotifyResult rollback = notifier(settings, env).send(event(Kind.ROLLBACK, "d"));

        assertThat(failed.threadTs()).isEqualTo(started.ts());
        assertThat(slack.requests("/api/chat.postMessage").get(1).form()).containsEntry("reply_broadcast", "1");
        // #alerts has no message of this deployment yet: rollback starts its own thread there
        assertThat(rollback.channel()).isEqualTo("#alerts");
        assertThat(rollback.threadTs()).isNull();
        assertThat(slack.requests("/api/chat.postMessage").get(2).form()).containsEntry("channel", "#alerts");
    }

    @Test
    void shouldRetryAfterTheRetryAfterOfA429() {
        slack.answer(429, Map.of("Retry-After", "2"), "{\"ok\":false,\"error\":\"ratelimited\"}");

        NotifyResult result = withToken().send(event(Kind.STARTED, "d"));

        assertThat(result.status()).isEqualTo(Status.SENT);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
        assertThat(slack.requests("/api/chat.postMessage")).hasSize(2);
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldRetryAWebhook429Too() {
        slack.answer(429, Map.of("Retry-After", "1"), "rate_limited");
        Notifier notifier = notifier(NotificationSettings.defaults(), Map.of(Notifier.WEBHOOK_VARIABLE, slack.webhookUrl()));

        NotifyResult result = notifier.send(event(Kind.SUCCESS, "d"));

        assertThat(result.status()).isEqualTo(Status.SENT);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void shouldGiveUpOnRateLimitingAfterABoundedNumberOfAttempts() {
        for (int i = 0; i < 5; i++) {
            slack.answer(429, Map.of("Retry-After", "1"), "{\"ok\":false,\"error\":\"ratelimited\"}");
        }

        NotifyResult result = withToken().send(event(Kind.FAILED, "d"));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.attempts()).isEqualTo(Notifier.MAX_ATTEMPTS);
        assertThat(slack.requests("/api/chat.postMessage")).hasSize(Notifier.MAX_ATTEMPTS);
        assertThat(slept).hasSize(Notifier.MAX_ATTEMPTS - 1);
        assertThat(warnings).singleElement().asString().contains("rate limited", "failed notification not sent");
    }

    @Test
    void shouldNotWaitLongerThanTheBound() {
        slack.answer(429, Map.of("Retry-After", "3600"), "{\"ok\":false,\"error\":\"ratelimited\"}");

        NotifyResult result = withToken().send(event(Kind.STARTED, "d"));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(slept).isEmpty();
        assertThat(slack.requests()).hasSize(1);
        assertThat(warnings).singleElement().asString().contains("3600s");
    }

    @Test
    void shouldWarnAndNeverThrowWhenSlackIsUnreachable() throws IOException {
        String nowhere = FakeSlack.unreachableUrl();
        NotificationSettings settings = NotificationSettings.defaults();
        Notifier byToken = new Notifier(settings, stateDir, Map.of(Notifier.TOKEN_VARIABLE, TOKEN), warnings::add,
                nowhere + "api/");
        Notifier byHook = new Notifier(settings, stateDir,
                Map.of(Notifier.WEBHOOK_VARIABLE, nowhere + "services/T/B/hooksecret"), warnings::add);

        NotifyResult a = byToken.send(event(Kind.STARTED, "d"));
        NotifyResult b = byHook.send(event(Kind.SUCCESS, "d"));

        assertThat(a.status()).isEqualTo(Status.FAILED);
        assertThat(b.status()).isEqualTo(Status.FAILED);
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("slack: "));
        assertThat(String.join("\n", warnings)).doesNotContain(TOKEN, "hooksecret");
    }

    @Test
    void shouldSayNotConfiguredInOneWarningWithoutCredentials() {
        NotifyResult result = notifier(NotificationSettings.defaults(), Map.of("PATH", "/usr/bin")).send(event(Kind.STARTED, "d"));

        assertThat(result.status()).isEqualTo(Status.NOT_CONFIGURED);
        assertThat(result.message()).isEqualTo("not configured");
        assertThat(warnings).containsExactly(
                "slack: not configured (set KOREA_SLACK_TOKEN or KOREA_SLACK_WEBHOOK_URL); started notification not sent");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void shouldSendNothingWhenDisabledOrLeftToJenkins() {
        Map<String, String> env = Map.of(Notifier.TOKEN_VARIABLE, TOKEN);
        NotifyResult disabled = notifier(new NotificationSettings(false, null, null, null, null), env)
                .send(event(Kind.STARTED, "d"));
        NotifyResult jenkins = notifier(new NotificationSettings(null, NotificationSettings.Sender.JENKINS, null, null, null),
                env).send(event(Kind.STARTED, "d"));

        assertThat(disabled.status()).isEqualTo(Status.DISABLED);
        assertThat(jenkins.status()).isEqualTo(Status.DELEGATED);
        assertThat(slack.requests()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldReportASlackRefusalWithAHint() {
        slack.answer(200, Map.of("Content-Type", "application/json"), "{\"ok\":false,\"error\":\"not_in_channel\"}");

        NotifyResult result = withToken().send(event(Kind.FAILED, "d"));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.message()).contains("#alerts", "not_in_channel", "/invite");
        assertThat(warnings).hasSize(1);
    }

    @Test
    void shouldKeepTheTokenAndWebhookUrlOutOfWarningsAndResults() throws IOException {
        // a hostile or broken proxy echoing the credentials back must not get them printed
        slack.answer(500, Map.of(), "upstream said: Bearer " + TOKEN);
        slack.answer(404, Map.of(), "no_service for " + slack.webhookUrl());
        ObjectMapper json = new ObjectMapper();

        NotifyResult byToken = withToken().send(event(Kind.STARTED, "d"));
        NotifyResult byHook = notifier(NotificationSettings.defaults(), Map.of(Notifier.WEBHOOK_VARIABLE, slack.webhookUrl()))
                .send(event(Kind.STARTED, "d"));

        assertThat(byToken.status()).isEqualTo(Status.FAILED);
        assertThat(byHook.status()).isEqualTo(Status.FAILED);
        String everything = String.join("\n", warnings) + json.writeValueAsString(byToken) + json.writeValueAsString(byHook);
        assertThat(everything).contains("HTTP 500", "HTTP 404")
                .doesNotContain(TOKEN, "TOPSECRET", slack.webhookUrl(), "SECRETPATHxyz");
    }

    @Test
    void shouldFallBackToTheBuiltInMessageWhenATemplateIsBroken(@TempDir Path templates) throws IOException {
        Files.writeString(templates.resolve("started.json"), "{\"text\": \"{{ .Nonsense }}\"}");
        NotificationSettings settings = NotificationSettings.defaults();
        Notifier notifier = new Notifier(settings, new SlackMessages(settings, templates), stateDir,
                Map.of(Notifier.TOKEN_VARIABLE, TOKEN), warnings::add, slack.apiUrl(), slept::add);

        NotifyResult result = notifier.send(event(Kind.STARTED, "d"));

        assertThat(result.status()).isEqualTo(Status.SENT);
        assertThat(warnings).singleElement().asString().contains("template ignored", "started.json", "Nonsense");
        assertThat(slack.requests().get(0).form().get("text")).startsWith("🚀 Deployment started: production - backend 1.4.2");
    }

    @Test
    void shouldThreadParallelDeploymentsSentFromOneProcess() throws Exception {
        Notifier notifier = withToken();
        List<Thread> threads = new ArrayList<>();
        List<NotifyResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            String id = "parallel-" + i;
            threads.add(new Thread(() -> results.add(notifier.send(event(Kind.STARTED, id)))));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.SENT));
        assertThat(warnings).isEmpty();
        String stored = Files.readString(stateDir.resolve("slack-threads.json"));
        assertThat(stored).contains("parallel-0", "parallel-1", "parallel-2", "parallel-3");
    }

    @Test
    void shouldNotEchoAMalformedWebhookUrl() {
        for (String bad : List.of("hooks.slack.com/services/T1/B1/MALFORMEDsecret", "https://hooks slack.com/services/T1/B1/MALFORMEDsecret",
                "ftp://x/services/T1/B1/MALFORMEDsecret")) {
            NotifyResult result = notifier(NotificationSettings.defaults(), Map.of(Notifier.WEBHOOK_VARIABLE, bad))
                    .send(event(Kind.STARTED, "d"));

            assertThat(result.status()).isEqualTo(Status.FAILED);
        }
        assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w)
                .isEqualTo("slack: KOREA_SLACK_WEBHOOK_URL is not an http(s) URL; started notification not sent"));
        assertThat(slack.requests()).isEmpty();
    }
}
