package com.koreapublicdata.pipeline.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;

/**
 * The one place that decides which notification a result is worth: the deploy listener (korea promote, rollout,
 * rollback and korea run's deploys), korea run's build and scan stages, korea scan and {@code korea notify
 * --result FILE} all ask {@link #forResult}, so the same outcome gives the same Slack message on every path.
 */
public final class NotificationEvents {

    private NotificationEvents() {
    }

    /** What produced a result; only a scan's refusal has its own event (scan-failed). */
    public enum Source {
        PROMOTION, ROLLBACK, SCAN, BUILD, RUN
    }

    /**
     * The event an outcome is worth; empty when there is nothing to tell: a scan or build that passed or was
     * skipped, a rollback with nothing to do, and a lock held by another promotion (that one reports itself).
     */
    public static Optional<Kind> forResult(Source source, Outcome outcome) {
        if (outcome == null) {
            return Optional.empty();
        }
        return switch (outcome) {
            case DEPLOYED -> Optional.of(Kind.SUCCESS);
            case AWAITING_PROMOTION -> Optional.of(Kind.AWAITING_APPROVAL);
            case ABORTED, ROLLED_BACK, ROLLBACK_FAILED -> Optional.of(Kind.ROLLBACK);
            case REFUSED -> Optional.of(source == Source.SCAN ? Kind.SCAN_FAILED : Kind.FAILED);
            case FAILED, UNKNOWN, INVALID_INPUT -> Optional.of(Kind.FAILED);
            case PASSED, SKIPPED, LOCKED -> Optional.empty();
        };
    }

    /**
     * What a korea result file says, as far as a notification needs it.
     *
     * @param source      the command that wrote it, told by its fields
     * @param outcome     its outcome
     * @param components  the components it is about (one, except for a korea run result)
     * @param scanSummary one line of scan counts for a scan result, else null
     */
    public record ResultFacts(Path file, Source source, Outcome outcome, String environment, List<String> components,
            String version, String digest, String strategy, String approver, Double durationSeconds, String message,
            String scanSummary) {

        public ResultFacts {
            components = List.copyOf(components);
        }

        /** The event this result is worth; see {@link NotificationEvents#forResult}. */
        public Optional<Kind> kind() {
            return forResult(source, outcome);
        }
    }

    /** Reads a result written by promote, rollout, rollback, scan, build or run; a bad file is exit 2 naming it. */
    public static ResultFacts read(Path file) {
        return read(file, file.toString());
    }

    /** As {@link #read(Path)}; messages name the file as {@code name} (the path the user gave). */
    public static ResultFacts read(Path file, String name) {
        JsonNode root;
        try {
            root = SlackJson.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw KoreaException.invalidInput("--result " + name + ": cannot read it as a korea JSON result ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + ")");
        }
        if (root == null || !root.isObject()) {
            throw KoreaException.invalidInput("--result " + name + ": not a korea JSON result (expected an object with "
                    + "an outcome, as promote, rollout, rollback, scan, build and run write with --format json)");
        }
        String outcomeText = text(root, "outcome");
        Outcome outcome;
        try {
            outcome = Outcome.fromJson(outcomeText);
        } catch (IllegalArgumentException e) {
            throw KoreaException.invalidInput("--result " + name + ": " + (outcomeText == null ? "no outcome field"
                    : "outcome '" + outcomeText + "' is not one korea writes") + "; outcomes: " + outcomes());
        }
        Source source = source(root);
        List<String> components = new ArrayList<>();
        if (source == Source.RUN) {
            root.path("components").forEach(c -> components.add(text(c, "component")));
        } else if (text(root, "component") != null) {
            components.add(text(root, "component"));
        }
        String image = text(root, "image");
        String digest = text(root, "digest");
        String version = text(root, "version") != null ? text(root, "version") : version(image, digest);
        Double seconds = root.path("durationSeconds").isNumber() && root.path("durationSeconds").asDouble() > 0
                ? root.path("durationSeconds").asDouble() : null;
        return new ResultFacts(file, source, outcome, text(root, "environment"), components, version, digest,
                text(root, "strategy"), text(root, "approver"), seconds, text(root, "message"),
                source == Source.SCAN ? scanSummary(root) : null);
    }

    /** The command is told by the fields only it writes; every failure result is promote-shaped. */
    private static Source source(JsonNode root) {
        if (root.path("components").isArray()) {
            return Source.RUN;
        }
        if (root.has("fromRevision") || root.has("toRevision")) {
            return Source.ROLLBACK;
        }
        if (root.has("verdict") || root.has("blockingTotal")) {
            return Source.SCAN;
        }
        if (root.has("builder") || root.has("tests") || root.has("audits")) {
            return Source.BUILD;
        }
        return Source.PROMOTION;
    }

    /** What people call the version: the image's tag, else its short digest. */
    private static String version(String image, String digest) {
        if (image != null) {
            String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            int colon = name.lastIndexOf(':');
            if (colon > name.lastIndexOf('/')) {
                return name.substring(colon + 1);
            }
        }
        String d = digest != null ? digest : image != null && image.contains("@") ? image.substring(image.indexOf('@') + 1) : null;
        if (d == null) {
            return null;
        }
        String hex = d.contains(":") ? d.substring(d.indexOf(':') + 1) : d;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static String scanSummary(JsonNode root) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        root.path("counts").forEach(kind -> kind.fields().forEachRemaining(e ->
                bySeverity.merge(e.getKey(), e.getValue().asInt(), Integer::sum)));
        List<String> blocking = new ArrayList<>();
        root.path("blocking").forEach(f -> {
            String id = text(f, "id");
            if (id != null && !blocking.contains(id)) {
                blocking.add(id);
            }
        });
        return NotificationEvent.scanSummary(bySeverity, blocking);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String outcomes() {
        return String.join(", ", java.util.Arrays.stream(Outcome.values()).map(Outcome::json).toList());
    }
}
