package com.koreapublicdata.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Records of a waves promotion carry their cluster into every series; older records keep their series unchanged. */
class ClusterLabelTest {

    @Test
    void shouldLabelTheSeriesOfEachClusterAndLeaveRecordsWithoutOneAlone() {
        String text = DeploymentMetrics.render(List.of(
                Records.promotion("production", "web", "deployed", 0, 30).onCluster("eu-1", 1),
                Records.promotion("production", "web", "rolled-back", 5, 40).onCluster("us-1", 2),
                Records.rollback("production", "web", "rolled-back", 6, 10).onCluster("eu-1", 1),
                Records.promotion("staging", "web", "deployed", 7, 20)));

        assertThat(text).contains("korea_deployments_total{environment=\"production\",component=\"web\",cluster=\"eu-1\","
                + "strategy=\"rolling\",status=\"success\"} 1");
        assertThat(text).contains("korea_deployments_total{environment=\"production\",component=\"web\",cluster=\"us-1\","
                + "strategy=\"rolling\",status=\"failed\"} 1");
        assertThat(text).contains("korea_rollbacks_total{environment=\"production\",component=\"web\",cluster=\"us-1\","
                + "trigger=\"automatic\"} 1");
        assertThat(text).contains("korea_rollbacks_total{environment=\"production\",component=\"web\",cluster=\"eu-1\","
                + "trigger=\"manual\"} 1");
        assertThat(text).contains("korea_deployments_total{environment=\"staging\",component=\"web\",strategy=\"rolling\","
                + "status=\"success\"} 1");
    }
}
