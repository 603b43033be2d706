package com.koreapublicdata.pipeline.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 13: koreaRollback called outside node asks the environment's team (from korea validate's teams) with an input
 * before korea rollback, and passes who confirmed as --requested-by; inside node, or with askTeam: false, it asks none.
 */
class KoreaRollbackTeamTest {

    private static PipelineHarness harness(Map<String, List<String>> teams) {
        PipelineHarness h = Canned.harness("main");
        h.korea("validate", 0, Canned.json(Canned.result("passed", false, "korea.yaml: valid",
                Map.of("valid", true, "file", "korea.yaml", "problems", List.of(), "teams", teams))));
        return h;
    }

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

    private static StepCall rollback(PipelineHarness.Run run) {
        return run.calls("sh").stream().filter(s -> "rollback".equals(new ShCall((String) s.arg("script"), null, Map.of()).koreaCommand()))
                .findFirst().orElseThrow();
    }

    @Test
    void shouldAskTheEnvironmentsTeamOutsideAnyAgentAndRollBackAsWhoConfirmed() {
        PipelineHarness h = harness(Map.of("production", List.of("ops-olivia", "ops-oscar"), "staging", List.of("qa-quinn")))
                .answerInput(PipelineHarness.InputAnswer.decide("ops-olivia", null, "error rate 7%"));

        PipelineHarness.Run run = h.run("koreaRollback(component: 'backend', environment: 'production')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        StepCall input = run.calls("input").get(0);
        assertThat(input.named()).as("the submitter is production's team").containsEntry("submitter", "ops-olivia,ops-oscar")
                .containsEntry("submitterParameter", "KOREA_REQUESTER").containsEntry("id", "Rollback-backend-production");
        assertThat((String) input.arg("message")).isEqualTo("Roll back backend in production to the previous revision");
        assertThat(input.context()).contains("timeout:{time=60, unit=MINUTES}").noneMatch(c -> c.startsWith("node"));
        assertThat(run.koreaCommands()).containsExactly("validate", "rollback");
        StepCall sh = rollback(run);
        assertThat(envOf(run, sh, "KOREA_REQUESTED_BY")).isEqualTo("ops-olivia");
        assertThat(envOf(run, sh, "KOREA_REASON")).isEqualTo("error rate 7%");
        assertThat((String) sh.arg("script")).doesNotContain("ops-olivia").doesNotContain("error rate");
    }

    @Test
    void shouldAskNoInputWithoutATeamOrWhenAutomationTurnsItOffOrInsideNode() {
        PipelineHarness none = harness(Map.of("production", List.of()));
        PipelineHarness.Run anyone = none.run("koreaRollback(component: 'backend', environment: 'production')\n", "Jenkinsfile");
        assertThat(anyone.result()).isEqualTo("SUCCESS");
        assertThat(anyone.calls("input")).isEmpty();
        assertThat(anyone.koreaCommands()).containsExactly("validate", "rollback");

        PipelineHarness off = harness(Map.of("production", List.of("ops-olivia")));
        PipelineHarness.Run automation = off.run("koreaRollback(component: 'backend', environment: 'production', askTeam: false)\n",
                "Jenkinsfile");
        assertThat(automation.result()).isEqualTo("SUCCESS");
        assertThat(automation.calls("input")).isEmpty();
        assertThat(automation.koreaCommands()).containsExactly("rollback");

        PipelineHarness inside = harness(Map.of("production", List.of("ops-olivia")));
        PipelineHarness.Run inNode = inside.run("node { koreaRollback(component: 'backend', environment: 'production') }\n",
                "Jenkinsfile");
        assertThat(inNode.result()).isEqualTo("SUCCESS");
        assertThat(inNode.calls("input")).as("an input inside node would hold the executor").isEmpty();
        assertThat(inNode.koreaCommands()).containsExactly("rollback");
    }

    @Test
    void shouldAskAgainWithoutAReason() {
        PipelineHarness h = harness(Map.of("production", List.of("ops-olivia")))
                .answerInput(PipelineHarness.InputAnswer.decide("ops-olivia", null, ""))
                .answerInput(PipelineHarness.InputAnswer.decide("ops-olivia", null, "bad release"));

        PipelineHarness.Run run = h.run("koreaRollback(component: 'backend', environment: 'production')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("input")).hasSize(2);
        assertThat((String) run.calls("input").get(1).arg("message")).endsWith("; a reason is required (ops-olivia gave none)");
    }
}
