package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;

/** The soak after a wave: the analysis keeps running on every cluster promoted so far. */
final class WaveSoak {
    private final DeployServices s;
    private final KoreaConfig config;
    private final Environment env;
    private final String component;
    private final String version;

    WaveSoak(DeployServices s, KoreaConfig config, Environment env, String component, String version) {
        this.s = s;
        this.config = config;
        this.env = env;
        this.component = component;
        this.version = version;
    }

    /**
     * The soak: rounds of {@code analysis.interval}, each checking every promoted cluster at the same time, until
     * the soak is over or one fails. Returns [cluster, reason] of the first failure.
     */
    Optional<String[]> firstFailure(List<String> promoted, Duration soak, int wave) {
        s.progress().accept("Soak after wave " + wave + ": " + com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter.format(soak) + ", analysing "
                + String.join(", ", promoted));
        Instant end = s.clock().instant().plus(soak);
        Duration slice = config.analysis().interval();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, promoted.size()), r -> {
            Thread t = new Thread(r, "korea-soak");
            t.setDaemon(true);
            return t;
        });
        try {
            while (s.clock().instant().isBefore(end)) {
                Instant round = s.clock().instant();
                Duration left = Duration.between(round, end);
                Duration window = left.compareTo(slice) < 0 ? left : slice;
                List<Future<HealthCheck.Verdict>> verdicts = new ArrayList<>();
                for (String cluster : promoted) {
                    HealthCheck health = WavePromoter.servicesFor(s, cluster, env.waveOf(cluster)).health();
                    verdicts.add(pool.submit(() -> health.check(new HealthCheck.Request(env.name(), component,
                            env.namespace(), version, HealthCheck.Point.SOAK, -1, 100, window))));
                }
                for (int i = 0; i < promoted.size(); i++) {
                    HealthCheck.Verdict v;
                    try {
                        v = verdicts.get(i).get();
                    } catch (ExecutionException e) {
                        v = HealthCheck.Verdict.fail("the analysis itself failed: " + e.getCause().getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        v = HealthCheck.Verdict.fail("interrupted during the soak");
                    }
                    if (v == null || !v.passed()) {
                        return Optional.of(new String[] {promoted.get(i), "analysis failed (soak): "
                                + (v == null ? "no verdict" : v.reason())});
                    }
                }
                Duration rest = Duration.between(s.clock().instant(), round.plus(window));
                if (!rest.isNegative() && !rest.isZero()) {
                    try {
                        s.sleeper().sleep(rest);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.of(new String[] {promoted.get(0), "interrupted during the soak"});
                    }
                }
            }
            s.progress().accept("Soak after wave " + wave + " passed on " + String.join(", ", promoted));
            return Optional.empty();
        } finally {
            pool.shutdownNow();
        }
    }
}
