package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KoreaPipelineTest {

    @Test
    void shouldBuildScanAndDeployChangedComponentsToDevelopmentOnDevelop() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(run.koreaCommands()).containsSubsequence("plan", "build", "build", "scan", "promote");
        assertThat(run.calls("input")).isEmpty();
        assertThat(run.roundTrips()).isGreaterThan(20);
    }
}
