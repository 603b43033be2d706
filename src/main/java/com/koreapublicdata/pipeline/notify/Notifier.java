package com.koreapublicdata.pipeline.notify;

import com.koreapublicdata.pipeline.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.NotificationSettings;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;
import com.koreapublicdata.pipeline.notify.NotifyResult.Status;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.webhook.WebhookResponse;

/**
 * Sends notifications to Slack, best effort: {@link #send} never throws and never fails a deployment; whatever goes
 * wrong becomes a warning (given to the {@code warnings} consumer and kept in the result).
 *
 * <p>With {@code KOREA_SLACK_TOKEN} it posts with chat.postMessage to the event's channel; the first message of a
 * deployment in a channel starts a thread, later events reply in it, and the outcome (success, failed, rollback)
 * also updates that first message. Otherwise, with {@code KOREA_SLACK_WEBHOOK_URL}, it posts to the incoming webhook
 * (no threads). HTTP 429 is retried after Retry-After, at most {@value #MAX_ATTEMPTS} attempts and
 * {@value #MAX_WAIT_SECONDS}s per wait.
 */
public final class Notifier {
    public static final String TOKEN_VARIABLE = "KOREA_SLACK_TOKEN";
    public static final String WEBHOOK_VARIABLE = "KOREA_SLACK_WEBHOOK_URL";
    static final int MAX_ATTEMPTS = 3;
    static final int MAX_WAIT_SECONDS = 30;


    private final NotificationSettings settings;
    private final SlackMessages messages;
    private final Path stateDir;
    private final String token;
    private final String webhookUrl;
    private final Consumer<String> warnings;
    private final String apiUrl;
    private final Sleeper sleeper;

    /**
     * @param settings notifications from korea.yaml; a relative {@code templates} folder is taken relative to the
     *                 parent of {@code stateDir} (korea.yaml's folder with the default state directory); use
     *                 {@link #Notifier(ConfigFile, Map, Consumer)} to resolve it exactly
     * @param stateDir where {@code slack-threads.json} is kept
     * @param env      the environment, read for KOREA_SLACK_TOKEN and KOREA_SLACK_WEBHOOK_URL only
     * @param warnings receives each warning line (already free of secrets)
     */
    public Notifier(NotificationSettings settings, Path stateDir, Map<String, String> env, Consumer<String> warnings) {
        this(settings, stateDir, env, warnings, null);
    }

    /** As above, with the Slack Web API base URL replaced (tests, proxies); null keeps {@code notifications.apiUrl}. */
    public Notifier(NotificationSettings settings, Path stateDir, Map<String, String> env, Consumer<String> warnings,
            String apiUrlOverride) {
        this(settings, new SlackMessages(settings, templatesNextTo(settings, stateDir)), stateDir, env, warnings,
                apiUrlOverride, d -> Thread.sleep(d.toMillis()));
    }

    /** The notifier for a loaded korea.yaml: its settings, state directory and template folder. */
    public Notifier(ConfigFile file, Map<String, String> env, Consumer<String> warnings) {
        this(file.config().notifications(), new SlackMessages(file), file.stateDir(), env, warnings, null,
                d -> Thread.sleep(d.toMillis()));
    }

    Notifier(NotificationSettings settings, SlackMessages messages, Path stateDir, Map<String, String> env,
            Consumer<String> warnings, String apiUrlOverride, Sleeper sleeper) {
        this.settings = settings == null ? NotificationSettings.defaults() : settings;
        this.messages = messages;
        this.stateDir = stateDir;
        this.token = nonBlank(env == null ? null : env.get(TOKEN_VARIABLE));
        this.webhookUrl = nonBlank(env == null ? null : env.get(WEBHOOK_VARIABLE));
        this.warnings = warnings == null ? w -> { } : warnings;
        String base = apiUrlOverride != null ? apiUrlOverride : this.settings.apiUrl();
        this.apiUrl = base.endsWith("/") ? base : base + "/";
        this.sleeper = sleeper;
    }

    private static Path templatesNextTo(NotificationSettings settings, Path stateDir) {
        if (settings == null || settings.templates() == null) {
            return null;
        }
        Path templates = Path.of(settings.templates());
        Path base = stateDir == null ? null : stateDir.toAbsolutePath().getParent();
        return templates.isAbsolute() || base == null ? templates : base.resolve(templates).normalize();
    }

    /** Whether a token or webhook URL is in the environment. */
    public boolean configured() {
        return token != null || webhookUrl != null;
    }

    /** Sends one event to its channel. Never throws; problems are warnings in the result. */
    public NotifyResult send(NotificationEvent event) {
        Attempt attempt = new Attempt(event);
        try {
            return attempt.run();
        } catch (Exception | LinkageError e) {
            return attempt.failed("slack: " + event.kind().id() + " notification" + (attempt.channel == null ? ""
                    : " to " + attempt.channel) + " not sent: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof SlackFailure) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Removes every secret from text that may reach people. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (token != null) {
            out = out.replace(token, "***");
        }
        if (webhookUrl != null) {
            out = out.replace(webhookUrl, "***");
            int services = webhookUrl.indexOf("/services/");
            if (services >= 0) {
                out = out.replace(webhookUrl.substring(services), "/***");
            }
        }
        return out;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** One send: collects warnings and builds the result. */
    private final class Attempt {
        private final NotificationEvent event;
        private final List<String> warned = new ArrayList<>();
        private String channel;
        private String via;
        private int attempts;

        Attempt(NotificationEvent event) {
            this.event = event;
        }

        NotifyResult run() throws Exception {
            if (!settings.enabled()) {
                return result(Status.DISABLED, null, null, "notifications are disabled (notifications.enabled: false)");
            }
            channel = messages.channel(event.kind());
            if (settings.via() == NotificationSettings.Sender.JENKINS) {
                return result(Status.DELEGATED, null, null,
                        "notifications.via is jenkins: the koreaNotify step sends it with slackSend");
            }
            if (!configured()) {
                warn("slack: not configured (set " + TOKEN_VARIABLE + " or " + WEBHOOK_VARIABLE + "); "
                        + event.kind().id() + " notification not sent");
                return result(Status.NOT_CONFIGURED, null, null, "not configured");
            }
            SlackMessage message;
            try {
                message = messages.render(event);
            } catch (KoreaException e) {
                warn("slack: template ignored, built-in message sent instead: " + e.getMessage());
                message = messages.builtIn(event);
            }
            return token != null ? postWithToken(message) : postToWebhook(message);
        }

        private NotifyResult postWithToken(SlackMessage message) throws Exception {
            via = "token";
            try (Slack slack = Slack.getInstance(slackConfig())) {
                MethodsClient methods = slack.methods(token);
                SlackThreads threads = stateDir == null ? null : new SlackThreads(stateDir);
                String key = event.threadKey();
                Optional<SlackThreads.Root> root = findRoot(threads, key);
                boolean badNews = event.kind() == Kind.FAILED || event.kind() == Kind.ROLLBACK
                        || event.kind() == Kind.SCAN_FAILED || event.kind() == Kind.BREAK_GLASS;
                ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                        .channel(root.map(SlackThreads.Root::channelId).orElse(message.channel()))
                        .text(message.text())
                        .attachmentsAsString(message.attachmentsJson())
                        .threadTs(root.map(SlackThreads.Root::ts).orElse(null))
                        // bad news hidden in a thread would be missed: show the reply in the channel too
                        .replyBroadcast(root.isPresent() && badNews)
                        .unfurlLinks(false)
                        .unfurlMedia(false)
                        .build();
                ChatPostMessageResponse response = withRetry("chat.postMessage", () -> methods.chatPostMessage(request));
                if (response == null) {
                    return failedResult();
                }
                if (!response.isOk()) {
                    return failed("slack: chat.postMessage to " + message.channel() + " refused: " + response.getError()
                            + hint(response.getError()));
                }
                if (root.isEmpty()) {
                    rememberRoot(threads, key, message.channel(), response);
                } else if (event.kind().terminal()) {
                    updateRoot(methods, root.get(), message);
                }
                return result(Status.SENT, response.getTs(), root.map(SlackThreads.Root::ts).orElse(null),
                        "sent to " + message.channel() + (root.isPresent() ? " (in thread)" : ""));
            }
        }

        private Optional<SlackThreads.Root> findRoot(SlackThreads threads, String key) {
            if (threads == null) {
                return Optional.empty();
            }
            try {
                return threads.find(key, channel);
            } catch (IOException | RuntimeException e) {
                warn("slack: cannot read " + stateDir.resolve(SlackThreads.FILE) + " (" + describe(e)
                        + "); posting without a thread");
                return Optional.empty();
            }
        }

        private void rememberRoot(SlackThreads threads, String key, String channelName, ChatPostMessageResponse response) {
            if (threads == null || response.getTs() == null) {
                return;
            }
            try {
                threads.remember(key, channelName, new SlackThreads.Root(response.getChannel() != null
                        ? response.getChannel() : channelName, response.getTs()));
            } catch (IOException | RuntimeException e) {
                warn("slack: cannot write " + stateDir.resolve(SlackThreads.FILE) + " (" + describe(e)
                        + "); later events of this deployment will not thread");
            }
        }

        private void updateRoot(MethodsClient methods, SlackThreads.Root root, SlackMessage message) {
            try {
                ChatUpdateRequest update = ChatUpdateRequest.builder()
                        .channel(root.channelId())
                        .ts(root.ts())
                        .text(message.text())
                        .attachmentsAsString(message.attachmentsJson())
                        .build();
                ChatUpdateResponse response = withRetry("chat.update", () -> methods.chatUpdate(update));
                if (response != null && !response.isOk()) {
                    warn("slack: chat.update of the deployment's first message refused: " + response.getError());
                }
            } catch (Exception e) {
                warn("slack: chat.update of the deployment's first message failed: " + describe(e));
            }
        }

        private NotifyResult postToWebhook(SlackMessage message) throws Exception {
            via = "webhook";
            if (!webhookLooksRight()) {
                // never echo the value: a mistyped URL is still a secret
                return failed("slack: " + WEBHOOK_VARIABLE + " is not an http(s) URL; " + event.kind().id()
                        + " notification not sent");
            }
            try (Slack slack = Slack.getInstance(slackConfig())) {
                String payload = message.webhookJson();
                WebhookResponse response = withRetry("webhook", () -> {
                    WebhookResponse r = slack.send(webhookUrl, payload);
                    if (r.getCode() != null && r.getCode() == 429) {
                        throw new RateLimited(retryAfter(r.getHeaders()));
                    }
                    return r;
                });
                if (response == null) {
                    return failedResult();
                }
                int code = response.getCode() == null ? 0 : response.getCode();
                if (code < 200 || code > 299) {
                    return failed("slack: webhook answered HTTP " + code + (response.getBody() == null ? ""
                            : ": " + oneLine(response.getBody())) + "; " + event.kind().id() + " notification not sent");
                }
                return result(Status.SENT, null, null, "sent to the webhook's channel");
            }
        }

        private NotifyResult failedResult() {
            return new NotifyResult(Status.FAILED, event.kind().id(), channel, via, null, null, attempts,
                    redact(warned.isEmpty() ? "not sent" : warned.get(warned.size() - 1)), warned);
        }

        /**
         * Runs {@code call}, retrying after HTTP 429 as told by Retry-After within the bounds; returns null (with a
         * warning) when it gives up on rate limiting.
         */
        private <T> T withRetry(String what, SlackCall<T> call) throws Exception {
            while (true) {
                attempts++;
                Duration wait;
                try {
                    return call.run();
                } catch (RateLimited e) {
                    wait = e.wait;
                } catch (SlackApiException e) {
                    if (e.getResponse() == null || e.getResponse().code() != 429) {
                        throw new SlackFailure(what + " answered HTTP " + (e.getResponse() == null ? "?" : e.getResponse().code())
                                + (e.getError() != null && e.getError().getError() != null ? ": " + e.getError().getError() : ""));
                    }
                    wait = parseRetryAfter(e.getResponse().header("Retry-After"));
                }
                if (attempts >= MAX_ATTEMPTS) {
                    warn("slack: " + what + " still rate limited (HTTP 429) after " + attempts + " attempts; "
                            + event.kind().id() + " notification not sent");
                    return null;
                }
                if (wait.getSeconds() > MAX_WAIT_SECONDS) {
                    warn("slack: " + what + " rate limited (HTTP 429) for " + wait.getSeconds() + "s, longer than "
                            + MAX_WAIT_SECONDS + "s; " + event.kind().id() + " notification not sent");
                    return null;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    warn("slack: interrupted while waiting out a rate limit; " + event.kind().id() + " notification not sent");
                    return null;
                }
            }
        }

        private void warn(String line) {
            String safe = redact(line);
            warned.add(safe);
            warnings.accept(safe);
        }

        NotifyResult failed(String warning) {
            warn(warning);
            return new NotifyResult(Status.FAILED, event.kind().id(), channel, via, null, null, attempts,
                    redact(warning), warned);
        }

        private NotifyResult result(Status status, String ts, String threadTs, String text) {
            return new NotifyResult(status, event.kind().id(), channel, via, ts, threadTs, attempts, redact(text), warned);
        }
    }

    private boolean webhookLooksRight() {
        try {
            java.net.URI uri = new java.net.URI(webhookUrl);
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String hint(String error) {
        if (error == null) {
            return "";
        }
        return switch (error) {
            case "not_in_channel" -> " (invite the bot to the channel: /invite @bot)";
            case "channel_not_found" -> " (check notifications.channels in korea.yaml)";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> " (check " + TOKEN_VARIABLE + ")";
            case "missing_scope" -> " (the bot needs the chat:write scope)";
            default -> "";
        };
    }

    private static String oneLine(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private SlackConfig slackConfig() {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        config.setStatsEnabled(false);
        // a slow Slack must not hold up a deployment for long
        config.setHttpClientCallTimeoutMillis(15_000);
        config.setHttpClientReadTimeoutMillis(10_000);
        config.setHttpClientWriteTimeoutMillis(10_000);
        return config;
    }

    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers != null) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if ("retry-after".equalsIgnoreCase(header.getKey()) && header.getValue() != null
                        && !header.getValue().isEmpty()) {
                    return parseRetryAfter(header.getValue().get(0));
                }
            }
        }
        return parseRetryAfter(null);
    }

    /** Retry-After in seconds; one second when absent or unreadable. */
    static Duration parseRetryAfter(String value) {
        if (value != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                // an HTTP date is allowed too, but Slack sends seconds; fall through to the default
            }
        }
        return Duration.ofSeconds(1);
    }

    private interface SlackCall<T> {
        T run() throws Exception;
    }

    /** Slack answered, with an HTTP error. */
    private static final class SlackFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SlackFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final class RateLimited extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Duration wait;

        RateLimited(Duration wait) {
            super(null, null, false, false);
            this.wait = wait;
        }
    }
}
