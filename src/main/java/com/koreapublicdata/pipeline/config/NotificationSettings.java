package com.koreapublicdata.pipeline.config;

import java.util.Map;
import java.util.LinkedHashMap;

/** Slack notifications. Credentials never live here: they come from KOREA_SLACK_TOKEN or KOREA_SLACK_WEBHOOK_URL. */
public record NotificationSettings(
        @Doc(value = "Send notifications at all.", defaultValue = "true") Boolean enabled,
        @Doc(value = "Who sends: engine (korea posts itself) or jenkins (the koreaNotify step uses the Slack plugin's slackSend).",
                defaultValue = "engine") Sender via,
        @Doc(value = "Channel per event: started, awaiting-approval, approved, success, failed, rollback, scan-failed, break-glass.",
                defaultValue = "started, awaiting-approval, approved, success: #deployments; failed, rollback, scan-failed, break-glass: #alerts")
                Map<String, String> channels,
        @Doc(value = "Slack Web API base URL (for proxies).", defaultValue = "https://slack.com/api/") String apiUrl,
        @Doc("Directory (relative to korea.yaml) with message template overrides, one <event>.json each.") String templates) {

    public enum Sender {
        ENGINE, JENKINS;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The seed's routing. */
    public static final Map<String, String> DEFAULT_CHANNELS = defaultChannels();

    public NotificationSettings {
        enabled = enabled == null || enabled;
        via = via == null ? Sender.ENGINE : via;
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_CHANNELS);
        if (channels != null) {
            merged.putAll(channels);
        }
        channels = java.util.Collections.unmodifiableMap(merged);
        apiUrl = apiUrl == null ? "https://slack.com/api/" : apiUrl;
    }

    private static Map<String, String> defaultChannels() {
        Map<String, String> channels = new LinkedHashMap<>();
        channels.put("started", "#deployments");
        channels.put("awaiting-approval", "#deployments");
        channels.put("approved", "#deployments");
        channels.put("success", "#deployments");
        channels.put("failed", "#alerts");
        channels.put("rollback", "#alerts");
        channels.put("scan-failed", "#alerts");
        channels.put("break-glass", "#alerts");
        return java.util.Collections.unmodifiableMap(channels);
    }

    public static NotificationSettings defaults() {
        return new NotificationSettings(null, null, null, null, null);
    }
}
