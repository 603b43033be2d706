package com.koreapublicdata.pipeline.notify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What became of one notification. Never carries a token or webhook URL.
 *
 * @param status   sent, not-configured, disabled, delegated (notifications.via is jenkins) or failed
 * @param event    the event id
 * @param channel  the channel the message was routed to
 * @param via      token (chat.postMessage) or webhook; null when nothing was sent
 * @param ts       the Slack timestamp of the posted message (token only)
 * @param threadTs the thread it replied in; null when it started one or was not threaded
 * @param attempts HTTP attempts made for the post (more than one after HTTP 429)
 * @param message  one line for people
 * @param warnings every warning reported while sending
 */
@JsonPropertyOrder({"status", "event", "channel", "via", "ts", "threadTs", "attempts", "message", "warnings"})
public record NotifyResult(Status status, String event, String channel, String via, String ts, String threadTs,
        int attempts, String message, List<String> warnings) {

    public enum Status {
        SENT("sent"),
        NOT_CONFIGURED("not-configured"),
        DISABLED("disabled"),
        DELEGATED("delegated"),
        FAILED("failed");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public NotifyResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Whether Slack accepted the message. */
    public boolean delivered() {
        return status == Status.SENT;
    }
}
