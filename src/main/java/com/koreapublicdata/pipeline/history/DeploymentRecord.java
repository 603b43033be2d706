package com.koreapublicdata.pipeline.history;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.Outcome;

/**
 * One promotion or rollback, as written to {@code <stateDir>/deployments.jsonl}. Status, history, KPIs and
 * metrics are all computed from these lines.
 *
 * @param id              unique id of this promotion (e.g. {@code production/backend/20261126T054500Z})
 * @param kind            {@code promotion} or {@code rollback}
 * @param time            when it finished
 * @param startedAt       when it started
 * @param environment     environment name
 * @param component       component name
 * @param strategy        rolling, bluegreen, canary or gitops
 * @param image           the image reference deployed (digest form when known)
 * @param digest          {@code sha256:...}, or null when unknown
 * @param version         the version label (tag, git sha) people recognise
 * @param approver        who approved, or null when no approval was needed
 * @param approvalSource  how approval was given: jenkins-input, github-environment, cli; null when none
 * @param buildUrl        the CI build that did it, or null
 * @param commit          the git commit deployed, or null
 * @param commitTime      when that commit was made (for lead time), or null
 * @param outcome         deployed, awaiting-promotion, refused, rolled-back, rollback-failed, failed
 * @param message         one line for people: why it failed, what it waits for
 * @param durationSeconds how long the promotion (or rollback) took
 * @param rollbackSeconds how long the automatic rollback took, when there was one; null otherwise
 * @param revision        the workload revision or git commit it produced, or null
 * @param comparison      a canary's last baseline comparison (outcome, score, per metric both medians and the
 *                        p-value), or null when none ran
 * @param activeSeconds   time the rollout was working (durationSeconds minus paused and approval time), or null
 *                        when not measured
 * @param pausedSeconds   time spent in canary pauses and blue-green waits for promotion, or null
 * @param approvalSeconds time spent waiting for an approval, or null
 * @param requestedBy     who started the run (Jenkins build user, commit author, --requested-by), or null
 * @param approvalReason  why it was approved: the approvers' reasons joined with "; ", or null
 * @param breakGlass      the freeze broken and why ("break-glass by olivia during ...: payments down"), or null
 * @param cluster         the kube context of a multi-cluster (waves) promotion, or null (one cluster, GitOps, older lines)
 * @param wave            that cluster's wave (1-based), or null
 */
public record DeploymentRecord(String id, String kind, Instant time, Instant startedAt, String environment,
        String component, String strategy, String image, String digest, String version, String approver,
        String approvalSource, String buildUrl, String commit, Instant commitTime, Outcome outcome, String message,
        double durationSeconds, Double rollbackSeconds, String revision, Map<String, Object> comparison,
        Double activeSeconds, Double pausedSeconds, Double approvalSeconds, String requestedBy, String approvalReason,
        String breakGlass, String cluster, Integer wave) {

    public DeploymentRecord {
        comparison = comparison == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(comparison));
    }

    /** A new record, field by field; what is not set stays null (0 for durationSeconds). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's fields, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.kind = kind;
        b.time = time;
        b.startedAt = startedAt;
        b.environment = environment;
        b.component = component;
        b.strategy = strategy;
        b.image = image;
        b.digest = digest;
        b.version = version;
        b.approver = approver;
        b.approvalSource = approvalSource;
        b.buildUrl = buildUrl;
        b.commit = commit;
        b.commitTime = commitTime;
        b.outcome = outcome;
        b.message = message;
        b.durationSeconds = durationSeconds;
        b.rollbackSeconds = rollbackSeconds;
        b.revision = revision;
        b.comparison = comparison;
        b.activeSeconds = activeSeconds;
        b.pausedSeconds = pausedSeconds;
        b.approvalSeconds = approvalSeconds;
        b.requestedBy = requestedBy;
        b.approvalReason = approvalReason;
        b.breakGlass = breakGlass;
        b.cluster = cluster;
        b.wave = wave;
        return b;
    }

    /** This record as written for one cluster of a wave. */
    public DeploymentRecord onCluster(String context, Integer waveNumber) {
        return toBuilder().cluster(context).wave(waveNumber).build();
    }

    /** This record with what change control decided: who asked, the approvers' reasons, a broken freeze. */
    public DeploymentRecord withChangeControl(String requestedBy, String approvalReason, String breakGlass) {
        return toBuilder().requestedBy(requestedBy).approvalReason(approvalReason).breakGlass(breakGlass).build();
    }

    /** "alice, bob: CAB-42" for history and Slack: the approvers and why, or null when nobody approved. */
    public String approvedBecause() {
        return approver == null ? null : approvalReason == null ? approver : approver + ": " + approvalReason;
    }

    /**
     * The time that counts as "deploying" for KPIs: active time when measured, else the whole duration (a record
     * without the split has no pauses we know of).
     */
    public double workingSeconds() {
        return activeSeconds != null ? activeSeconds : durationSeconds;
    }

    public static final String PROMOTION = "promotion";
    public static final String ROLLBACK = "rollback";

    /** Whether the change ended up running (the KPI "success"). */
    public boolean succeeded() {
        return outcome == Outcome.DEPLOYED;
    }

    /** Builds a {@link DeploymentRecord}; the setters are named after the record's fields. */
    public static final class Builder {
        private String id;
        private String kind;
        private Instant time;
        private Instant startedAt;
        private String environment;
        private String component;
        private String strategy;
        private String image;
        private String digest;
        private String version;
        private String approver;
        private String approvalSource;
        private String buildUrl;
        private String commit;
        private Instant commitTime;
        private Outcome outcome;
        private String message;
        private double durationSeconds;
        private Double rollbackSeconds;
        private String revision;
        private Map<String, Object> comparison;
        private Double activeSeconds;
        private Double pausedSeconds;
        private Double approvalSeconds;
        private String requestedBy;
        private String approvalReason;
        private String breakGlass;
        private String cluster;
        private Integer wave;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder component(String component) {
            this.component = component;
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder digest(String digest) {
            this.digest = digest;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder approver(String approver) {
            this.approver = approver;
            return this;
        }

        public Builder approvalSource(String approvalSource) {
            this.approvalSource = approvalSource;
            return this;
        }

        public Builder buildUrl(String buildUrl) {
            this.buildUrl = buildUrl;
            return this;
        }

        public Builder commit(String commit) {
            this.commit = commit;
            return this;
        }

        public Builder commitTime(Instant commitTime) {
            this.commitTime = commitTime;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder durationSeconds(double durationSeconds) {
            this.durationSeconds = durationSeconds;
            return this;
        }

        public Builder rollbackSeconds(Double rollbackSeconds) {
            this.rollbackSeconds = rollbackSeconds;
            return this;
        }

        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        public Builder comparison(Map<String, Object> comparison) {
            this.comparison = comparison;
            return this;
        }

        public Builder activeSeconds(Double activeSeconds) {
            this.activeSeconds = activeSeconds;
            return this;
        }

        public Builder pausedSeconds(Double pausedSeconds) {
            this.pausedSeconds = pausedSeconds;
            return this;
        }

        public Builder approvalSeconds(Double approvalSeconds) {
            this.approvalSeconds = approvalSeconds;
            return this;
        }

        public Builder requestedBy(String requestedBy) {
            this.requestedBy = requestedBy;
            return this;
        }

        public Builder approvalReason(String approvalReason) {
            this.approvalReason = approvalReason;
            return this;
        }

        public Builder breakGlass(String breakGlass) {
            this.breakGlass = breakGlass;
            return this;
        }

        public Builder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder wave(Integer wave) {
            this.wave = wave;
            return this;
        }

        public DeploymentRecord build() {
            return new DeploymentRecord(id, kind, time, startedAt, environment, component, strategy, image, digest,
                    version, approver, approvalSource, buildUrl, commit, commitTime, outcome, message, durationSeconds,
                    rollbackSeconds, revision, comparison, activeSeconds, pausedSeconds, approvalSeconds, requestedBy,
                    approvalReason, breakGlass, cluster, wave);
        }
    }
}
