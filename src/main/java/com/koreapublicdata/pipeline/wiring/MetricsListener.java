package com.koreapublicdata.pipeline.wiring;

import com.koreapublicdata.pipeline.deploy.PromotionListener;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.metrics.DeploymentMetrics;

/**
 * Publishes the deployment metrics (metrics file, Pushgateway) whenever a promotion or rollback has been recorded.
 * The engine appends the record before it tells listeners, so the published counters include it.
 */
public final class MetricsListener implements PromotionListener {
    private final DeploymentMetrics metrics;
    private final DeploymentLog log;
    private final Consumer<String> warnings;

    public MetricsListener(DeploymentMetrics metrics, DeploymentLog log, Consumer<String> warnings) {
        this.metrics = metrics;
        this.log = log;
        this.warnings = warnings;
    }

    private void publish() {
        metrics.publish(log).warnings().forEach(w -> warnings.accept("warning: " + w));
    }

    @Override
    public void awaitingApproval(Event event) {
        publish();
    }

    @Override
    public void succeeded(Event event) {
        publish();
    }

    @Override
    public void failed(Event event) {
        publish();
    }

    @Override
    public void rolledBack(Event event) {
        publish();
    }
}
