package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
import com.koreapublicdata.pipeline.config.CanaryStep;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.control.ChangeRequest;
import com.koreapublicdata.pipeline.control.Decision;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/** One promotion in progress: what it deploys, its gates, and how it ends (result, record, listener). */
final class PromotionRun {
    final DeployServices s;
    final PromotionRequest req;
    final Component component;
    final Environment env;
    final DeploySettings settings;
    final String digest;
    final String image;
    final String version;
    final Instant started;
    /** Active versus paused time of this rollout, for rollout.budget and the record. */
    final RolloutTimes times;
    /** How long the rollout waited for this promotion (korea rollout promote after awaiting-promotion), or 0. */
    final double approvalSeconds;
    /** The strategy's view of this run, once it reaches a cluster: it holds the canary's baseline comparison. */
    DeployContext ctx;
    LeaseLock.Held lock;
    Double rollbackSeconds;
    /** A broken freeze goes into the deployment record's message. */
    private String breakGlass;
    /** The approvers' reasons and who started the run, for the record and the success message. */
    private String approvalReason;
    private String requestedBy;
    private boolean recorded;

    PromotionRun(KoreaConfig config, DeployServices s, PromotionRequest req) {
        this.s = s;
        this.req = req;
        this.component = Lookups.component(config, req.component());
        this.env = Lookups.environment(config, req.environment());
        this.settings = env.deployment(component.name());
        if (req.approvalSource() != null && !PromotionRequest.APPROVAL_SOURCES.contains(req.approvalSource())) {
            throw KoreaException.invalidInput("--approval-source " + req.approvalSource() + ": allowed are "
                    + PromotionRequest.APPROVAL_SOURCES);
        }
        ImageReference parsed = ImageReference.parse(req.image());
        if (parsed.digest() == null) {
            parsed = s.digests().digestOf(component.name(), parsed).map(parsed::withDigest).orElse(parsed);
        }
        this.digest = parsed.digest();
        this.image = parsed.deployable();
        this.version = req.version() != null ? req.version() : parsed.version();
        this.started = s.clock().instant();
        this.times = new RolloutTimes(s.clock(), started);
        this.approvalSeconds = req.confirm() ? waitedForPromotion() : 0;
    }

    boolean gitOps() {
        return settings.strategy() == Strategy.GITOPS || env.isGitOps();
    }

    String strategyId() {
        return gitOps() ? Strategy.GITOPS.id() : settings.strategy().id();
    }

    /** Seconds since this component's last record here said awaiting-promotion (the wait for a person). */
    private double waitedForPromotion() {
        try {
            List<DeploymentRecord> records = s.log().read().stream().filter(r -> env.name().equals(r.environment())
                    && component.name().equals(r.component()) && DeploymentRecord.PROMOTION.equals(r.kind())).toList();
            if (records.isEmpty()) {
                return 0;
            }
            DeploymentRecord last = records.get(records.size() - 1);
            return PromotionResult.AWAITING_PROMOTION.equals(last.outcome()) && last.time() != null
                    ? Math.max(0, Duration.between(last.time(), started).toMillis() / 1000.0) : 0;
        } catch (RuntimeException e) {
            return 0; // an unreadable log only loses this figure
        }
    }

    /** Change control (approvals, team, freeze, promotion path) and the scan gate; nothing here talks to a cluster. */
    Optional<String> gate(ChangeControl control) {
        Decision decision = control.check(new ChangeRequest(env.name(), component.name(), digest, req.authorization()));
        approvalReason = decision.reason();
        requestedBy = req.authorization().approval() != null && req.authorization().approval().requestedBy() != null
                ? req.authorization().approval().requestedBy() : req.authorization().requestedBy();
        if (!decision.allowed()) {
            return Optional.of(decision.message());
        }
        decision.notes().forEach(s.progress());
        breakGlass = decision.notes().isEmpty() ? null : String.join("; ", decision.notes());
        Optional<String> scan = s.scanGate().refusal(env, req.image(), digest);
        if (scan.isPresent()) {
            return scan;
        }
        if (breakGlass != null) {
            Lookups.safely(() -> s.listener().brokeGlass(event(null, breakGlass)));
        }
        return Optional.empty();
    }

    WorkloadStrategy.Change change() {
        return new WorkloadStrategy.Change(image, version, Annotations.of(version, image, req.approvedBy(), req.approvalSource(),
                req.buildUrl(), req.commit(), s.clock().instant()), req.confirm(), times);
    }

    Instant deadline() {
        Duration timeout = req.timeout() != null ? req.timeout() : env.timeout();
        if (settings.strategy() == Strategy.CANARY && !gitOps()) {
            // the canary's own pauses are deliberate: the timeout covers everything else
            for (CanaryStep step : settings.canary().steps()) {
                if (step.pause() != null && step.pause().duration() != null) {
                    timeout = timeout.plus(step.pause().duration());
                }
            }
        }
        return started.plus(timeout);
    }

    void checkLock() {
        if (lock != null && lock.lost() != null) {
            throw new KoreaException(ExitCode.FAILURE, lock.lost() + "; stopping without further changes");
        }
    }

    /** The result, recorded once and told to the listener. */
    PromotionResult finish(Outcome outcome, boolean changed, String message, String revision) {
        PromotionResult result = new PromotionResult(env.name(), component.name(), image, digest, strategyId(),
                req.approvedBy(), req.approvalSource(), seconds(started), outcome, changed, message, revision, comparison());
        record(outcome, message, revision);
        PromotionListener.Event e = event(outcome, message).withApprovalReason(approvalReason);
        Lookups.safely(() -> {
            switch (outcome) {
                case DEPLOYED -> s.listener().succeeded(e);
                case AWAITING_PROMOTION -> s.listener().awaitingApproval(e);
                case ROLLED_BACK, ROLLBACK_FAILED -> s.listener().rolledBack(e);
                default -> s.listener().failed(e);
            }
        });
        return result;
    }

    /** A failure thrown before anything changed: recorded and told, then thrown on by the caller. */
    void failed(String message) {
        record(Outcome.FAILED, message, null);
        Lookups.safely(() -> s.listener().failed(event(Outcome.FAILED, message)));
    }

    private BaselineVerdict comparison() {
        return ctx == null ? null : ctx.comparison();
    }

    private void record(Outcome outcome, String message, String revision) {
        if (recorded) {
            return;
        }
        recorded = true;
        BaselineVerdict comparison = comparison();
        s.log().append(DeploymentRecord.builder()
                .id(Lookups.id(env.name(), component.name(), started)).kind(DeploymentRecord.PROMOTION)
                .time(s.clock().instant()).startedAt(started).environment(env.name()).component(component.name())
                .strategy(strategyId()).image(image).digest(digest).version(version)
                .approver(req.approvedBy()).approvalSource(req.approvalSource()).buildUrl(req.buildUrl())
                .commit(req.commit()).commitTime(req.commitTime()).outcome(outcome)
                .message(breakGlass == null ? message : message + " [" + breakGlass + "]")
                .durationSeconds(seconds(started)).rollbackSeconds(rollbackSeconds).revision(revision)
                .comparison(comparison == null ? null : comparison.summary())
                .activeSeconds(RolloutTimes.seconds(times.active())).pausedSeconds(RolloutTimes.seconds(times.paused()))
                .approvalSeconds(approvalSeconds)
                .requestedBy(requestedBy).approvalReason(approvalReason).breakGlass(breakGlass)
                .build());
    }

    PromotionListener.Event event(Outcome outcome, String message) {
        return new PromotionListener.Event(env.name(), component.name(), image, digest, strategyId(), req.approvedBy(), outcome,
                message, seconds(started)).withApprovalReason(approvalReason); // started says who approved and why
    }

    double seconds(Instant since) {
        return Duration.between(since, s.clock().instant()).toMillis() / 1000.0;
    }
}
