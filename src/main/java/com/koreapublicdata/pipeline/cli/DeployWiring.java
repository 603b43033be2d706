package com.koreapublicdata.pipeline.cli;

import java.util.List;

import com.koreapublicdata.pipeline.wiring.NotifyListener;
import com.koreapublicdata.pipeline.deploy.PromotionListener;
import com.koreapublicdata.pipeline.deploy.PromotionListeners;
import com.koreapublicdata.pipeline.notify.Notifier;

import java.time.Duration;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import com.koreapublicdata.pipeline.deploy.DeployServices;
import com.koreapublicdata.pipeline.deploy.GitOpsAdapter;
import com.koreapublicdata.pipeline.wiring.MetricsListener;
import com.koreapublicdata.pipeline.wiring.ScanRecordFiles;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.metrics.DeploymentMetrics;
import com.koreapublicdata.pipeline.deploy.KubeconfigClusters;

/**
 * How the deploy commands wire the engine: kubeconfig from the command's environment, progress on stderr, and the
 * adapters of {@code wiring} to the other capabilities (scan records, analysis, Slack, metrics), so {@code deploy}
 * itself depends on none of them.
 */
final class DeployWiring {
    private DeployWiring() {
    }

    static DeployServices services(CliContext context, ConfigFile file) {
        return services(context, file, context.env().get("BUILD_URL"));
    }

    /** The engine, with Slack told about every promotion and rollback ({@code buildUrl} links the messages). */
    static DeployServices services(CliContext context, ConfigFile file, String buildUrl) {
        java.util.function.Consumer<String> progress = line -> {
            context.err().println(line);
            context.err().flush();
        };
        KubeconfigClusters clusters = new KubeconfigClusters(context.env());
        AnalysisHealthCheck health = new AnalysisHealthCheck(file.config().analysis(),
                context.env().get("KOREA_PROMETHEUS_TOKEN"), progress);
        return DeployServices.defaults(clusters, file.stateDir(), file.baseDir(), context.clock(), progress)
                .withScanGate(new ScanRecordFiles(file.stateDir()))
                .withGitOps(new GitOpsAdapter(file, clusters, context.clock(), progress, context.env(), health))
                .withHealth(health)
                .withListener(new PromotionListeners(listeners(context, file, buildUrl, progress)));
    }

    /** Metrics always; Slack when credentials are set (korea notify says "not configured" when asked directly). */
    private static List<PromotionListener> listeners(CliContext context, ConfigFile file, String buildUrl,
            java.util.function.Consumer<String> progress) {
        List<PromotionListener> listeners = new java.util.ArrayList<>();
        listeners.add(new MetricsListener(new DeploymentMetrics(file.config().metrics(), file.baseDir()),
                new DeploymentLog(file.stateDir()), progress));
        Notifier notifier = new Notifier(file, context.env(), w -> progress.accept("korea: warning: " + w));
        if (notifier.configured()) {
            listeners.add(new NotifyListener(notifier, buildUrl));
        }
        return listeners;
    }

    /** Change control with the approval keys of the command's environment (KOREA_APPROVAL_KEY...). */
    static com.koreapublicdata.pipeline.control.ChangeControl changeControl(CliContext context, ConfigFile file) {
        return new com.koreapublicdata.pipeline.control.ChangeControl(file.config(), new DeploymentLog(file.stateDir())::read,
                context.clock(), approvalRecords(context));
    }

    static com.koreapublicdata.pipeline.control.ApprovalRecords approvalRecords(CliContext context) {
        return new com.koreapublicdata.pipeline.control.ApprovalRecords(
                new com.koreapublicdata.pipeline.control.ApprovalKeys(context.env()));
    }

    static Duration duration(String option, String text) {
        if (text == null) {
            return null;
        }
        return Durations.parse(text).filter(d -> !d.isZero() && !d.isNegative()).orElseThrow(() -> KoreaException.invalidInput(
                option + " " + text + ": not a duration (e.g. 15m, 90s, 1h30m)"));
    }
}
