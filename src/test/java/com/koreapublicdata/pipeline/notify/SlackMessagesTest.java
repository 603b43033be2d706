package com.koreapublicdata.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.NotificationSettings;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;

class SlackMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackMessages messages = new SlackMessages(NotificationSettings.defaults(), null);

    private static NotificationEvent.Builder full(Kind kind) {
        return NotificationEvent.builder(kind).environment("production").component("backend").version("1.4.2")
                .digest("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").strategy("canary")
                .approver("alice").durationSeconds(252.4).buildUrl("https://ci.example.com/job/shop/42/");
    }

    @Test
    void shouldRenderTheSuccessMessageExactly() throws IOException {
        SlackMessage message = messages.render(full(Kind.SUCCESS).build());

        try (InputStream expected = getClass().getResourceAsStream("success-message.json")) {
            assertThat(JSON.readTree(message.toJson())).isEqualTo(JSON.readTree(expected));
        }
    }

    @Test
    void shouldKeepTheSeedWordingAndRoutingForEveryEvent() {
        assertThat(render(Kind.STARTED, null)).isEqualTo("#deployments|🚀 Deployment started: production - backend 1.4.2");
        assertThat(render(Kind.AWAITING_APPROVAL, null)).isEqualTo("#deployments|⏸️ Approval needed: production - backend 1.4.2");
        assertThat(render(Kind.APPROVED, null)).isEqualTo("#deployments|👍 Deployment approved: production - backend 1.4.2");
        assertThat(render(Kind.SUCCESS, null)).isEqualTo("#deployments|✅ Deployment successful: production - backend 1.4.2");
        assertThat(render(Kind.FAILED, "health check failed 3 times"))
                .isEqualTo("#alerts|❌ Deployment failed: production - backend 1.4.2 (health check failed 3 times)");
        assertThat(render(Kind.ROLLBACK, "latency 2.4s > 2s for 3m"))
                .isEqualTo("#alerts|🔄 Auto-rollback triggered: production - backend 1.4.2 (latency 2.4s &gt; 2s for 3m)");
        assertThat(render(Kind.SCAN_FAILED, "2 HIGH findings"))
                .isEqualTo("#alerts|🛡️ Scan gate refused: production - backend 1.4.2 (2 HIGH findings)");
    }

    @Test
    void shouldSayWhoApprovedAndWhyOnApprovedAndSuccessAndAnnounceABrokenFreezeToAlerts() {
        SlackMessage approved = messages.render(NotificationEvent.builder(Kind.APPROVED).environment("production")
                .component("backend").version("1.4.2").approver("alice, bob").reason("CAB-42; looks good").build());
        assertThat(approved.channel() + "|" + approved.text()).isEqualTo("#deployments|👍 Deployment approved: production - "
                + "backend 1.4.2 (approved by alice, bob: CAB-42; looks good)");
        assertThat(approved.toJson()).contains("*Approval*\\napproved by alice, bob: CAB-42; looks good");
        SlackMessage success = messages.render(NotificationEvent.builder(Kind.SUCCESS).environment("production")
                .component("backend").version("1.4.2").approver("alice").reason("CAB-42").durationSeconds(65.0).build());
        assertThat(success.text()).isEqualTo("✅ Deployment successful: production - backend 1.4.2 in 1m 5s (approved by alice: CAB-42)");
        // issue 17: the started message of promote carries the approval, so no separate approved message is needed
        SlackMessage started = messages.render(NotificationEvent.builder(Kind.STARTED).environment("production")
                .component("backend").version("1.4.2").approver("alice, bob").reason("CAB-42; looks good").build());
        assertThat(started.text()).isEqualTo("🚀 Deployment started: production - backend 1.4.2 (approved by alice, bob: "
                + "CAB-42; looks good)");
        assertThat(started.toJson()).contains("*Approval*\\napproved by alice, bob: CAB-42; looks good");
        assertThat(render(Kind.BREAK_GLASS, "break-glass by olivia during weekend freeze: payments down"))
                .isEqualTo("#alerts|🚨 Freeze broken: production - backend 1.4.2 (break-glass by olivia during weekend freeze: "
                        + "payments down)");
    }

    private String render(Kind kind, String reason) {
        SlackMessage m = messages.render(NotificationEvent.builder(kind).environment("production").component("backend")
                .version("1.4.2").reason(reason).build());
        return m.channel() + "|" + m.text();
    }

    @Test
    void shouldColourByOutcome() {
        assertThat(messages.render(NotificationEvent.of(Kind.SUCCESS, "e", "c", "v")).color()).isEqualTo("#2EB67D");
        assertThat(messages.render(NotificationEvent.of(Kind.FAILED, "e", "c", "v")).color()).isEqualTo("#E01E5A");
        assertThat(messages.render(NotificationEvent.of(Kind.ROLLBACK, "e", "c", "v")).color()).isEqualTo("#E01E5A");
        assertThat(messages.render(NotificationEvent.of(Kind.AWAITING_APPROVAL, "e", "c", "v")).color()).isEqualTo("#ECB22E");
        assertThat(messages.render(NotificationEvent.of(Kind.STARTED, "e", "c", "v")).color()).isEqualTo("#439FE0");
        SlackMessage failed = messages.render(NotificationEvent.of(Kind.FAILED, "e", "c", "v"));
        assertThat(failed.attachments()).singleElement().satisfies(a -> {
            assertThat(a.get("color")).isEqualTo("#E01E5A");
            assertThat(a.get("fallback")).isEqualTo(failed.text());
        });
    }

    @Test
    void shouldLeaveOutWhatIsNotKnown() throws IOException {
        SlackMessage message = messages.render(NotificationEvent.builder(Kind.STARTED).component("frontend").build());

        assertThat(message.text()).isEqualTo("🚀 Deployment started: frontend");
        JsonNode blocks = JSON.readTree(message.blocksJson());
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(1).get("fields")).hasSize(1);
        assertThat(blocks.get(1).get("fields").get(0).get("text").asText()).isEqualTo("*Component*\nfrontend");
        assertThat(message.blocksJson()).doesNotContain("null", "Approver", "Open build");
    }

    @Test
    void shouldShowReasonScanSummaryAndWhoRolledBack() throws IOException {
        SlackMessage message = messages.render(full(Kind.ROLLBACK).approver("bob").reason("manual: <bad> & broken")
                .scanSummary("CRITICAL 1, HIGH 3").build());

        assertThat(message.text()).startsWith("🔄 Rollback by bob: production - backend 1.4.2 (manual: &lt;bad&gt; &amp; broken)");
        String blocks = message.blocksJson();
        assertThat(blocks).contains("*Ordered by*\\nbob", "*Reason*\\nmanual: &lt;bad&gt; &amp; broken",
                "*Scan*\\nCRITICAL 1, HIGH 3");
        // the header is plain text: shown as written
        assertThat(JSON.readTree(blocks).get(0).get("text").get("text").asText())
                .isEqualTo("🔄 Rollback by bob: production - backend 1.4.2");
    }

    @Test
    void shouldUseTheShortDigestWhenThereIsNoVersion() {
        SlackMessage message = messages.render(NotificationEvent.builder(Kind.SCAN_FAILED).component("backend")
                .digest("sha256:fedcba9876543210fedcba9876543210").scanSummary("CRITICAL 1").build());

        assertThat(message.text()).isEqualTo("🛡️ Scan gate refused: backend sha256:fedcba987654 (CRITICAL 1)");
    }

    @Test
    void shouldApplyARepositoryTemplateWithPlaceholders(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("success.json"), """
                {
                  "text": "{{ .Environment }} got {{component}} {{version}} <{{approver}}>",
                  "blocks": [
                    {"type": "header", "text": {"type": "plain_text", "text": "{{emoji}} {{component}} & co live"}},
                    {"type": "section", "text": {"type": "mrkdwn", "text": "*{{title}}* in {{duration}} by {{approver}}"}}
                  ]
                }
                """);
        SlackMessages withTemplates = new SlackMessages(
                new NotificationSettings(null, null, Map.of("success", "#releases"), null, "ignored-here"), dir);

        SlackMessage message = withTemplates.render(full(Kind.SUCCESS).approver("a<b").build());

        assertThat(message.channel()).isEqualTo("#releases");
        assertThat(message.text()).isEqualTo("production got backend 1.4.2 <a&lt;b>");
        assertThat(message.color()).isEqualTo("#2EB67D");
        assertThat(JSON.readTree(message.blocksJson())).isEqualTo(JSON.readTree("""
                [{"type": "header", "text": {"type": "plain_text", "text": "✅ backend & co live"}},
                 {"type": "section", "text": {"type": "mrkdwn", "text": "*Deployment successful* in 4m 12s by a&lt;b"}}]
                """));
        // the colour attachment holds the same blocks without the leading header
        assertThat(JSON.readTree(message.attachmentsJson()).get(0).get("blocks")).hasSize(1);
        // events without a template keep the built-in message
        assertThat(withTemplates.render(full(Kind.STARTED).build()).text()).startsWith("🚀 Deployment started");
    }

    @Test
    void shouldRejectATemplateWithAnUnknownPlaceholderNamingTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("failed.json"), "{\"blocks\": [{\"type\": \"section\", \"text\": "
                + "{\"type\": \"mrkdwn\", \"text\": \"{{ .Versoin }}\"}}]}");
        SlackMessages withTemplates = new SlackMessages(NotificationSettings.defaults(), dir);

        assertThatThrownBy(() -> withTemplates.render(full(Kind.FAILED).build()))
                .isInstanceOf(KoreaException.class)
                .satisfies(e -> assertThat(((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("failed.json").hasMessageContaining("blocks[0].text.text")
                .hasMessageContaining("{{ .Versoin }}").hasMessageContaining("version");
    }

    @Test
    void shouldRejectATemplateWithUnknownKeysOrBadJson(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("started.json"), "{\"channel\": \"#x\"}");
        Files.writeString(dir.resolve("success.json"), "{\"text\": ");
        SlackMessages withTemplates = new SlackMessages(NotificationSettings.defaults(), dir);

        assertThatThrownBy(() -> withTemplates.render(full(Kind.STARTED).build()))
                .hasMessageContaining("started.json").hasMessageContaining("unknown key 'channel'");
        assertThatThrownBy(() -> withTemplates.render(full(Kind.SUCCESS).build()))
                .hasMessageContaining("success.json").hasMessageContaining("line");
    }

    @Test
    void shouldSummariseScanCountsWorstFirst() {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("LOW", 4);
        counts.put("MEDIUM", 0);
        counts.put("CRITICAL", 1);
        counts.put("HIGH", 3);

        assertThat(NotificationEvent.scanSummary(counts, java.util.List.of("CVE-1", "CVE-2", "CVE-3", "CVE-4", "CVE-5", "CVE-6")))
                .isEqualTo("CRITICAL 1, HIGH 3, LOW 4; blocking: CVE-1, CVE-2, CVE-3, CVE-4, CVE-5 (+1 more)");
        assertThat(NotificationEvent.scanSummary(Map.of(), null)).isEqualTo("no findings");
    }

    @Test
    void shouldParseEventIdsAsWrittenInKoreaYaml() {
        assertThat(Kind.fromId("awaiting-approval")).contains(Kind.AWAITING_APPROVAL);
        assertThat(Kind.fromId("SCAN_FAILED")).contains(Kind.SCAN_FAILED);
        assertThat(Kind.fromId("deployed")).isEmpty();
        assertThat(Kind.ids()).isEqualTo("started, awaiting-approval, approved, success, failed, rollback, scan-failed, break-glass");
        assertThat(NotificationSettings.DEFAULT_CHANNELS.keySet())
                .containsExactly(java.util.Arrays.stream(Kind.values()).map(Kind::id).toArray(String[]::new));
    }
}
