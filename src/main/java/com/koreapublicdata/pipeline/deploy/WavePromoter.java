package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Wave;
import com.koreapublicdata.pipeline.control.ApprovalKeys;
import com.koreapublicdata.pipeline.control.ApprovalRecords;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.control.ChangeRequest;
import com.koreapublicdata.pipeline.control.Decision;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea promote} on an environment with {@code waves}: one digest to many clusters, wave by wave. The gates
 * (change control, scan record) are checked once; then every cluster's Lease is taken before anything changes (a
 * held lock anywhere: exit 11, no wave started); then each cluster is promoted by {@link Promoter} with the
 * component's strategy and analysis, and after a wave with a soak the analysis keeps running on every cluster
 * promoted so far. The first failure stops: the failed cluster is rolled back by its strategy (Promoter does
 * that), then every promoted cluster, newest wave first ({@link Rollbacker}).
 */
public final class WavePromoter {
    private final KoreaConfig config;
    private final DeployServices s;
    private final ChangeControl control;

    public WavePromoter(KoreaConfig config, DeployServices services) {
        this(config, services, new ChangeControl(config, services.log()::read, services.clock(),
                new ApprovalRecords(ApprovalKeys.none())));
    }

    public WavePromoter(KoreaConfig config, DeployServices services, ChangeControl control) {
        this.config = config;
        this.s = services;
        this.control = control;
    }

    public WavePromotionResult promote(PromotionRequest request) {
        Environment env = config.environment(request.environment()).orElseThrow(() -> KoreaException.invalidInput(
                "--environment " + request.environment() + ": no such environment in korea.yaml; known: "
                        + config.environments().keySet()));
        Component component = config.component(request.component()).orElseThrow(() -> KoreaException.invalidInput(
                "--component " + request.component() + ": no such component in korea.yaml; known: "
                        + config.components().keySet()));
        if (!env.hasWaves()) {
            throw KoreaException.invalidInput("environment " + env.name() + " has no waves (environments." + env.name()
                    + ".waves)");
        }
        if (request.approvalSource() != null && !PromotionRequest.APPROVAL_SOURCES.contains(request.approvalSource())) {
            throw KoreaException.invalidInput("--approval-source " + request.approvalSource() + ": allowed are "
                    + PromotionRequest.APPROVAL_SOURCES);
        }
        return new Run(env, component, request).promote();
    }

    /** One cluster's view of the engine: its records carry cluster and wave, its checks name it, its lines too. */
    DeployServices servicesFor(String cluster, int wave) {
        return servicesFor(s, cluster, wave);
    }

    static DeployServices servicesFor(DeployServices s, String cluster, int wave) {
        HealthCheck health = s.health();
        Consumer<String> progress = s.progress();
        return s.withLog(s.log().onCluster(cluster, wave)).withHealth(r -> health.check(r.onCluster(cluster)))
                .withProgress(line -> progress.accept("[" + cluster + "] " + line));
    }

    private final class Run {
        final Environment env;
        final Component component;
        final PromotionRequest req;
        final String image;
        final String digest;
        final String version;
        final Instant started = s.clock().instant();
        final Map<String, ClusterOutcome> outcomes = new LinkedHashMap<>();

        Run(Environment env, Component component, PromotionRequest req) {
            this.env = env;
            this.component = component;
            this.req = req;
            ImageReference parsed = ImageReference.parse(req.image());
            if (parsed.digest() == null) {
                parsed = s.digests().digestOf(component.name(), parsed).map(parsed::withDigest).orElse(parsed);
            }
            this.digest = parsed.digest();
            this.image = parsed.deployable();
            this.version = req.version() != null ? req.version() : parsed.version();
        }

        WavePromotionResult promote() {
            Optional<String> refusal = gate();
            if (refusal.isPresent()) {
                record(Outcome.REFUSED, refusal.get());
                PromotionListener.Event e = event(Outcome.REFUSED, refusal.get());
                Lookups.safely(() -> s.listener().failed(e));
                return result(Outcome.REFUSED, false, refusal.get());
            }
            try (WaveLocks locks = WaveLocks.takeAll(s, env, component.name(), req.buildUrl())) {
                return waves(locks);
            }
        }

        /** Change control and the scan gate, once for every wave; nothing here talks to a cluster. */
        Optional<String> gate() {
            Decision decision = control.check(new ChangeRequest(env.name(), component.name(), digest, req.authorization()));
            if (!decision.allowed()) {
                return Optional.of(decision.message());
            }
            decision.notes().forEach(s.progress());
            Optional<String> scan = s.scanGate().refusal(env, req.image(), digest);
            if (scan.isPresent()) {
                return scan;
            }
            if (!decision.notes().isEmpty()) {
                String breakGlass = String.join("; ", decision.notes()); // a broken freeze is told once, as one promotion
                Lookups.safely(() -> s.listener().brokeGlass(event(null, breakGlass)));
            }
            return Optional.empty();
        }

        WavePromotionResult waves(WaveLocks locks) {
            List<Wave> waves = env.waves();
            List<String> promoted = new ArrayList<>();
            String failure = null;
            String awaiting = null; // a cluster left at awaiting-promotion: changed, and ours to restore
            boolean leaveAsIs = false;
            outer:
            for (int w = 1; w <= waves.size(); w++) {
                Wave wave = waves.get(w - 1);
                s.progress().accept("Wave " + w + "/" + waves.size() + ": " + String.join(", ", wave.clusters()));
                for (String cluster : wave.clusters()) {
                    String lost = locks.lost();
                    if (lost != null) {
                        failure = lost + "; stopping without further changes";
                        leaveAsIs = true;
                        break outer;
                    }
                    PromotionResult r;
                    try {
                        r = new Promoter(config.withEnvironment(env.onCluster(cluster)), servicesFor(cluster, w), control)
                                .promote(req.inWave(w));
                    } catch (KoreaException | KubernetesClientException e) {
                        String message = e instanceof KubernetesClientException k ? "the Kubernetes API failed: " + Api.describe(k)
                                : e.getMessage();
                        outcomes.put(cluster, new ClusterOutcome(cluster, w, Outcome.FAILED, false, null, message));
                        failure = "cluster " + cluster + " (wave " + w + "): " + message;
                        break outer;
                    }
                    outcomes.put(cluster, new ClusterOutcome(cluster, w, r.outcome(), r.changed(), r.revision(), r.message()));
                    if (r.outcome() == Outcome.DEPLOYED) {
                        promoted.add(cluster);
                        continue;
                    }
                    failure = "cluster " + cluster + " (wave " + w + "): " + r.message();
                    if (r.outcome() == Outcome.AWAITING_PROMOTION) {
                        awaiting = cluster;
                        failure += " (a waves promotion needs every cluster fully promoted: --confirm for blue-green, "
                                + "canary pauses with a duration)";
                    }
                    leaveAsIs = r.outcome() == Outcome.FAILED; // rollback.automatic is off
                    break outer;
                }
                if (!wave.soak().isZero()) {
                    Optional<String[]> soakFailure = new WaveSoak(s, config, env, component.name(), version)
                            .firstFailure(promoted, wave.soak(), w);
                    if (soakFailure.isPresent()) {
                        String cluster = soakFailure.get()[0];
                        failure = "soak after wave " + w + ": cluster " + cluster + " (wave " + env.waveOf(cluster) + "): "
                                + soakFailure.get()[1];
                        ClusterOutcome was = outcomes.get(cluster);
                        outcomes.put(cluster, new ClusterOutcome(cluster, was.wave(), Outcome.FAILED, true, was.revision(),
                                "analysis failed during the soak after wave " + w + ": " + soakFailure.get()[1]));
                        break;
                    }
                }
            }
            if (failure == null) {
                String message = "promoted " + image + " to " + promoted.size() + " cluster" + (promoted.size() == 1 ? "" : "s")
                        + " in " + waves.size() + " wave" + (waves.size() == 1 ? "" : "s") + ": " + String.join(", ", promoted);
                s.progress().accept(message);
                return result(Outcome.DEPLOYED, true, message);
            }
            s.progress().accept("Stopping the waves: " + failure);
            List<String> restore = new ArrayList<>(promoted);
            Collections.reverse(restore); // newest wave first
            if (awaiting != null) {
                restore.add(0, awaiting);
            }
            if (leaveAsIs || !config.rollback().automatic()) {
                String why = leaveAsIs && config.rollback().automatic() ? "" : " (automatic rollback is off: rollback.automatic)";
                return result(Outcome.FAILED, anyChanged(), failure + "; clusters left as they are" + why
                        + (restore.isEmpty() ? "" : ": " + String.join(", ", restore)));
            }
            for (String cluster : restore) {
                locks.release(cluster);
                restore(cluster, failure);
            }
            List<String> unrestored = outcomes.values().stream().filter(o -> o.outcome() == Outcome.ROLLBACK_FAILED)
                    .map(ClusterOutcome::cluster).toList();
            List<String> restored = outcomes.values().stream().filter(o -> o.outcome() == Outcome.ROLLED_BACK)
                    .map(ClusterOutcome::cluster).toList();
            if (!unrestored.isEmpty()) {
                return result(Outcome.ROLLBACK_FAILED, true, failure + "; could not restore cluster"
                        + (unrestored.size() == 1 ? " " : "s ") + String.join(", ", unrestored)
                        + (restored.isEmpty() ? "" : "; restored: " + String.join(", ", restored)));
            }
            if (!anyChanged()) {
                return result(Outcome.FAILED, false, failure + "; nothing was changed");
            }
            return result(Outcome.ROLLED_BACK, true, failure + "; restored newest wave first: "
                    + String.join(", ", restore.isEmpty() ? restored : restoredOrder(restore, restored)));
        }

        List<String> restoredOrder(List<String> restore, List<String> restored) {
            List<String> order = new ArrayList<>();
            outcomes.values().stream().filter(o -> o.outcome() == Outcome.ROLLED_BACK && !restore.contains(o.cluster()))
                    .forEach(o -> order.add(o.cluster())); // the failed cluster, undone by its own promotion
            order.addAll(restore);
            return order;
        }

        boolean anyChanged() {
            return outcomes.values().stream().anyMatch(ClusterOutcome::changed);
        }

        /** Rolls one promoted cluster back to its previous revision, verified as korea rollback does. */
        void restore(String cluster, String failure) {
            int wave = env.waveOf(cluster);
            ClusterOutcome was = outcomes.get(cluster);
            try {
                RollbackResult r = new Rollbacker(config.withEnvironment(env.onCluster(cluster)), servicesFor(cluster, wave))
                        .rollback(new RollbackRequest(component.name(), env.name(), 0, "waves stopped: " + failure,
                                req.approvedBy(), req.buildUrl()));
                boolean ok = r.outcome() == Outcome.ROLLED_BACK || r.outcome() == Outcome.SKIPPED;
                outcomes.put(cluster, new ClusterOutcome(cluster, wave, ok ? Outcome.ROLLED_BACK : Outcome.ROLLBACK_FAILED,
                        true, r.toRevision(), r.message()));
            } catch (KoreaException | KubernetesClientException e) {
                String message = e instanceof KubernetesClientException k ? "the Kubernetes API failed: " + Api.describe(k)
                        : e.getMessage();
                outcomes.put(cluster, new ClusterOutcome(cluster, wave, Outcome.ROLLBACK_FAILED, true,
                        was == null ? null : was.revision(), "the rollback failed: " + message));
            }
        }

        WavePromotionResult result(Outcome outcome, boolean changed, String message) {
            List<ClusterOutcome> clusters = new ArrayList<>();
            List<WaveOutcome> waves = new ArrayList<>();
            for (int w = 1; w <= env.waves().size(); w++) {
                Wave wave = env.waves().get(w - 1);
                List<ClusterOutcome> mine = new ArrayList<>();
                for (String cluster : wave.clusters()) {
                    ClusterOutcome o = outcomes.get(cluster);
                    mine.add(o != null ? o : ClusterOutcome.notStarted(cluster, w, outcome == Outcome.REFUSED
                            ? "not started: the promotion was refused" : "not started: an earlier wave stopped the promotion"));
                }
                clusters.addAll(mine);
                waves.add(waveOutcome(w, wave, mine));
            }
            return new WavePromotionResult(env.name(), component.name(), image, digest, env.deployment(component.name())
                    .strategy().id(), req.approvedBy(), req.approvalSource(), seconds(), outcome, changed, message, waves,
                    clusters);
        }

        WaveOutcome waveOutcome(int w, Wave wave, List<ClusterOutcome> mine) {
            Outcome o = Outcome.DEPLOYED;
            for (Outcome worst : List.of(Outcome.ROLLBACK_FAILED, Outcome.FAILED, Outcome.ROLLED_BACK,
                    Outcome.AWAITING_PROMOTION)) {
                if (mine.stream().anyMatch(c -> c.outcome() == worst)) {
                    o = worst;
                    break;
                }
            }
            if (mine.stream().allMatch(c -> c.outcome() == Outcome.SKIPPED)) {
                o = Outcome.SKIPPED;
            }
            String message = String.join("; ", mine.stream().map(c -> c.cluster() + ": " + c.outcome().json()).toList());
            return new WaveOutcome(w, wave.clusters(), wave.soak().toSeconds(), o, message);
        }

        double seconds() {
            return Duration.between(started, s.clock().instant()).toMillis() / 1000.0;
        }

        PromotionListener.Event event(Outcome outcome, String message) {
            return new PromotionListener.Event(env.name(), component.name(), image, digest,
                    env.deployment(component.name()).strategy().id(), req.approvedBy(), outcome, message, seconds());
        }

        /** The record of a promotion that ended before any cluster's own (refused by a gate). */
        void record(Outcome outcome, String message) {
            s.log().append(DeploymentRecord.builder()
                    .id(Lookups.id(env.name(), component.name(), started)).kind(DeploymentRecord.PROMOTION)
                    .time(s.clock().instant()).startedAt(started).environment(env.name()).component(component.name())
                    .strategy(env.deployment(component.name()).strategy().id())
                    .image(image).digest(digest).version(version).approver(req.approvedBy())
                    .approvalSource(req.approvalSource()).buildUrl(req.buildUrl()).commit(req.commit())
                    .outcome(outcome).message(message).durationSeconds(seconds())
                    .build());
        }
    }
}
