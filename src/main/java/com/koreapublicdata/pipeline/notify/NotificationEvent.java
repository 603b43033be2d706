package com.koreapublicdata.pipeline.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Something that happened to one deployment and that people should hear about. Every field but {@code kind} may be
 * null; the message leaves out what is not known.
 *
 * @param kind            what happened
 * @param environment     development, staging, production, ...
 * @param component       the component deployed (frontend, backend, ...)
 * @param version         the version or tag deployed
 * @param digest          the image digest ({@code sha256:...})
 * @param strategy        rolling, bluegreen, canary, gitops
 * @param approver        who approved (approved, success) or who ordered a manual rollback (rollback)
 * @param durationSeconds how long the deployment took so far
 * @param reason          why it failed or was rolled back, or what is awaited
 * @param scanSummary     one line of scan findings, e.g. {@code CRITICAL 1, HIGH 3 (blocking: CVE-2024-1234)}
 * @param buildUrl        the CI build to open
 * @param deploymentId    what ties the events of one deployment together (one Slack thread); when null, the
 *                        environment, component and version do
 */
public record NotificationEvent(Kind kind, String environment, String component, String version, String digest,
        String strategy, String approver, Double durationSeconds, String reason, String scanSummary, String buildUrl,
        String deploymentId) {

    /** The events korea reports, with the ids used in korea.yaml ({@code notifications.channels}) and on the CLI. */
    public enum Kind {
        STARTED("started"),
        AWAITING_APPROVAL("awaiting-approval"),
        APPROVED("approved"),
        SUCCESS("success"),
        FAILED("failed"),
        ROLLBACK("rollback"),
        SCAN_FAILED("scan-failed"),
        /** A promotion during a freeze window, allowed by --break-glass: announced on its own (the seed's #alerts). */
        BREAK_GLASS("break-glass");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        /** Whether this event ends the deployment (its first message in a channel is then updated with the outcome). */
        public boolean terminal() {
            return this == SUCCESS || this == FAILED || this == ROLLBACK || this == SCAN_FAILED;
        }

        public static Optional<Kind> fromId(String id) {
            if (id == null) {
                return Optional.empty();
            }
            String wanted = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
        }

        /** Every id, comma separated, for error messages and help. */
        public static String ids() {
            return Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "));
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public NotificationEvent {
        if (kind == null) {
            throw new IllegalArgumentException("a notification needs an event kind: " + Kind.ids());
        }
        environment = blankToNull(environment);
        component = blankToNull(component);
        version = blankToNull(version);
        digest = blankToNull(digest);
        strategy = blankToNull(strategy);
        approver = blankToNull(approver);
        reason = blankToNull(reason);
        scanSummary = blankToNull(scanSummary);
        buildUrl = blankToNull(buildUrl);
        deploymentId = blankToNull(deploymentId);
    }

    /** An event with only the essentials; add the rest with {@link #builder}. */
    public static NotificationEvent of(Kind kind, String environment, String component, String version) {
        return builder(kind).environment(environment).component(component).version(version).build();
    }

    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    /**
     * One line of scan counts for {@code scanSummary}: {@code CRITICAL 1, HIGH 3; blocking: CVE-2024-1, CVE-2024-2}.
     * Severities with no findings are left out; at most five blocking ids are named.
     *
     * @param counts   findings per severity (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN; other keys follow in their order)
     * @param blocking ids of the findings that failed the gate; may be null
     */
    public static String scanSummary(java.util.Map<String, Integer> counts, java.util.List<String> blocking) {
        java.util.List<String> order = new java.util.ArrayList<>(java.util.List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"));
        if (counts != null) {
            counts.keySet().stream().filter(k -> !order.contains(k)).forEach(order::add);
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String severity : order) {
            Integer n = counts == null ? null : counts.get(severity);
            if (n != null && n > 0) {
                parts.add(severity + " " + n);
            }
        }
        StringBuilder line = new StringBuilder(parts.isEmpty() ? "no findings" : String.join(", ", parts));
        if (blocking != null && !blocking.isEmpty()) {
            line.append("; blocking: ").append(String.join(", ", blocking.subList(0, Math.min(5, blocking.size()))));
            if (blocking.size() > 5) {
                line.append(" (+").append(blocking.size() - 5).append(" more)");
            }
        }
        return line.toString();
    }

    /** The key the Slack thread of this deployment is stored under. */
    public String threadKey() {
        if (deploymentId != null) {
            return deploymentId;
        }
        return (environment == null ? "-" : environment) + "/" + (component == null ? "-" : component) + "/"
                + (version != null ? version : digest != null ? digest : "-");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Fills an event field by field; callers set what they know. */
    public static final class Builder {
        private final Kind kind;
        private String environment;
        private String component;
        private String version;
        private String digest;
        private String strategy;
        private String approver;
        private Double durationSeconds;
        private String reason;
        private String scanSummary;
        private String buildUrl;
        private String deploymentId;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        public Builder environment(String value) {
            environment = value;
            return this;
        }

        public Builder component(String value) {
            component = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder digest(String value) {
            digest = value;
            return this;
        }

        public Builder strategy(String value) {
            strategy = value;
            return this;
        }

        public Builder approver(String value) {
            approver = value;
            return this;
        }

        public Builder durationSeconds(Double value) {
            durationSeconds = value;
            return this;
        }

        public Builder reason(String value) {
            reason = value;
            return this;
        }

        public Builder scanSummary(String value) {
            scanSummary = value;
            return this;
        }

        public Builder buildUrl(String value) {
            buildUrl = value;
            return this;
        }

        public Builder deploymentId(String value) {
            deploymentId = value;
            return this;
        }

        public NotificationEvent build() {
            return new NotificationEvent(kind, environment, component, version, digest, strategy, approver,
                    durationSeconds, reason, scanSummary, buildUrl, deploymentId);
        }
    }
}
