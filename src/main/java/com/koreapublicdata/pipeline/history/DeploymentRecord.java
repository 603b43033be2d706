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

    /** A record of one cluster (or no waves): the form before multi-cluster promotion. */
    public DeploymentRecord(String id, String kind, Instant time, Instant startedAt, String environment,
            String component, String strategy, String image, String digest, String version, String approver,
            String approvalSource, String buildUrl, String commit, Instant commitTime, Outcome outcome, String message,
            double durationSeconds, Double rollbackSeconds, String revision, Map<String, Object> comparison,
            Double activeSeconds, Double pausedSeconds, Double approvalSeconds, String requestedBy, String approvalReason,
            String breakGlass) {
        this(id, kind, time, startedAt, environment, component, strategy, image, digest, version, approver, approvalSource,
                buildUrl, commit, commitTime, outcome, message, durationSeconds, rollbackSeconds, revision, comparison,
                activeSeconds, pausedSeconds, approvalSeconds, requestedBy, approvalReason, breakGlass, null, null);
    }

    /** This record as written for one cluster of a wave. */
    public DeploymentRecord onCluster(String context, Integer waveNumber) {
        return new DeploymentRecord(id, kind, time, startedAt, environment, component, strategy, image, digest, version,
                approver, approvalSource, buildUrl, commit, commitTime, outcome, message, durationSeconds, rollbackSeconds,
                revision, comparison, activeSeconds, pausedSeconds, approvalSeconds, requestedBy, approvalReason, breakGlass,
                context, waveNumber);
    }

    public DeploymentRecord {
        comparison = comparison == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(comparison));
    }

    /** A record without change-control details (who asked, why approved, break-glass). */
    public DeploymentRecord(String id, String kind, Instant time, Instant startedAt, String environment,
            String component, String strategy, String image, String digest, String version, String approver,
            String approvalSource, String buildUrl, String commit, Instant commitTime, Outcome outcome, String message,
            double durationSeconds, Double rollbackSeconds, String revision, Map<String, Object> comparison,
            Double activeSeconds, Double pausedSeconds, Double approvalSeconds) {
        this(id, kind, time, startedAt, environment, component, strategy, image, digest, version, approver, approvalSource,
                buildUrl, commit, commitTime, outcome, message, durationSeconds, rollbackSeconds, revision, comparison,
                activeSeconds, pausedSeconds, approvalSeconds, null, null, null);
    }

    /** This record with what change control decided: who asked, the approvers' reasons, a broken freeze. */
    public DeploymentRecord withChangeControl(String requestedBy, String approvalReason, String breakGlass) {
        return new DeploymentRecord(id, kind, time, startedAt, environment, component, strategy, image, digest, version,
                approver, approvalSource, buildUrl, commit, commitTime, outcome, message, durationSeconds, rollbackSeconds,
                revision, comparison, activeSeconds, pausedSeconds, approvalSeconds, requestedBy, approvalReason, breakGlass,
                cluster, wave);
    }

    /** "alice, bob: CAB-42" for history and Slack: the approvers and why, or null when nobody approved. */
    public String approvedBecause() {
        return approver == null ? null : approvalReason == null ? approver : approver + ": " + approvalReason;
    }

    /** A record without comparison and time split (rollbacks, GitOps, older lines). */
    public DeploymentRecord(String id, String kind, Instant time, Instant startedAt, String environment,
            String component, String strategy, String image, String digest, String version, String approver,
            String approvalSource, String buildUrl, String commit, Instant commitTime, Outcome outcome, String message,
            double durationSeconds, Double rollbackSeconds, String revision) {
        this(id, kind, time, startedAt, environment, component, strategy, image, digest, version, approver, approvalSource,
                buildUrl, commit, commitTime, outcome, message, durationSeconds, rollbackSeconds, revision, null, null, null,
                null, null, null, null);
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
}
