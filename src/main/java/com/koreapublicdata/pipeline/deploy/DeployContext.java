package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.SmokeTest;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.ObjectWaiter;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One component in one environment, as a strategy sees it: its settings, the cluster client (null for a GitOps
 * environment without a cluster), the retrying API, the waiter and the services; plus the analysis and smoke
 * tests every strategy calls the same way.
 */
record DeployContext(KoreaConfig config, Environment env, Component component, DeploySettings settings,
        KubernetesClient client, DeployServices services) {

    Api api() {
        return new Api(services.sleeper(), services.tuning());
    }

    ObjectWaiter waiter() {
        return new ObjectWaiter(api(), services.clock(), services.progress());
    }

    void progress(String line) {
        services.progress().accept(line);
    }

    Instant now() {
        return services.clock().instant();
    }

    /** The analysis at {@code point}; a failed (or failing) check is a WaitFailure, which rolls back. */
    void analysis(String version, HealthCheck.Point point, int step, int weight, Duration window) {
        String where = point.name().toLowerCase(Locale.ROOT).replace('_', '-');
        HealthCheck.Verdict verdict;
        try {
            verdict = services.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(), version,
                    point, step, weight, window));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the analysis itself failed: " + e.getMessage());
        }
        if (verdict == null || !verdict.passed()) {
            throw new WaitFailure("analysis failed (" + where + "): " + (verdict == null ? "no verdict" : verdict.reason()));
        }
        progress("Analysis passed (" + where + "): " + verdict.reason());
    }

    /** The component's smoke tests in order; the first failure is a WaitFailure. */
    void smokeTests() {
        Map<String, String> placeholders = Map.of("component", component.name(), "environment", env.name(), "namespace",
                env.namespace());
        for (SmokeTest test : settings.smokeTests()) {
            Optional<String> failure;
            try {
                failure = services.smokeTests().run(test, placeholders);
            } catch (RuntimeException e) {
                failure = Optional.of("smoke test " + test.name() + " failed: " + e.getMessage());
            }
            if (failure.isPresent()) {
                throw new WaitFailure(failure.get());
            }
            progress("Smoke test passed: " + test.name());
        }
    }

    /**
     * The seed's "verify health" after a rollback: one look at the restored version's health. Null when healthy,
     * else why not; a check that cannot run counts as unhealthy (fail closed).
     */
    String healthAfterRollback(String image) {
        HealthCheck.Verdict verdict;
        try {
            verdict = services.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(),
                    versionOf(image), HealthCheck.Point.AFTER_ROLLBACK, -1, -1, Duration.ZERO));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the health check itself failed: " + e.getMessage());
        }
        if (verdict != null && verdict.passed()) {
            progress("Health verified after the rollback: " + verdict.reason());
            return null;
        }
        return "but the health check after the rollback failed: " + (verdict == null ? "no verdict" : verdict.reason());
    }

    /** The version label of an image the cluster holds; null when korea cannot parse it (the check runs without). */
    static String versionOf(String image) {
        try {
            return image == null ? null : ImageReference.parse(image).version();
        } catch (com.koreapublicdata.pipeline.KoreaException e) {
            return null;
        }
    }

    /** The digest of an image the cluster holds, or null. */
    static String digestOf(String image) {
        try {
            return image == null ? null : ImageReference.parse(image).digest();
        } catch (com.koreapublicdata.pipeline.KoreaException e) {
            return null;
        }
    }
}
