package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness catches each house rule: each deliberately bad step in bad/vars fails its run. */
class HarnessRulesTest {

    private static PipelineHarness bad() {
        try {
            return new PipelineHarness(Path.of(HarnessRulesTest.class.getResource("bad").toURI()))
                    .credential("slack-token", "xoxb-s3cr3t");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldFailWhenAStepArgumentIsInterpolatedIntoAShellScript() {
        assertThatThrownBy(() -> bad().run("interpolatesArgument(component: 'web; rm -rf /')", "Jenkinsfile"))
                .hasMessageContaining("a step argument or input value reached an sh script as code (web; rm -rf /)");
    }

    @Test
    void shouldPassTheSameValueWhenItTravelsThroughTheEnvironment() {
        PipelineHarness.Run run = bad().onSh(s -> s.script().startsWith("korea build"), s -> new PipelineHarness.ShResult(0, ""))
                .run("good(component: 'web; rm -rf /')", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("sh")).singleElement().satisfies(s -> assertThat(s.arg("script"))
                .isEqualTo("korea build --component \"$KOREA_COMPONENT\""));
    }

    @Test
    void shouldFailWhenASecretIsInterpolatedIntoAShellScript() {
        assertThatThrownBy(() -> bad().run("interpolatesSecret()", "Jenkinsfile"))
                .hasMessageContaining("a withCredentials secret was interpolated into an sh script");
    }

    @Test
    void shouldFailWhenAStepIsCalledFromNonCpsCode() {
        assertThatThrownBy(() -> bad().run("stepInNonCps()", "Jenkinsfile"))
                .hasMessageContaining("step 'echo' called from @NonCPS code");
    }

    @Test
    void shouldFailWhenMilestoneRunsInsideParallel() {
        assertThatThrownBy(() -> bad().run("milestoneInParallel()", "Jenkinsfile"))
                .hasMessageContaining("milestone inside parallel");
    }

    @Test
    void shouldFailWhenInputRunsInsideNode() {
        PipelineHarness h = bad().answerInput(PipelineHarness.InputAnswer.approve("alice"));
        assertThatThrownBy(() -> h.run("inputInNode()", "Jenkinsfile"))
                .hasMessageContaining("input inside node");
    }

    @Test
    void shouldFailWhenANonSerializableValueLivesAcrossAStep() {
        assertThatThrownBy(() -> bad().run("matcherAcrossStep()", "Jenkinsfile"))
                .hasMessageContaining("program state is not serializable at step echo")
                .hasMessageContaining("Matcher");
    }

    @Test
    void shouldFailAnShWithoutLabel() {
        assertThatThrownBy(() -> bad().run("noLabel()", "Jenkinsfile")).hasMessageContaining("sh without label");
    }

    @Test
    void shouldFailReadJsonWithoutReturnPojo() {
        assertThatThrownBy(() -> bad().run("pojoLess()", "Jenkinsfile")).hasMessageContaining("readJSON without returnPojo");
    }

    @Test
    void shouldFailWorkspaceStepsOutsideNode() {
        assertThatThrownBy(() -> bad().run("sh(script: 'true', label: 'x')", "Jenkinsfile"))
                .hasMessageContaining("'sh' outside node");
    }

    @Test
    void shouldRunLoopsThatCallStepsWithSerializableIterators() {
        PipelineHarness.Run run = bad().run("""
                def names = ['a', 'b']
                Map m = [x: 1, y: 2]
                for (String n : names) { echo(n) }
                names.each { echo(it) }
                m.each { k, v -> echo(k + '=' + v) }
                """, "Jenkinsfile");

        assertThat(run.log()).containsExactly("a", "b", "a", "b", "x=1", "y=2");
        assertThat(run.roundTrips()).isEqualTo(6);
    }
}
