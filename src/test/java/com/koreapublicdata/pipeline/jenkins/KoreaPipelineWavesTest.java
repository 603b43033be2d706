package com.koreapublicdata.pipeline.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** koreaPipeline on an environment with waves: one korea promote per component, one stage per wave drawn from it. */
class KoreaPipelineWavesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String with(String json, String key, Object value) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.set(key, JSON.valueToTree(value));
        return JSON.writeValueAsString(node);
    }

    private static List<Map<String, Object>> planWaves() {
        return List.of(Map.of("wave", 1, "clusters", List.of("eu-1"), "soakSeconds", 1800),
                Map.of("wave", 2, "clusters", List.of("us-1", "ap-1"), "soakSeconds", 0));
    }

    private static List<Map<String, Object>> resultWaves(String first, String second) {
        return List.of(Map.of("wave", 1, "clusters", List.of("eu-1"), "soakSeconds", 1800, "outcome", first,
                        "message", "eu-1: " + first),
                Map.of("wave", 2, "clusters", List.of("us-1", "ap-1"), "soakSeconds", 0, "outcome", second,
                        "message", "us-1: " + second + "; ap-1: " + second));
    }

    @Test
    void shouldDrawOneStagePerWave() throws Exception {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, with(Canned.plan("staging", false, "engine", false, "backend"), "waves", planWaves()));
        h.korea("promote", 0, with(Canned.promote("backend", "staging", "deployed"), "waves", resultWaves("deployed", "deployed")));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy staging", "Deploy staging: wave 1",
                "Deploy staging: wave 2");
        assertThat(run.koreaCommands()).as("the engine runs every wave in one call").containsExactly("plan", "build", "build", "scan",
                "promote");
        assertThat(run.calls("echo")).extracting(c -> String.valueOf(c.args().get(0)))
                .anyMatch(l -> l.contains("backend on us-1, ap-1: deployed"));
    }

    @Test
    void shouldDrawTheWavesOfAPromotionTheEngineRolledBackAndMarkTheOneThatStopped() throws Exception {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, with(Canned.plan("staging", false, "engine", false, "backend"), "waves", planWaves()));
        h.korea("promote", 20, with(Canned.promote("backend", "staging", "rolled-back"), "waves",
                resultWaves("rolled-back", "rolled-back")));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stages()).contains("Deploy staging: wave 1", "Deploy staging: wave 2");
        assertThat(run.calls("unstable")).hasSize(2).first().satisfies(c -> assertThat(c.context())
                .anyMatch(s -> s.contains("Deploy staging: wave 1")));
        assertThat(run.calls("koreaRollback")).as("the engine restored the clusters").isEmpty();
    }

    @Test
    void shouldDrawNoWaveStagesWithoutWaves() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy staging");
    }
}
