package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code korea rollback} on an environment with waves: every cluster the last promotion left deployed, newest wave
 * first, each by {@link Rollbacker} (kubectl's or Argo's undo, health verified, recorded with its cluster); or the
 * one cluster of {@code --cluster}.
 */
public final class WaveRollbacker {
    private final KoreaConfig config;
    private final DeployServices s;

    public WaveRollbacker(KoreaConfig config, DeployServices services) {
        this.config = config;
        this.s = services;
    }

    /** @param cluster one kube context of the waves, or null for every cluster of the last promotion */
    public WaveRollbackResult rollback(RollbackRequest request, String cluster) {
        Environment env = config.environment(request.environment()).orElseThrow(() -> KoreaException.invalidInput(
                "--environment " + request.environment() + ": no such environment in korea.yaml; known: "
                        + config.environments().keySet()));
        if (config.component(request.component()).isEmpty()) {
            throw KoreaException.invalidInput("--component " + request.component() + ": no such component in korea.yaml; "
                    + "known: " + config.components().keySet());
        }
        if (!env.hasWaves()) {
            throw KoreaException.invalidInput("--cluster: environment " + env.name() + " has no waves; it deploys to one cluster");
        }
        List<String> targets;
        if (cluster != null) {
            if (env.waveOf(cluster) == 0) {
                throw KoreaException.invalidInput("--cluster " + cluster + ": not a cluster of environments." + env.name()
                        + ".waves; clusters: " + env.waveClusters());
            }
            targets = List.of(cluster);
        } else {
            targets = lastPromotion(env, request.component());
            if (targets.isEmpty()) {
                throw KoreaException.invalidInput("nothing to roll back: no cluster of environment " + env.name()
                        + " runs a promotion of " + request.component() + " that was not already restored; roll one cluster "
                        + "back with --cluster");
            }
        }
        if (request.toRevision() != 0 && targets.size() > 1) {
            throw KoreaException.invalidInput("--to-revision differs per cluster; give it together with --cluster");
        }
        Instant started = s.clock().instant();
        List<ClusterOutcome> outcomes = new ArrayList<>();
        for (String c : targets) {
            int wave = env.waveOf(c);
            try {
                RollbackResult r = new Rollbacker(config.withEnvironment(env.onCluster(c)), WavePromoter.servicesFor(s, c, wave))
                        .rollback(request);
                boolean ok = r.outcome() == Outcome.ROLLED_BACK || r.outcome() == Outcome.SKIPPED;
                outcomes.add(new ClusterOutcome(c, wave, ok ? Outcome.ROLLED_BACK : Outcome.ROLLBACK_FAILED, r.changed(),
                        r.toRevision(), r.message()));
            } catch (KoreaException | KubernetesClientException e) {
                if (targets.size() == 1) {
                    throw e;
                }
                outcomes.add(new ClusterOutcome(c, wave, Outcome.ROLLBACK_FAILED, false, null, "the rollback failed: "
                        + e.getMessage()));
            }
        }
        List<String> failed = outcomes.stream().filter(o -> o.outcome() == Outcome.ROLLBACK_FAILED).map(ClusterOutcome::cluster)
                .toList();
        List<String> restored = outcomes.stream().filter(o -> o.outcome() == Outcome.ROLLED_BACK).map(ClusterOutcome::cluster)
                .toList();
        String message = (restored.isEmpty() ? "" : "rolled back newest wave first: " + String.join(", ", restored))
                + (failed.isEmpty() ? "" : (restored.isEmpty() ? "" : "; ") + "could not restore cluster"
                        + (failed.size() == 1 ? " " : "s ") + String.join(", ", failed));
        return new WaveRollbackResult(env.name(), request.component(),
                Duration.between(started, s.clock().instant()).toMillis() / 1000.0,
                failed.isEmpty() ? Outcome.ROLLED_BACK : Outcome.ROLLBACK_FAILED,
                outcomes.stream().anyMatch(ClusterOutcome::changed), message, outcomes);
    }

    /**
     * The clusters of the newest waves promotion that still run it (their newest record is that promotion, deployed),
     * newest wave first. The promotion is read back from the records: newest first until wave 1's.
     */
    List<String> lastPromotion(Environment env, String component) {
        List<DeploymentRecord> mine = s.log().read().stream().filter(r -> env.name().equals(r.environment())
                && component.equals(r.component()) && r.cluster() != null).toList();
        Map<String, DeploymentRecord> newest = new LinkedHashMap<>();
        mine.forEach(r -> newest.put(r.cluster(), r));
        Set<String> promotion = new HashSet<>();
        for (int i = mine.size() - 1; i >= 0; i--) {
            DeploymentRecord r = mine.get(i);
            if (!DeploymentRecord.PROMOTION.equals(r.kind()) || !promotion.add(r.cluster())) {
                if (DeploymentRecord.PROMOTION.equals(r.kind())) {
                    break; // a cluster seen twice: an older promotion
                }
                continue;
            }
            if (r.wave() != null && r.wave() == 1) {
                break;
            }
        }
        return promotion.stream().filter(c -> {
            DeploymentRecord last = newest.get(c);
            return DeploymentRecord.PROMOTION.equals(last.kind()) && last.outcome() == Outcome.DEPLOYED;
        }).sorted(Comparator.comparingInt((String c) -> env.waveOf(c)).reversed()
                .thenComparing(Comparator.comparingInt((String c) -> env.waveClusters().indexOf(c)).reversed())).toList();
    }
}
