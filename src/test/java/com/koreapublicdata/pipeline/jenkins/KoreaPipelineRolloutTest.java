package com.koreapublicdata.pipeline.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 13: a blue-green preview or held canary (promote's outcome awaiting-promotion) waits at an input whose submitter
 * is the environment's team (the plan's {@code team}); then korea rollout promote as that person, or korea rollout abort.
 */
class KoreaPipelineRolloutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String with(String json, String key, Object value) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.set(key, JSON.valueToTree(value));
        return JSON.writeValueAsString(node);
    }

    /** staging (team qa-team and carol) where frontend's preview waits for promotion; rollout promote and abort succeed. */
    private static PipelineHarness paused(List<String> team) throws Exception {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, with(Canned.plan("staging", false, "engine", false, "frontend"), "team", team));
        h.korea("promote", 0, Canned.promote("frontend", "staging", "awaiting-promotion"));
        h.korea("rollout promote", 0, Canned.json(Canned.result("deployed", true, "promoted frontend in staging",
                Map.of("environment", "staging", "component", "frontend"))));
        h.korea("rollout abort", 0, Canned.json(Canned.result("aborted", true, "traffic back to the stable version",
                Map.of("environment", "staging", "component", "frontend"))));
        return h;
    }

    /** The value of {@code name} in the withEnv that encloses {@code sh} (the innermost one that sets it). */
    private static String envOf(PipelineHarness.Run run, StepCall sh, String name) {
        String value = null;
        for (StepCall w : run.calls("withEnv")) {
            if (run.calls().indexOf(w) < run.calls().indexOf(sh) && sh.context().size() > w.context().size()) {
                for (Object pair : (List<?>) w.args().get(0)) {
                    String text = String.valueOf(pair);
                    if (text.startsWith(name + "=")) {
                        value = text.substring(name.length() + 1);
                    }
                }
            }
        }
        return value;
    }

    private static StepCall korea(PipelineHarness.Run run, String command) {
        return run.calls("sh").stream().filter(s -> command.equals(new ShCall((String) s.arg("script"), null, Map.of()).koreaCommand()))
                .findFirst().orElseThrow(() -> new AssertionError("no korea " + command + " in " + run.koreaCommands()));
    }

    @Test
    void shouldAskTheTeamOutsideAnyAgentAndPromoteThePausedRolloutAsTheMemberWhoAnswered() throws Exception {
        PipelineHarness h = paused(List.of("qa-team", "carol"))
                .answerInput(PipelineHarness.InputAnswer.decide("carol", "promote", "smoke tests green"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy staging", "Promote frontend in staging");
        StepCall input = run.calls("input").get(0);
        assertThat(input.named()).as("the submitter is the environment's team").containsEntry("submitter", "qa-team,carol")
                .containsEntry("submitterParameter", "KOREA_PROMOTER").containsEntry("id", "Promote-frontend-staging");
        assertThat((String) input.arg("message")).isEqualTo("Promote the paused rollout of frontend 1.2.3 in staging "
                + "(rollout awaiting-promotion)");
        assertThat(input.context()).contains("stage:Promote frontend in staging", "timeout:{time=1440, unit=MINUTES}")
                .noneMatch(c -> c.startsWith("node"));
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote", "rollout promote");
        StepCall promote = korea(run, "rollout promote");
        assertThat((String) promote.arg("script")).contains("--requested-by \"$KOREA_REQUESTED_BY\"").doesNotContain("carol");
        assertThat(envOf(run, promote, "KOREA_REQUESTED_BY")).isEqualTo("carol");
        assertThat(promote.context()).anyMatch(c -> c.startsWith("lock:"));
        assertThat(run.log()).contains("koreaPipeline: frontend in staging: promote by carol: smoke tests green",
                "koreaPipeline: frontend in staging: deployed: promoted frontend in staging");
        assertThat(run.log()).anyMatch(l -> l.contains("frontend: test passed, build passed, scan passed, deploy deployed"));
    }

    @Test
    void shouldAbortTheRolloutWithTheReasonWhenTheTeamChoosesAbort() throws Exception {
        PipelineHarness h = paused(List.of("qa-team"))
                .answerInput(PipelineHarness.InputAnswer.decide("dave", "abort", "checkout errors"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote", "rollout abort");
        StepCall abort = korea(run, "rollout abort");
        assertThat((String) abort.arg("script")).contains("--reason \"$KOREA_REASON\"").doesNotContain("checkout errors");
        assertThat(envOf(run, abort, "KOREA_REASON")).isEqualTo("aborted by dave: checkout errors");
        assertThat(run.log()).anyMatch(l -> l.contains("frontend: test passed, build passed, scan passed, deploy aborted"));
    }

    @Test
    void shouldAbortTheRolloutWhenSomeoneRejectsTheInput() throws Exception {
        PipelineHarness h = paused(List.of("qa-team")).answerInput(PipelineHarness.InputAnswer.reject("erin"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote", "rollout abort");
        assertThat(envOf(run, korea(run, "rollout abort"), "KOREA_REASON")).isEqualTo("aborted by erin: rejected on the input page");
    }

    @Test
    void shouldAskAgainWhenNoReasonIsGivenAndLetAnyoneAnswerWithoutATeam() throws Exception {
        PipelineHarness h = paused(List.of())
                .answerInput(PipelineHarness.InputAnswer.decide("carol", "promote", " "))
                .answerInput(PipelineHarness.InputAnswer.decide("carol", "promote", "preview checked"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        List<StepCall> inputs = run.calls("input");
        assertThat(inputs).hasSize(2);
        assertThat(inputs.get(0).named().get("submitter")).as("no team: the engine lets anyone").isNull();
        assertThat((String) inputs.get(1).arg("message")).endsWith("; a reason is required (carol gave none)");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote", "rollout promote");
    }

    @Test
    void shouldLeaveTheRolloutPausedWhenNobodyAnswersInTime() throws Exception {
        PipelineHarness h = paused(List.of("qa-team")).answerInput(PipelineHarness.InputAnswer.timeOut());

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote");
        assertThat(run.log()).contains("koreaPipeline: nobody promoted frontend in staging within 1440 minutes; the rollout "
                + "stays paused (korea rollout promote or abort)");
    }

    @Test
    void shouldFailWithTheEnginesReasonWhenTheEngineRefusesThePromoter() throws Exception {
        PipelineHarness h = paused(List.of("qa-team"))
                .answerInput(PipelineHarness.InputAnswer.decide("mallory", "promote", "looks fine"));
        h.korea("rollout promote", 10, Canned.json(Canned.result("refused", false, "'mallory' is not in the team that may "
                + "promote the paused rollout of frontend in staging: [qa-team] (environments.staging.team); nothing was changed",
                Map.of("environment", "staging", "component", "frontend"))));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.failure()).hasMessageContaining("koreaPipeline: promote the rollout of frontend in staging: refused: 'mallory' is "
                + "not in the team");
    }
}
