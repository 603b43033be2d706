package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.deploy.kubernetes.Tuning;
import com.koreapublicdata.pipeline.Sleeper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.history.DeploymentLog;

/**
 * What the deploy engine talks to, injected as a whole: the cluster, the gates and hooks other capabilities
 * implement (scan records, GitOps, analysis, notifications), the deployment log, time and progress output.
 */
public record DeployServices(ClusterConnector clusters, ScanGate scanGate, GitOpsPromotion gitOps, HealthCheck health,
        SmokeTester smokeTests, PromotionListener listener, DigestLookup digests, DeploymentLog log, Clock clock,
        Sleeper sleeper, Tuning tuning, Consumer<String> progress) {

    /**
     * The defaults for a state directory: build records there, no analysis, no listener, and a scan gate that
     * refuses ({@link ScanGate#UNAVAILABLE}) until one is plugged in with {@link #withScanGate} (the CLI plugs in
     * {@code wiring.ScanRecordFiles}).
     */
    public static DeployServices defaults(ClusterConnector clusters, Path stateDir, Path workDir, Clock clock,
            Consumer<String> progress) {
        return new DeployServices(clusters, ScanGate.UNAVAILABLE, GitOpsPromotion.UNAVAILABLE, HealthCheck.NONE,
                new ProcessSmokeTester(workDir), PromotionListener.NONE, DigestLookup.buildRecords(stateDir),
                new DeploymentLog(stateDir), clock, Sleeper.REAL, Tuning.defaults(), progress);
    }

    public DeployServices withScanGate(ScanGate g) {
        return new DeployServices(clusters, g, gitOps, health, smokeTests, listener, digests, log, clock, sleeper, tuning, progress);
    }

    public DeployServices withGitOps(GitOpsPromotion g) {
        return new DeployServices(clusters, scanGate, g, health, smokeTests, listener, digests, log, clock, sleeper, tuning, progress);
    }

    public DeployServices withHealth(HealthCheck h) {
        return new DeployServices(clusters, scanGate, gitOps, h, smokeTests, listener, digests, log, clock, sleeper, tuning, progress);
    }

    public DeployServices withSmokeTests(SmokeTester s) {
        return new DeployServices(clusters, scanGate, gitOps, health, s, listener, digests, log, clock, sleeper, tuning, progress);
    }

    public DeployServices withListener(PromotionListener l) {
        return new DeployServices(clusters, scanGate, gitOps, health, smokeTests, l, digests, log, clock, sleeper, tuning, progress);
    }

    public DeployServices withLog(DeploymentLog l) {
        return new DeployServices(clusters, scanGate, gitOps, health, smokeTests, listener, digests, l, clock, sleeper, tuning, progress);
    }

    public DeployServices withProgress(Consumer<String> p) {
        return new DeployServices(clusters, scanGate, gitOps, health, smokeTests, listener, digests, log, clock, sleeper, tuning, p);
    }

    public DeployServices withTiming(Clock c, Sleeper s, Tuning t) {
        return new DeployServices(clusters, scanGate, gitOps, health, smokeTests, listener, digests, log, c, s, t, progress);
    }
}
