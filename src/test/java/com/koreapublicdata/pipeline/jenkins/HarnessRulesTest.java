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
                    .credential("slack-token", "xoxb-s3cr3t").credential("kubeconfig", "kube-s3cr3t");
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

    // ---- what Jenkins does that the harness models (jenkins-steps.md §7) ------------------------------------------

    @Test
    void shouldFailAnShThatNoStubAnswersInsteadOfPretendingItSucceeded() {
        assertThatThrownBy(() -> bad().run("node { sh(script: 'make deploy', label: 'make') }", "Jenkinsfile"))
                .hasMessageContaining("sh with no stub in this test").hasMessageContaining("make deploy");
    }

    @Test
    void shouldFailAnShWithoutReturnStatusAndDrawItRedButNotOneWithReturnStatus() {
        PipelineHarness h = bad().onSh(s -> s.script().equals("exit 3"), s -> new PipelineHarness.ShResult(3, ""));
        PipelineHarness.Run status = h.run("node { echo('got ' + sh(script: 'exit 3', label: 'x', returnStatus: true)) }", "Jenkinsfile");
        assertThat(status.result()).isEqualTo("SUCCESS");
        assertThat(status.log()).containsExactly("got 3");
        assertThat(status.redSteps()).as("returnStatus: the node stays green").isEmpty();

        PipelineHarness.Run plain = h.run("node { stage('S') { sh(script: 'exit 3', label: 'x') } }", "Jenkinsfile");
        assertThat(plain.result()).isEqualTo("FAILURE");
        assertThat(plain.lastLine()).isEqualTo("ERROR: script returned exit code 3");
        assertThat(plain.redSteps()).extracting(StepCall::name).containsExactly("sh");
        assertThat(plain.stageResults()).containsEntry("S", "FAILURE");
    }

    @Test
    void shouldGiveAScriptedPipelineNoGitVariablesInEnvButReturnThemFromCheckout() {
        PipelineHarness.Run run = bad().checkout("c0ffee0000000000000000000000000000000000", null).run("""
                node {
                    Map scmVars = checkout(scm)
                    echo('env: ' + env.GIT_COMMIT + ' checkout: ' + scmVars.GIT_COMMIT + ' previous: ' + scmVars.GIT_PREVIOUS_SUCCESSFUL_COMMIT)
                }
                """, "Jenkinsfile");
        assertThat(run.log()).containsExactly("env: null checkout: c0ffee0000000000000000000000000000000000 previous: null");
    }

    @Test
    void shouldFailWithCredentialsOnAnUnknownIdWithJenkinsMessage() {
        PipelineHarness.Run run = bad().run("node { withCredentials([string(credentialsId: 'nope', variable: 'X')]) { echo('never') } }",
                "Jenkinsfile");
        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.failure().getClass().getSimpleName()).isEqualTo("CredentialNotFoundException");
        assertThat(run.lastLine()).isEqualTo("ERROR: Could not find credentials entry with ID 'nope'");
        assertThat(run.log()).doesNotContain("never");
    }

    @Test
    void shouldThrowNoSuchMethodErrorForAStepOfAPluginThatIsNotInstalled() {
        PipelineHarness.Run run = bad().run("slackSend(channel: '#x', message: 'hi')", "Jenkinsfile");
        assertThat(run.failure()).isInstanceOf(NoSuchMethodError.class)
                .hasMessageStartingWith("No such DSL method 'slackSend' found among steps [archive, bat, build, ");
        assertThat(bad().plugin("slack").run("echo('sent: ' + (slackSend(channel: '#x', message: 'hi', tokenCredentialId: 'slack-token') != null))",
                "Jenkinsfile").log()).containsExactly("sent: true");
        assertThat(bad().plugin("slack").run("echo('sent: ' + (slackSend(channel: '#x', message: 'hi', tokenCredentialId: 'none') != null))",
                "Jenkinsfile").log()).as("the plugin returns null when it cannot resolve the token").containsExactly("sent: false");
    }

    @Test
    void shouldCancelABuildWhoseMilestoneANewerBuildPassedWithCancelledCause() {
        PipelineHarness.Run run = bad().supersededAtMilestone(2, "demo#43").run("milestone(ordinal: 1)\nmilestone(ordinal: 2)\necho('never')",
                "Jenkinsfile");
        assertThat(run.result()).isEqualTo("NOT_BUILT");
        assertThat(run.lastLine()).isEqualTo("Superseded by demo#43");
        assertThat(((StepExceptions.FlowInterruptedException) run.failure()).getCauses()).singleElement()
                .satisfies(c -> assertThat(c.getClass().getName()).endsWith("CancelledCause"));

        PipelineHarness.Run waiting = bad().answerInput(PipelineHarness.InputAnswer.superseded("demo#44"))
                .run("input(id: 'Approve', message: 'Deploy?')", "Jenkinsfile");
        assertThat(waiting.result()).as("the older build waiting at input").isEqualTo("NOT_BUILT");
    }

    @Test
    void shouldLetTheOtherParallelBranchesFinishAndFailTheStage() {
        PipelineHarness.Run run = bad().run("stage('T') { parallel(a: { error('a broke') }, b: { echo('b ran') }) }", "Jenkinsfile");
        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.log()).contains("b ran");
        assertThat(run.stageResults()).containsEntry("T", "FAILURE").containsEntry("branch a", "FAILURE")
                .doesNotContainKey("branch b");

        PipelineHarness.Run fast = bad().run("stage('T') { parallel(a: { error('a broke') }, b: { echo('b ran') }, failFast: true) }",
                "Jenkinsfile");
        assertThat(fast.log()).doesNotContain("b ran");
        assertThat(fast.stageResults()).containsEntry("branch b", "ABORTED");
    }

    @Test
    void shouldKeepEachNodesFilesToItselfUnlessStashed() {
        PipelineHarness.Run apart = bad().run("""
                node('a') { writeFile(file: '.korea/builds/x.json', text: '1') }
                node('b') { echo('without stash: ' + fileExists('.korea/builds/x.json')) }
                node('a') { writeFile(file: '.korea/builds/x.json', text: '1'); stash(name: 's', includes: '**/.korea/builds/**') }
                node('b') { unstash('s'); echo('with stash: ' + fileExists('.korea/builds/x.json')) }
                """, "Jenkinsfile");
        assertThat(apart.log()).containsExactly("without stash: false", "with stash: true");
        assertThat(bad().run("node { stash(name: 'e', includes: 'nothing/**') }", "Jenkinsfile").lastLine())
                .isEqualTo("ERROR: No files included in stash ‘e’");
    }

    @Test
    void shouldFailWhenACredentialFilesPathReachesTheLog() {
        assertThatThrownBy(() -> bad().run("printsCredentialFile()", "Jenkinsfile"))
                .hasMessageContaining("a credential (or a credential file's path) reached the log");
    }

    @Test
    void shouldHoldStubbedKoreaResultsToTheSharedContract() {
        PipelineHarness h = bad();
        h.korea("plan", 0, "{\"environment\": \"development\"}");
        assertThatThrownBy(() -> h.run("node { withEnv(['KOREA_OUTPUT=.korea/out/plan.json', 'KOREA_FORMAT=json']) { "
                + "sh(script: 'sh \"$KOREA_LAUNCHER\" plan', label: 'korea plan') } }", "Jenkinsfile"))
                .hasMessageContaining("result breaks the shared contract (outcome, changed, exitCode = 0, message)");
    }
}
