package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.CanaryStep;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/** One promotion in progress: what it deploys, its gates, and how it ends (result, record, listener). */
final class PromotionRun {
    final KoreaConfig config;
    final DeployServices s;
    final PromotionRequest req;
    final Component component;
    final Environment env;
    final DeploySettings settings;
    final String digest;
    final String image;
    final String version;
    final Instant started;
    LeaseLock.Held lock;
    Double rollbackSeconds;
    private boolean recorded;

    PromotionRun(KoreaConfig config, DeployServices s, PromotionRequest req) {
        this.config = config;
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
    }

    boolean gitOps() {
        return settings.strategy() == Strategy.GITOPS || env.isGitOps();
    }

    String strategyId() {
        return gitOps() ? Strategy.GITOPS.id() : settings.strategy().id();
    }

    /** The approval and scan gates; nothing here talks to a cluster. */
    Optional<String> gate() {
        var approval = env.approval();
        if (approval.required() && req.approvedBy() == null) {
            return Optional.of("environment " + env.name() + " requires approval (environments." + env.name()
                    + ".approval.required): pass --approved-by USER after approving in Jenkins or GitHub"
                    + (approval.submitters().isEmpty() ? "" : "; approvers: " + approval.submitters()));
        }
        if (approval.required() && approval.usersOnly() && !approval.submitters().contains(req.approvedBy())) {
            return Optional.of("'" + req.approvedBy() + "' may not approve promotions to " + env.name() + " (environments."
                    + env.name() + ".approval.submitters: " + approval.submitters() + ")");
        }
        if (env.requireScan()) {
            Optional<String> scan = digest == null
                    ? Optional.of("the digest of " + req.image() + " is unknown (no @sha256: in --image and no build record), "
                            + "so no scan record can vouch for it")
                    : s.scanGate().refusal(digest);
            if (scan.isPresent()) {
                return Optional.of("environment " + env.name() + " requires a passing scan (environments." + env.name()
                        + ".requireScan): " + scan.get());
            }
        }
        return Optional.empty();
    }

    WorkloadStrategy.Change change() {
        return new WorkloadStrategy.Change(image, version, Annotations.of(version, image, req.approvedBy(), req.approvalSource(),
                req.buildUrl(), req.commit(), s.clock().instant()), req.confirm());
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

    PromotionResult finish(String outcome, String message, String revision, boolean changed) {
        PromotionResult result = result(outcome, message, revision, changed);
        record(outcome, message, revision);
        PromotionListener.Event e = event(outcome, message);
        Lookups.safely(() -> {
            switch (outcome) {
                case PromotionResult.DEPLOYED -> s.listener().succeeded(e);
                case PromotionResult.AWAITING_PROMOTION -> s.listener().awaitingApproval(e);
                case PromotionResult.ROLLED_BACK, PromotionResult.ROLLBACK_FAILED -> s.listener().rolledBack(e);
                default -> s.listener().failed(e);
            }
        });
        return result;
    }

    /** A failure thrown before anything changed: recorded and told, then thrown on. */
    void failed(String message) {
        record(PromotionResult.FAILED, message, null);
        Lookups.safely(() -> s.listener().failed(event(PromotionResult.FAILED, message)));
    }

    private void record(String outcome, String message, String revision) {
        if (recorded) {
            return;
        }
        recorded = true;
        s.log().append(new DeploymentRecord(Lookups.id(env.name(), component.name(), started), DeploymentRecord.PROMOTION,
                s.clock().instant(), started, env.name(), component.name(), strategyId(), image, digest, version,
                req.approvedBy(), req.approvalSource(), req.buildUrl(), req.commit(), null, outcome, message, seconds(started),
                rollbackSeconds, revision));
    }

    PromotionListener.Event event(String outcome, String message) {
        return new PromotionListener.Event(env.name(), component.name(), image, digest, strategyId(), req.approvedBy(), outcome,
                message, seconds(started));
    }

    PromotionResult result(String outcome, String message, String revision, boolean changed) {
        return new PromotionResult(env.name(), component.name(), image, digest, strategyId(), req.approvedBy(),
                req.approvalSource(), seconds(started), outcome, message, revision, changed);
    }

    double seconds(Instant since) {
        return Duration.between(since, s.clock().instant()).toMillis() / 1000.0;
    }

}
