package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
import com.koreapublicdata.pipeline.config.CanaryStep;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.SmokeTest;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.control.ApprovalKeys;
import com.koreapublicdata.pipeline.control.ApprovalRecords;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.control.ChangeRequest;
import com.koreapublicdata.pipeline.control.Decision;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Deployments;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea promote}: gates first (approval, scan record) before any cluster call, then the lock, the
 * pre-deploy checks, the strategy (rolling Deployment, blue-green or canary Rollout, or GitOps through
 * {@link GitOpsPromotion}), analysis and smoke tests, automatic rollback, and one deployment record.
 */
public final class Promoter {
    static final String PAUSED = "paused";
    static final String HEALTHY = "healthy";
    /** A marginal baseline comparison: the canary stays where it is for a person to decide. */
    static final String HELD = "held";

    private final KoreaConfig config;
    private final DeployServices s;
    private final ChangeControl control;

    public Promoter(KoreaConfig config, DeployServices services) {
        this(config, services, new ChangeControl(config, services.log()::read, services.clock(),
                new ApprovalRecords(ApprovalKeys.none())));
    }

    /** With the change-control rules checked by {@code control} (signed approvals need its keys). */
    public Promoter(KoreaConfig config, DeployServices services, ChangeControl control) {
        this.config = config;
        this.s = services;
        this.control = control;
    }

    /** Promotes one image of one component to one environment; the result says how it ended. */
    public PromotionResult promote(PromotionRequest request) {
        Run run = new Run(request);
        Optional<String> refusal = request.wave() != null ? Optional.empty() : run.gate(); // waves: checked once before wave 1
        if (refusal.isPresent()) {
            return run.finish(PromotionResult.REFUSED, false, refusal.get(), null);
        }
        if (run.settings.strategy() == Strategy.GITOPS || run.env.isGitOps()) {
            s.listener().started(run.event(null, "promoting through GitOps"));
            PromotionResult r = s.gitOps().promote(request, run.image, run.digest);
            return run.finish(r.outcome(), r.changed(), r.message(), r.revision());
        }
        return run.onCluster(() -> run.settings.strategy() == Strategy.ROLLING ? run.rolling() : run.rollout());
    }

    /**
     * {@code korea rollout promote}: promotes the Rollout's current (paused) image, through the same gates
     * (approval, scan record of that image's digest) as {@code korea promote --confirm}.
     */
    public PromotionResult promoteRollout(String component, String environment, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout) {
        Environment env = environment(environment);
        DeploySettings settings = env.deployment(component(component).name());
        if (settings.strategy() != Strategy.BLUEGREEN && settings.strategy() != Strategy.CANARY) {
            throw KoreaException.invalidInput("component " + component + " is deployed with strategy " + settings.strategy().id()
                    + " in " + environment + "; only bluegreen and canary Rollouts can be promoted");
        }
        KubernetesClient client = s.clusters().connect(env);
        String image;
        try {
            Rollouts ro = new Rollouts(client, api(), env.namespace(), settings.workload());
            GenericKubernetesResource current = ro.get();
            if (current == null) {
                throw new KoreaException(ExitCode.FAILURE, ro.describe() + " does not exist: nothing to promote");
            }
            image = Rollouts.image(current, settings.container());
        } finally {
            s.clusters().release(client);
        }
        return promote(new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, true,
                null, null));
    }

    /** {@code korea rollout abort}: traffic back to the stable version; the Rollout stays Degraded until the next deploy. */
    public PromotionResult abortRollout(String component, String environment, String reason) {
        Environment env = environment(environment);
        Component comp = component(component);
        DeploySettings settings = env.deployment(comp.name());
        KubernetesClient client = s.clusters().connect(env);
        Instant started = s.clock().instant();
        try {
            Rollouts ro = new Rollouts(client, api(), env.namespace(), settings.workload());
            GenericKubernetesResource current = ro.get();
            if (current == null) {
                throw new KoreaException(ExitCode.FAILURE, ro.describe() + " does not exist: nothing to abort");
            }
            String image = Rollouts.image(current, settings.container());
            ro.abort();
            String message = Outcome.ABORTED.json() + (reason == null ? "" : " (" + reason + ")");
            try {
                waiter().await(ro.target(), o -> {
                    RolloutState st = RolloutState.of(o);
                    return st.observed() && (st.aborted() || st.fullyPromoted()) ? ObjectWaiter.Verdict.done(st.line())
                            : ObjectWaiter.Verdict.waiting("Waiting for the abort: " + st.line());
                }, s.clock().instant().plus(config.rollback().timeout()));
            } catch (WaitFailure e) {
                message += "; the controller has not confirmed it: " + e.getMessage();
            }
            double seconds = seconds(started);
            PromotionResult result = new PromotionResult(env.name(), comp.name(), image, ImageReference.parse(image).digest(),
                    settings.strategy().id(), null, null, seconds, PromotionResult.ABORTED, message, null);
            s.log().append(new DeploymentRecord(id(env.name(), comp.name(), started), DeploymentRecord.ROLLBACK, s.clock().instant(),
                    started, env.name(), comp.name(), settings.strategy().id(), image, result.digest(), null, null, null, null,
                    null, null, PromotionResult.ABORTED, message, seconds, seconds, null));
            safely(() -> s.listener().rolledBack(event(result)));
            return result;
        } finally {
            s.clusters().release(client);
        }
    }

    private Environment environment(String name) {
        return config.environment(name).orElseThrow(() -> KoreaException.invalidInput("--environment " + name
                + ": no such environment in korea.yaml; known: " + config.environments().keySet()));
    }

    private Component component(String name) {
        return config.component(name).orElseThrow(() -> KoreaException.invalidInput("--component " + name
                + ": no such component in korea.yaml; known: " + config.components().keySet()));
    }

    private Api api() {
        return new Api(s.sleeper(), s.tuning());
    }

    private ObjectWaiter waiter() {
        return new ObjectWaiter(api(), s.clock(), s.progress());
    }

    double seconds(Instant since) {
        return Duration.between(since, s.clock().instant()).toMillis() / 1000.0;
    }

    static String id(String environment, String component, Instant at) {
        return environment + "/" + component + "/" + at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
                .replace("-", "").replace(":", "");
    }

    static PromotionListener.Event event(PromotionResult r) {
        return new PromotionListener.Event(r.environment(), r.component(), r.image(), r.digest(), r.strategy(), r.approver(),
                r.outcome(), r.message(), r.durationSeconds());
    }

    static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a notification or metric failing must not change what happened to the deploy
        }
    }

    /** The holder written into the Lease: the build, or this user and process; unique per promotion. */
    static String holder(String buildUrl) {
        String who = buildUrl != null ? buildUrl
                : System.getProperty("user.name", "someone") + " (korea pid " + ProcessHandle.current().pid() + ")";
        return who + " #" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    /** One promotion in progress. */
    private final class Run {
        final PromotionRequest req;
        final Component component;
        final Environment env;
        final DeploySettings settings;
        final ImageReference ref;
        final String digest;
        final String image;
        final String version;
        final Instant started;
        final Api api = api();
        final ObjectWaiter waiter = waiter();
        KubernetesClient client;
        LeaseLock.Held lock;
        Double rollbackSeconds;
        /** The last baseline comparison of this canary, for the result, the record and Slack. */
        BaselineVerdict comparison;
        /** Why the canary is held (a marginal comparison), once it is. */
        String held;
        /** Active versus paused time of this rollout, for rollout.budget and the record. */
        RolloutTimes times;
        /** How long the rollout waited for this promotion (korea rollout promote after awaiting-promotion), or 0. */
        double approvalSeconds;

        String strategyId() {
            return env.isGitOps() ? Strategy.GITOPS.id() : settings.strategy().id();
        }

        Run(PromotionRequest req) {
            this.req = req;
            this.component = component(req.component());
            this.env = environment(req.environment());
            this.settings = env.deployment(component.name());
            if (req.approvalSource() != null && !PromotionRequest.APPROVAL_SOURCES.contains(req.approvalSource())) {
                throw KoreaException.invalidInput("--approval-source " + req.approvalSource() + ": allowed are "
                        + PromotionRequest.APPROVAL_SOURCES);
            }
            ImageReference parsed = ImageReference.parse(req.image());
            if (parsed.digest() == null) {
                parsed = s.digests().digestOf(component.name(), parsed).map(parsed::withDigest).orElse(parsed);
            }
            this.ref = parsed;
            this.digest = parsed.digest();
            this.image = parsed.deployable();
            this.version = req.version() != null ? req.version() : parsed.version();
            this.started = s.clock().instant();
            this.times = new RolloutTimes(s.clock(), started);
            this.approvalSeconds = req.confirm() ? waitedForPromotion() : 0;
        }

        /** Seconds since this component's last record here said awaiting-promotion (the wait for a person). */
        double waitedForPromotion() {
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
        Optional<String> gate() {
            Decision decision = control.check(new ChangeRequest(env.name(), component.name(), digest, req.authorization()));
            if (!decision.allowed()) {
                return Optional.of(decision.message());
            }
            decision.notes().forEach(s.progress());
            breakGlass = decision.notes().isEmpty() ? null : String.join("; ", decision.notes());
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

        PromotionResult onCluster(java.util.function.Supplier<PromotionResult> strategy) {
            client = s.clusters().connect(env);
            try {
                PreDeployChecks.clusterAndNamespace(client, api, env.name(), env.namespace());
                LeaseLock locks = new LeaseLock(client, api, s.clock(), s.progress());
                try (LeaseLock.Held held = req.wave() != null ? null // waves: WavePromoter holds this cluster's lock
                        : locks.acquire(env.namespace(), component.name(), holder(req.buildUrl()), env.lockTimeout())) {
                    lock = held;
                    s.progress().accept("Promoting " + component.name() + " " + version + " to " + env.name() + " ("
                            + strategyId() + ", " + image + ")");
                    safely(() -> s.listener().started(event(null, "started")));
                    PromotionResult r = strategy.get();
                    return finish(r.outcome(), r.changed(), r.message(), r.revision());
                }
            } catch (KoreaException e) {
                if (e.exitCode() != ExitCode.LOCKED) {
                    record(Outcome.FAILED, e.getMessage(), null);
                    safely(() -> s.listener().failed(event(Outcome.FAILED, e.getMessage())));
                }
                throw e;
            } catch (KubernetesClientException e) {
                String message = "the Kubernetes API failed: " + Api.describe(e);
                record(Outcome.FAILED, message, null);
                safely(() -> s.listener().failed(event(Outcome.FAILED, message)));
                throw new KoreaException(ExitCode.FAILURE, message, e);
            } finally {
                s.clusters().release(client);
            }
        }

        PromotionResult finish(Outcome outcome, boolean changed, String message, String revision) {
            PromotionResult result = new PromotionResult(env.name(), component.name(), image, digest, strategyId(),
                    req.approvedBy(), req.approvalSource(), seconds(started), outcome, changed, message, revision, comparison);
            record(outcome, message, revision);
            PromotionListener.Event e = Promoter.event(result);
            safely(() -> {
                switch (outcome) {
                    case DEPLOYED -> s.listener().succeeded(e);
                    case AWAITING_PROMOTION -> s.listener().awaitingApproval(e);
                    case ROLLED_BACK, ROLLBACK_FAILED -> s.listener().rolledBack(e);
                    default -> s.listener().failed(e);
                }
            });
            return result;
        }

        boolean recorded;
        String breakGlass; // a broken freeze goes into the deployment record's message


        void record(Outcome outcome, String message, String revision) {
            if (recorded) {
                return;
            }
            recorded = true;
            s.log().append(new DeploymentRecord(id(env.name(), component.name(), started), DeploymentRecord.PROMOTION,
                    s.clock().instant(), started, env.name(), component.name(), strategyId(), image, digest, version,
                    req.approvedBy(), req.approvalSource(), req.buildUrl(), req.commit(), null, outcome,
                    breakGlass == null ? message : message + " [" + breakGlass + "]", seconds(started),
                    rollbackSeconds, revision, comparison == null ? null : comparison.summary(),
                    RolloutTimes.seconds(times.active()), RolloutTimes.seconds(times.paused()), approvalSeconds));
        }

        PromotionListener.Event event(Outcome outcome, String message) {
            return new PromotionListener.Event(env.name(), component.name(), image, digest, strategyId(),
                    req.approvedBy(), outcome, message, seconds(started));
        }

        /** A strategy's result: it has changed the workload by the time it returns one. */
        PromotionResult result(Outcome outcome, String message, String revision) {
            return new PromotionResult(env.name(), component.name(), image, digest, strategyId(), req.approvedBy(),
                    req.approvalSource(), seconds(started), outcome, true, message, revision, comparison);
        }

        Instant deadline() {
            Duration timeout = req.timeout() != null ? req.timeout() : env.timeout();
            if (settings.strategy() == Strategy.CANARY) {
                // the canary's own pauses are deliberate: the timeout covers everything else
                for (CanaryStep step : settings.canary().steps()) {
                    if (step.pause() != null && step.pause().duration() != null) {
                        timeout = timeout.plus(step.pause().duration());
                    }
                }
            }
            return started.plus(timeout);
        }

        Map<String, String> annotations() {
            return Annotations.of(version, image, req.approvedBy(), req.approvalSource(), req.buildUrl(), req.commit(),
                    s.clock().instant());
        }

        void checkLock() {
            if (lock != null && lock.lost() != null) {
                throw new KoreaException(ExitCode.FAILURE, lock.lost() + "; stopping without further changes");
            }
        }

        void analysis(HealthCheck.Point point, int step, int weight, Duration window) {
            analysis(point, step, weight, window, null, null);
        }

        /** Runs the analysis hook; a failed verdict throws, a held one (marginal comparison) is returned. */
        HealthCheck.Verdict analysis(HealthCheck.Point point, int step, int weight, Duration window, String canaryHash,
                String stableHash) {
            HealthCheck.Verdict verdict;
            try {
                verdict = s.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(), version, point,
                        step, weight, window, canaryHash, stableHash));
            } catch (RuntimeException e) {
                verdict = HealthCheck.Verdict.fail("the analysis itself failed: " + e.getMessage());
            }
            if (verdict != null && verdict.comparison() != null) {
                comparison = verdict.comparison();
            }
            if (verdict != null && verdict.hold()) {
                return verdict;
            }
            if (verdict == null || !verdict.passed()) {
                throw new WaitFailure("analysis failed (" + point.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "): " + (verdict == null ? "no verdict" : verdict.reason()));
            }
            s.progress().accept("Analysis passed (" + point.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "): "
                    + verdict.reason());
            return verdict;
        }

        void smokeTests() {
            Map<String, String> placeholders = Map.of("component", component.name(), "environment", env.name(), "namespace",
                    env.namespace());
            for (SmokeTest test : settings.smokeTests()) {
                Optional<String> failure;
                try {
                    failure = s.smokeTests().run(test, placeholders);
                } catch (RuntimeException e) {
                    failure = Optional.of("smoke test " + test.name() + " failed: " + e.getMessage());
                }
                if (failure.isPresent()) {
                    throw new WaitFailure(failure.get());
                }
                s.progress().accept("Smoke test passed: " + test.name());
            }
        }

        void requireHealthyPodSpec(PodTemplateSpec template) {
            List<String> missing = PreDeployChecks.missingSecrets(client, api, env.namespace(),
                    template == null ? null : template.getSpec());
            if (!missing.isEmpty()) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the workload references Secrets missing in namespace "
                        + env.namespace() + ": " + missing + "; nothing was changed");
            }
            List<String> unsynced = PreDeployChecks.unsyncedExternalSecrets(client, api, env.namespace(),
                    template == null ? null : template.getSpec());
            if (!unsynced.isEmpty()) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: " + String.join("; ", unsynced)
                        + "; the pods would start with stale or missing secrets; nothing was changed");
            }
        }

        // ---- rolling (Deployment) ----

        PromotionResult rolling() {
            Deployments dep = new Deployments(client, api, env.namespace(), settings.workload());
            Deployment current = dep.get();
            if (current == null) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: " + dep.describe() + " does not exist; korea changes "
                        + "the image of an existing Deployment (create it with kubectl apply or through GitOps first)");
            }
            if (Boolean.TRUE.equals(current.getSpec().getPaused())) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: " + dep.describe() + " is paused (spec.paused); "
                        + "kubectl would wait forever. Resume it (kubectl rollout resume deployment/" + settings.workload()
                        + ") or leave it; nothing was changed");
            }
            requireHealthyPodSpec(current.getSpec().getTemplate());
            if (!DeploymentRules.healthy(current)) {
                throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the current " + dep.describe()
                        + " is not healthy (" + state(current) + "); fix it or run korea rollback first; nothing was changed");
            }
            dep.setImage(settings.container(), image, annotations(), settings.rolling());
            try {
                s.progress().accept(dep.awaitRollout(waiter, deadline()));
                times.check(settings.rollout().budget());
                checkLock();
                analysis(HealthCheck.Point.AFTER_ROLLOUT, -1, 100, config.analysis().verification());
                smokeTests();
                return result(PromotionResult.DEPLOYED, "rolled out " + image + " to " + dep.describe(),
                        DeploymentRules.revision(dep.get()));
            } catch (WaitFailure failure) {
                return rollBack(dep, failure.getMessage());
            }
        }

        String state(Deployment d) {
            try {
                var v = DeploymentRules.judge(d);
                return v.progress() == null ? "rolled out" : v.progress();
            } catch (WaitFailure e) {
                return e.getMessage();
            }
        }

        PromotionResult rollBack(Deployments dep, String reason) {
            if (!config.rollback().automatic()) {
                return result(PromotionResult.FAILED, reason + " (automatic rollback is off: rollback.automatic)", null);
            }
            s.progress().accept("Rolling back " + dep.describe() + ": " + reason);
            Instant rb = s.clock().instant();
            try {
                UndoPlan plan = dep.undo(0);
                dep.awaitRollout(waiter, rb.plus(config.rollback().timeout()));
                rollbackSeconds = seconds(rb);
                return result(PromotionResult.ROLLED_BACK, reason + "; rolled back to revision " + plan.toRevision() + " ("
                        + plan.image() + ")", DeploymentRules.revision(dep.get()));
            } catch (WaitFailure | KoreaException | KubernetesClientException e) {
                rollbackSeconds = seconds(rb);
                return result(PromotionResult.ROLLBACK_FAILED, reason + "; the rollback failed too: " + e.getMessage(), null);
            }
        }

        // ---- blue-green and canary (Argo Rollout) ----

        PromotionResult rollout() {
            boolean blueGreen = settings.strategy() == Strategy.BLUEGREEN;
            Rollouts ro = new Rollouts(client, api, env.namespace(), settings.workload());
            GenericKubernetesResource current = ro.get();
            String previousHash = null;
            boolean templateChanges = true;
            if (current != null) {
                RolloutState st = RolloutState.of(current);
                requireHealthyPodSpec(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        io.fabric8.kubernetes.client.utils.Serialization.asJson(
                                current.getAdditionalProperties().getOrDefault("spec", Map.of()) instanceof Map<?, ?> m
                                        ? m.get("template") : null), PodTemplateSpec.class));
                if (st.is(RolloutState.DEGRADED) && !st.aborted()) {
                    throw new KoreaException(ExitCode.FAILURE, "pre-deploy check: the current " + ro.describe()
                            + " is not healthy (" + st.line() + "); fix it or run korea rollback first; nothing was changed");
                }
                previousHash = st.currentPodHash();
                templateChanges = !image.equals(Rollouts.image(current, settings.container()));
                if (req.confirm() && !templateChanges) {
                    ro.annotate(annotations());
                    return promoteAndFinish(ro, blueGreen, st);
                }
            }
            ro.apply(settings, component.port(), image, annotations());
            try {
                String r = waiter.await(ro.target(), judge(blueGreen, previousHash, templateChanges, -2, new HashSet<>()),
                        deadline());
                checkLock();
                if (HELD.equals(r)) {
                    return hold(ro);
                }
                if (PAUSED.equals(r)) {
                    if (blueGreen) {
                        analysis(HealthCheck.Point.PRE_PROMOTION, -1, 0, config.analysis().verification());
                    }
                    if (req.confirm()) {
                        return promoteAndFinish(ro, blueGreen, ro.state());
                    }
                    return awaiting(ro, blueGreen);
                }
                return finishHealthy(ro, blueGreen);
            } catch (WaitFailure failure) {
                return rollBack(ro, failure.getMessage());
            }
        }

        PromotionResult awaiting(Rollouts ro, boolean blueGreen) {
            RolloutState st = ro.state();
            String how = "promote with: korea rollout promote --component " + component.name() + " --environment " + env.name()
                    + " (or korea promote ... --confirm); abort with: korea rollout abort";
            String what = blueGreen ? "preview of " + version + " is ready on service " + (settings.blueGreen().previewService() == null
                    ? settings.workload() + "-preview" : settings.blueGreen().previewService()) + "; active still serves the old version"
                    : "canary paused indefinitely at step " + (st.stepIndex() + 1) + "/" + st.steps();
            return result(PromotionResult.AWAITING_PROMOTION, what + "; " + how, null);
        }

        /** A marginal comparison: keep the canary at its weight (spec.paused) and let a person promote or abort. */
        PromotionResult hold(Rollouts ro) {
            ro.pause();
            return result(PromotionResult.AWAITING_PROMOTION, "canary held: " + held + "; promote with: korea rollout promote "
                    + "--component " + component.name() + " --environment " + env.name() + "; abort with: korea rollout abort",
                    null);
        }

        PromotionResult promoteAndFinish(Rollouts ro, boolean blueGreen, RolloutState before) {
            s.progress().accept("Promoting " + ro.describe() + ": " + ro.promote());
            try {
                // a pause seen right after the promote is the old one until the controller moves on
                String r = waiter.await(ro.target(), judge(blueGreen, before.currentPodHash(), false,
                        blueGreen ? -1 : before.stepIndex(), new HashSet<>()), deadline());
                checkLock();
                if (HELD.equals(r)) {
                    return hold(ro);
                }
                if (PAUSED.equals(r)) {
                    return awaiting(ro, blueGreen);
                }
                return finishHealthy(ro, blueGreen);
            } catch (WaitFailure failure) {
                return rollBack(ro, failure.getMessage());
            }
        }

        PromotionResult finishHealthy(Rollouts ro, boolean blueGreen) {
            if (blueGreen) {
                analysis(HealthCheck.Point.POST_PROMOTION, -1, 100, config.analysis().verification());
            }
            smokeTests();
            GenericKubernetesResource now = ro.get();
            String revision = now == null || now.getMetadata().getAnnotations() == null ? null
                    : now.getMetadata().getAnnotations().get(Rollouts.REVISION);
            return result(PromotionResult.DEPLOYED, (blueGreen ? "promoted " : "canary completed: ") + image + " serves all traffic ("
                    + ro.describe() + ")", revision);
        }

        /**
         * The wait rule for a Rollout (the plugin's status: only Healthy and Degraded end it) plus ours: a paused
         * blue-green preview, or an indefinite canary pause, ends the wait as "paused".
         *
         * @param ignorePausedStep -1: no pause ends the wait (after a blue-green promote); a step index: a pause
         *                         at that step is stale; -2: any pause counts
         */
        ObjectWaiter.Judge<GenericKubernetesResource, String> judge(boolean blueGreen, String previousHash,
                boolean templateChanges, int ignorePausedStep, Set<Integer> analysedSteps) {
            return o -> {
                RolloutState st = RolloutState.of(o);
                // canary pauses and blue-green waits for promotion are deliberate: they do not use the active budget
                times.mark(st.is(RolloutState.PAUSED));
                times.check(settings.rollout().budget());
                if (!st.observed()) {
                    return ObjectWaiter.Verdict.waiting("Waiting for rollout spec update to be observed...");
                }
                if (templateChanges && Objects.equals(st.currentPodHash(), previousHash)) {
                    return ObjectWaiter.Verdict.waiting("Waiting for the controller to start the new version...");
                }
                if (st.is(RolloutState.DEGRADED)) {
                    throw new WaitFailure("rollout " + (st.aborted() ? "aborted" : "degraded") + ": " + st.message());
                }
                if (st.is(RolloutState.HEALTHY) && st.fullyPromoted()) {
                    return ObjectWaiter.Verdict.done(HEALTHY);
                }
                if (blueGreen) {
                    if (ignorePausedStep != -1 && st.is(RolloutState.PAUSED) && st.pauseReasons().contains("BlueGreenPause")) {
                        return ObjectWaiter.Verdict.done(PAUSED);
                    }
                    return ObjectWaiter.Verdict.waiting("Blue-green " + settings.workload() + ": " + st.line());
                }
                int step = st.stepIndex();
                String where = "Canary " + settings.workload() + " step " + Math.min(step + 1, st.steps()) + "/" + st.steps()
                        + ", weight " + Rollouts.weightAt(o, step) + "%";
                if (st.is(RolloutState.PAUSED) && st.pauseReasons().contains("CanaryPauseStep") && step != ignorePausedStep
                        && Rollouts.isPause(o, step)) {
                    Duration pause = Rollouts.pauseOf(o, step);
                    if (pause == null) {
                        return ObjectWaiter.Verdict.done(PAUSED);
                    }
                    if (analysedSteps.add(step)) {
                        s.progress().accept(where + ": paused for " + ObjectWaiter.format(pause) + ", analysing");
                        HealthCheck.Verdict v = analysis(HealthCheck.Point.CANARY_PAUSE, step, Rollouts.weightAt(o, step), pause,
                                st.currentPodHash(), st.stableRS());
                        if (v.hold()) {
                            held = where + ": " + v.reason();
                            return ObjectWaiter.Verdict.done(HELD);
                        }
                    }
                    return ObjectWaiter.Verdict.waiting(where + ": paused (" + ObjectWaiter.format(pause) + "), analysis passed");
                }
                return ObjectWaiter.Verdict.waiting(where + ": " + st.line());
            };
        }

        PromotionResult rollBack(Rollouts ro, String reason) {
            if (!config.rollback().automatic()) {
                return result(PromotionResult.FAILED, reason + " (automatic rollback is off: rollback.automatic)", null);
            }
            s.progress().accept("Rolling back " + ro.describe() + ": " + reason);
            Instant rb = s.clock().instant();
            try {
                RolloutState st = ro.state();
                if (!st.fullyPromoted()) {
                    ro.abort();
                }
                UndoPlan plan = ro.undo(0);
                awaitRestored(ro, rb.plus(config.rollback().timeout()));
                rollbackSeconds = seconds(rb);
                return result(PromotionResult.ROLLED_BACK, reason + "; rolled back to revision " + plan.toRevision() + " ("
                        + plan.image() + ")", plan.toRevision());
            } catch (WaitFailure | KoreaException | KubernetesClientException e) {
                rollbackSeconds = seconds(rb);
                return result(PromotionResult.ROLLBACK_FAILED, reason + "; the rollback failed too: " + e.getMessage(), null);
            }
        }

        void awaitRestored(Rollouts ro, Instant deadline) {
            ro.awaitRestored(waiter, deadline);
        }
    }

}
