package com.koreapublicdata.pipeline.notify;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One rendered Slack message, in both forms Slack accepts: {@code blocks} (the whole message, no colour) and
 * {@code attachments} (one attachment with the outcome colour bar holding the same blocks minus the leading header,
 * since {@code text} is shown above it). The engine sends {@code text} + {@code attachments}; Jenkins' slackSend can
 * send exactly that ({@code message: text, attachments: attachments}), or {@code blocks} when colour does not matter.
 *
 * @param channel     where it goes (from {@code notifications.channels})
 * @param text        the one-line headline: notification preview and fallback
 * @param color       the colour bar, a hex colour
 * @param blocks      Block Kit blocks
 * @param attachments a single attachment: {@code {color, fallback, blocks}}
 */
@JsonPropertyOrder({"channel", "text", "color", "blocks", "attachments"})
public record SlackMessage(String channel, String text, String color, List<Map<String, Object>> blocks,
        List<Map<String, Object>> attachments) {

    public SlackMessage {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** The {@code blocks} as a JSON array (for chat.postMessage's form field or slackSend). */
    public String blocksJson() {
        return SlackJson.write(blocks, false);
    }

    /** The {@code attachments} as a JSON array. */
    public String attachmentsJson() {
        return SlackJson.write(attachments, false);
    }

    /** The incoming-webhook payload: {@code {"channel", "text", "attachments"}} (app webhooks ignore channel). */
    public String webhookJson() {
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("channel", channel);
        payload.put("text", text);
        payload.put("attachments", attachments);
        return SlackJson.write(payload, false);
    }

    /** The whole message as pretty JSON, the {@code --render-only} output. */
    public String toJson() {
        return SlackJson.write(this, true);
    }
}
