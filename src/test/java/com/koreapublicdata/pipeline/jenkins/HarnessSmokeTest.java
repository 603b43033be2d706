package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HarnessSmokeTest {
    @Test
    void shouldRunAVarCpsTransformed() throws Exception {
        Path root = Path.of(getClass().getResource("smoke").toURI());
        PipelineHarness h = new PipelineHarness(root);
        PipelineHarness.Run run = h.run("@Library('x') _\nhello()\n", "Jenkinsfile");
        assertThat(run.log()).containsExactly("x=1", "y=2", "p", "q", "DONE");
        assertThat(run.calls("sh")).hasSize(2);
        assertThat(run.roundTrips()).isGreaterThan(5);
        System.out.println(run.calls());
    }
}
