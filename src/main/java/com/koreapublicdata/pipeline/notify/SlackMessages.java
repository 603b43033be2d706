package com.koreapublicdata.pipeline.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.NotificationSettings;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;

/**
 * Builds the Slack message for an event: the one place message content is decided, used by the engine's own sending
 * and by {@code korea notify --render-only} for Jenkins' slackSend. A repository may override an event's message with
 * {@code <templates>/<event>.json} ({@code text}, {@code color}, {@code blocks}, each optional) using
 * {@code {{placeholders}}}; see docs/notifications.md.
 */
public final class SlackMessages {
    /** {@code {{name}}}, also in the seed's Go style {@code {{ .Name }}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.?([A-Za-z][A-Za-z0-9_-]*)\\s*}}");
    private static final Set<String> TEMPLATE_KEYS = Set.of("text", "color", "blocks");
    private static final int HEADER_LIMIT = 150;
    private static final int TEXT_LIMIT = 2900;

    private final NotificationSettings settings;
    private final Path templateDir;

    /**
     * @param settings    channels per event
     * @param templateDir folder holding {@code <event>.json} overrides; null for the built-in messages only
     */
    public SlackMessages(NotificationSettings settings, Path templateDir) {
        this.settings = settings == null ? NotificationSettings.defaults() : settings;
        this.templateDir = templateDir;
    }

    /** The settings of a loaded korea.yaml, templates resolved against its folder. */
    public SlackMessages(ConfigFile file) {
        this(file.config().notifications(), templateDir(file));
    }

    private static Path templateDir(ConfigFile file) {
        String templates = file.config().notifications().templates();
        return templates == null ? null : file.resolve(templates);
    }

    /**
     * The message for {@code event}, from its template when the repository has one.
     *
     * @throws KoreaException (exit 2) when the event's template exists but is not valid; the message names the file
     */
    public SlackMessage render(NotificationEvent event) {
        Path template = templateDir == null ? null : templateDir.resolve(event.kind().id() + ".json");
        if (template == null || !Files.isRegularFile(template)) {
            return builtIn(event);
        }
        return fromTemplate(event, template);
    }

    /** The built-in message, ignoring any template (what a sender falls back to when a template is broken). */
    public SlackMessage builtIn(NotificationEvent event) {
        String headline = headline(event);
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(block("header", "text", plain(truncate(headline, HEADER_LIMIT))));
        List<Map<String, Object>> fields = new ArrayList<>();
        field(fields, "Environment", event.environment());
        field(fields, "Component", event.component());
        field(fields, "Version", event.version());
        if (event.digest() != null) {
            fields.add(mrkdwn("*Digest*\n`" + escape(shortDigest(event.digest())) + "`"));
        }
        field(fields, "Strategy", event.strategy());
        field(fields, approverLabel(event.kind()), event.approver());
        field(fields, "Duration", event.durationSeconds() == null ? null : duration(event.durationSeconds()));
        if (!fields.isEmpty()) {
            blocks.add(block("section", "fields", fields));
        }
        if (event.reason() != null) {
            String reason = approval(event) != null ? approval(event) : event.reason();
            blocks.add(block("section", "text", mrkdwn("*" + reasonLabel(event.kind()) + "*\n"
                    + truncate(escape(reason), TEXT_LIMIT))));
        }
        if (event.scanSummary() != null) {
            blocks.add(block("section", "text", mrkdwn("*Scan*\n" + truncate(escape(event.scanSummary()), TEXT_LIMIT))));
        }
        if (event.buildUrl() != null) {
            blocks.add(block("context", "elements", List.of(mrkdwn("<" + escape(event.buildUrl()) + "|Open build>"))));
        }
        return message(event, escape(textLine(event)), color(event.kind()), blocks);
    }

    private SlackMessage message(NotificationEvent event, String text, String color, List<Map<String, Object>> blocks) {
        List<Map<String, Object>> details = new ArrayList<>(blocks);
        // text is shown above the attachment, so a leading header would say the same thing twice
        while (!details.isEmpty() && "header".equals(details.get(0).get("type"))) {
            details.remove(0);
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("color", color);
        attachment.put("fallback", text);
        attachment.put("blocks", details);
        return new SlackMessage(channel(event.kind()), text, color, blocks, List.of(Collections.unmodifiableMap(attachment)));
    }

    /** The channel korea.yaml routes {@code kind} to (the seed's when not set). */
    public String channel(Kind kind) {
        String channel = settings.channels().get(kind.id());
        return channel != null ? channel : NotificationSettings.DEFAULT_CHANNELS.get(kind.id());
    }

    // --- built-in content ---------------------------------------------------------------------------------------

    private static String emoji(Kind kind) {
        return switch (kind) {
            case STARTED -> "🚀";
            case AWAITING_APPROVAL -> "⏸️";
            case APPROVED -> "👍";
            case SUCCESS -> "✅";
            case FAILED -> "❌";
            case ROLLBACK -> "🔄";
            case SCAN_FAILED -> "🛡️";
            case BREAK_GLASS -> "🚨";
        };
    }

    private static String title(NotificationEvent event) {
        return switch (event.kind()) {
            case STARTED -> "Deployment started";
            case AWAITING_APPROVAL -> "Approval needed";
            case APPROVED -> "Deployment approved";
            case SUCCESS -> "Deployment successful";
            case FAILED -> "Deployment failed";
            case ROLLBACK -> event.approver() == null ? "Auto-rollback triggered" : "Rollback by " + event.approver();
            case SCAN_FAILED -> "Scan gate refused";
            case BREAK_GLASS -> "Freeze broken";
        };
    }

    /** Colours by outcome: blue in progress, amber waiting, green done, red broken. */
    private static String color(Kind kind) {
        return switch (kind) {
            case STARTED, APPROVED -> "#439FE0";
            case AWAITING_APPROVAL -> "#ECB22E";
            case SUCCESS -> "#2EB67D";
            case FAILED, ROLLBACK, SCAN_FAILED, BREAK_GLASS -> "#E01E5A";
        };
    }

    private static String approverLabel(Kind kind) {
        return kind == Kind.ROLLBACK ? "Ordered by" : "Approver";
    }

    private static String reasonLabel(Kind kind) {
        return switch (kind) {
            case AWAITING_APPROVAL -> "Waiting for";
            case FAILED, ROLLBACK, SCAN_FAILED -> "Reason";
            case BREAK_GLASS -> "Break-glass";
            case STARTED, APPROVED, SUCCESS -> "Approval";
            default -> "Note";
        };
    }

    /** What was deployed: {@code backend 1.4.2}, or the short digest when there is no version. */
    private static String subject(NotificationEvent event) {
        StringBuilder subject = new StringBuilder();
        if (event.component() != null) {
            subject.append(event.component());
        }
        String version = event.version() != null ? event.version()
                : event.digest() != null ? shortDigest(event.digest()) : null;
        if (version != null) {
            subject.append(subject.length() == 0 ? "" : " ").append(version);
        }
        return subject.toString();
    }

    /** {@code 🚀 Deployment started: production - backend 1.4.2}, the seed's wording with the component added. */
    private static String headline(NotificationEvent event) {
        String where = event.environment();
        String what = subject(event);
        String tail = where == null ? what : what.isEmpty() ? where : where + " - " + what;
        return emoji(event.kind()) + " " + title(event) + (tail.isEmpty() ? "" : ": " + tail);
    }

    /**
     * "approved by alice, bob: CAB-42" on started, approved and success messages that carry the approvers' reason, else
     * null (started carries it so the pipeline needs no separate approved message per component).
     */
    private static String approval(NotificationEvent event) {
        boolean approvalKind = event.kind() == Kind.STARTED || event.kind() == Kind.APPROVED || event.kind() == Kind.SUCCESS;
        return approvalKind && event.approver() != null && event.reason() != null
                ? "approved by " + event.approver() + ": " + event.reason() : null;
    }

    /** The headline plus the reason for bad news, so the notification preview alone tells what broke. */
    private static String textLine(NotificationEvent event) {
        String line = headline(event);
        boolean badNews = event.kind() == Kind.FAILED || event.kind() == Kind.ROLLBACK || event.kind() == Kind.SCAN_FAILED
                || event.kind() == Kind.BREAK_GLASS;
        if (badNews && event.reason() != null) {
            line += " (" + truncate(event.reason().replaceAll("\\s+", " "), 200) + ")";
        } else if (event.kind() == Kind.SCAN_FAILED && event.scanSummary() != null) {
            line += " (" + truncate(event.scanSummary(), 200) + ")";
        } else if (event.kind() == Kind.SUCCESS && event.durationSeconds() != null) {
            line += " in " + duration(event.durationSeconds());
        }
        if (approval(event) != null) {
            line += " (" + truncate(approval(event).replaceAll("\\s+", " "), 200) + ")";
        }
        return line;
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = colon < 0 ? "" : digest.substring(0, colon + 1);
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return algorithm + (hex.length() > 12 ? hex.substring(0, 12) : hex);
    }

    /** 252.4 seconds is {@code 4m 12s}. */
    static String duration(double seconds) {
        long total = Math.round(Math.max(0, seconds));
        long hours = total / 3600;
        long minutes = total % 3600 / 60;
        long secs = total % 60;
        if (hours > 0) {
            return hours + "h " + minutes + "m " + secs + "s";
        }
        return minutes > 0 ? minutes + "m " + secs + "s" : secs + "s";
    }

    // --- templates ------------------------------------------------------------------------------------------------

    private SlackMessage fromTemplate(NotificationEvent event, Path file) {
        Map<String, Object> template;
        try {
            template = SlackJson.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw KoreaException.invalidInput(file + ": line " + e.getLocation().getLineNr()
                    + ": not a JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KoreaException.invalidInput(file + ": cannot read: " + e.getMessage());
        }
        if (template == null) {
            throw KoreaException.invalidInput(file + ": empty; a template is a JSON object with text, color and blocks");
        }
        for (String key : template.keySet()) {
            if (!TEMPLATE_KEYS.contains(key)) {
                throw KoreaException.invalidInput(file + ": unknown key '" + key + "'; allowed: blocks, color, text");
            }
        }
        SlackMessage builtIn = builtIn(event);
        Map<String, String> values = values(event);
        String text = builtIn.text();
        if (template.containsKey("text")) {
            text = (String) fill(file, "text", requireType(file, "text", template.get("text"), String.class), values, true);
        }
        String color = builtIn.color();
        if (template.containsKey("color")) {
            color = (String) fill(file, "color", requireType(file, "color", template.get("color"), String.class), values, false);
        }
        List<Map<String, Object>> blocks = builtIn.blocks();
        if (template.containsKey("blocks")) {
            List<?> raw = requireType(file, "blocks", template.get("blocks"), List.class);
            List<Map<String, Object>> filled = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                Object block = raw.get(i);
                if (!(block instanceof Map<?, ?> map) || !(map.get("type") instanceof String)) {
                    throw KoreaException.invalidInput(file + ": blocks[" + i + "] must be a Block Kit block, an object with a type");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> one = (Map<String, Object>) fill(file, "blocks[" + i + "]", block, values, true);
                filled.add(one);
            }
            if (filled.size() > 50) {
                throw KoreaException.invalidInput(file + ": " + filled.size() + " blocks; Slack allows at most 50");
            }
            blocks = filled;
        }
        return message(event, text, color, blocks);
    }

    private static <T> T requireType(Path file, String key, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw KoreaException.invalidInput(file + ": '" + key + "' must be " + (type == String.class ? "a string" : "an array"));
        }
        return type.cast(value);
    }

    /** Replaces placeholders in every string of {@code node}; values are escaped except inside plain_text objects. */
    private Object fill(Path file, String where, Object node, Map<String, String> values, boolean mrkdwn) {
        if (node instanceof String s) {
            return substitute(file, where, s, values, mrkdwn);
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(fill(file, where + "[" + i + "]", list.get(i), values, mrkdwn));
            }
            return Collections.unmodifiableList(out);
        }
        if (node instanceof Map<?, ?> map) {
            boolean plainText = "plain_text".equals(map.get("type"));
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), fill(file, where + "." + k, v, values, mrkdwn && !plainText)));
            return Collections.unmodifiableMap(out);
        }
        return node;
    }

    private static String substitute(Path file, String where, String s, Map<String, String> values, boolean mrkdwn) {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = normalise(m.group(1));
            if (!values.containsKey(name)) {
                throw KoreaException.invalidInput(file + ": " + where + ": unknown placeholder '" + m.group() + "'; allowed: "
                        + String.join(", ", placeholderNames()));
            }
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(mrkdwn ? escape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** The placeholder names a template may use, as documented. */
    public static Set<String> placeholderNames() {
        return new TreeSet<>(List.of("environment", "component", "version", "digest", "shortDigest", "strategy", "approver",
                "duration", "durationSeconds", "reason", "scanSummary", "buildUrl", "deploymentId", "event", "emoji",
                "title", "headline", "channel"));
    }

    private Map<String, String> values(NotificationEvent event) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("environment", orDash(event.environment()));
        values.put("component", orDash(event.component()));
        values.put("version", orDash(event.version()));
        values.put("digest", orDash(event.digest()));
        values.put("shortdigest", event.digest() == null ? "-" : shortDigest(event.digest()));
        values.put("strategy", orDash(event.strategy()));
        values.put("approver", orDash(event.approver()));
        values.put("duration", event.durationSeconds() == null ? "-" : duration(event.durationSeconds()));
        values.put("durationseconds", event.durationSeconds() == null ? "-"
                : String.format(Locale.ROOT, "%.1f", event.durationSeconds()));
        values.put("reason", orDash(event.reason()));
        values.put("scansummary", orDash(event.scanSummary()));
        values.put("buildurl", orDash(event.buildUrl()));
        values.put("deploymentid", event.threadKey());
        values.put("event", event.kind().id());
        values.put("emoji", emoji(event.kind()));
        values.put("title", title(event));
        values.put("headline", headline(event));
        values.put("channel", channel(event.kind()));
        return values;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    // --- Block Kit helpers ----------------------------------------------------------------------------------------

    private static Map<String, Object> block(String type, String key, Object value) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", type);
        block.put(key, value);
        return Collections.unmodifiableMap(block);
    }

    private static Map<String, Object> plain(String text) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "plain_text");
        object.put("text", text);
        object.put("emoji", true);
        return Collections.unmodifiableMap(object);
    }

    private static Map<String, Object> mrkdwn(String text) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "mrkdwn");
        object.put("text", text);
        return Collections.unmodifiableMap(object);
    }

    private static void field(List<Map<String, Object>> fields, String label, String value) {
        if (value != null) {
            fields.add(mrkdwn("*" + label + "*\n" + truncate(escape(value), 1900)));
        }
    }

    /** Slack's three control characters in mrkdwn. */
    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String value, int limit) {
        return value.length() <= limit ? value : value.substring(0, limit - 1) + "…";
    }
}
