package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.analysis.BaselineVerdict;
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
 * One component in one environment, as a strategy sees it during one command: its settings, the cluster client,
 * the retrying API, the waiter and the services; plus the analysis and smoke tests every strategy calls the same
 * way. It remembers the last baseline comparison an analysis produced, for the result and the record.
 */
final class DeployContext {
    private final KoreaConfig config;
    private final Environment env;
    private final Component component;
    private final DeploySettings settings;
    private final KubernetesClient client;
    private final DeployServices services;
    private final Api api;
    private BaselineVerdict comparison;

    DeployContext(KoreaConfig config, Environment env, Component component, DeploySettings settings, KubernetesClient client,
            DeployServices services) {
        this.config = config;
        this.env = env;
        this.component = component;
        this.settings = settings;
        this.client = client;
        this.services = services;
        this.api = new Api(services.sleeper(), services.tuning());
    }

    KoreaConfig config() {
        return config;
    }

    Environment env() {
        return env;
    }

    Component component() {
        return component;
    }

    DeploySettings settings() {
        return settings;
    }

    KubernetesClient client() {
        return client;
    }

    DeployServices services() {
        return services;
    }

    Api api() {
        return api;
    }

    ObjectWaiter waiter() {
        return new ObjectWaiter(api, services.clock(), services.progress());
    }

    void progress(String line) {
        services.progress().accept(line);
    }

    Instant now() {
        return services.clock().instant();
    }

    /** The last baseline comparison of this run's canary, or null. */
    BaselineVerdict comparison() {
        return comparison;
    }

    /**
     * The analysis hook at {@code point}: a failed (or failing) check is a WaitFailure, which rolls back; a held
     * verdict (a marginal baseline comparison) is returned for the strategy to keep the canary where it is.
     */
    HealthCheck.Verdict analysis(String version, HealthCheck.Point point, int step, int weight, Duration window,
            String canaryHash, String stableHash) {
        String where = point.name().toLowerCase(Locale.ROOT).replace('_', '-');
        HealthCheck.Verdict verdict;
        try {
            verdict = services.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(), version,
                    point, step, weight, window, canaryHash, stableHash));
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
            throw new WaitFailure("analysis failed (" + where + "): " + (verdict == null ? "no verdict" : verdict.reason()));
        }
        progress("Analysis passed (" + where + "): " + verdict.reason());
        return verdict;
    }

    /** The analysis after a rollout or promotion: the verification window at full weight. */
    void verification(String version, HealthCheck.Point point, int weight) {
        analysis(version, point, -1, weight, config.analysis().verification(), null, null);
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
     * The seed's "verify health" after a manual rollback: one look at the restored version's health. Null when
     * healthy, else why not; a check that cannot run counts as unhealthy (fail closed).
     */
    String healthAfterRollback(String image) {
        HealthCheck.Verdict verdict;
        try {
            verdict = services.health().check(new HealthCheck.Request(env.name(), component.name(), env.namespace(),
                    Lookups.versionOf(image), HealthCheck.Point.AFTER_ROLLBACK, -1, -1, Duration.ZERO));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the health check itself failed: " + e.getMessage());
        }
        if (verdict != null && verdict.passed()) {
            progress("Health verified after the rollback: " + verdict.reason());
            return null;
        }
        return "but the health check after the rollback failed: " + (verdict == null ? "no verdict" : verdict.reason());
    }
}
