package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each step on its own: the exact korea command line, its inputs, credentials, reports and failures. */
class KoreaStepsTest {
    private static final String LAUNCH = "sh \"$KOREA_LAUNCHER\" ";
    private static final String COMMON = " --config \"$KOREA_CONFIG\" --format \"$KOREA_FORMAT\" --output \"$KOREA_OUTPUT\"";

    private static PipelineHarness.Run inNode(PipelineHarness h, String steps) {
        return h.run("node {\n" + steps + "\n}\n", "Jenkinsfile");
    }

    private static Map<String, String> envOf(PipelineHarness.Run run, int shIndex) {
        List<StepCall> withEnv = run.calls("withEnv");
        StepCall sh = run.calls("sh").get(shIndex);
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (StepCall w : withEnv) {
            if (run.calls().indexOf(w) < run.calls().indexOf(sh)) {
                for (Object pair : (List<?>) w.args().get(0)) {
                    String text = String.valueOf(pair);
                    env.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
                }
            }
        }
        return env;
    }

    private static String buildWithReports(String outcome, String message) {
        return Canned.json(Canned.result(outcome, false, message, Map.of("component", "backend",
                "tests", Map.of("junitDir", "/ws/demo/.korea/reports/backend", "junitFiles", List.of("TEST-unit.xml")))));
    }

    @Test
    void shouldBuildAComponentWithTheExactCommandAndPublishItsTests() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("build", 0, buildWithReports("passed", "backend: built"));
        PipelineHarness.Run run = inNode(h,
                "koreaBuild(component: 'backend', version: '1.2.3', tests: 'skip', registryCredentialsId: 'kubeconfig')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        StepCall sh = run.calls("sh").get(0);
        assertThat(sh.arg("script")).isEqualTo(LAUNCH + "build --component \"$KOREA_COMPONENT\" ${KOREA_BRANCH:+--branch \"$KOREA_BRANCH\"}"
                + " ${KOREA_COMMIT:+--commit \"$KOREA_COMMIT\"} ${KOREA_VERSION:+--version \"$KOREA_VERSION\"} $KOREA_TESTS" + COMMON);
        assertThat(sh.arg("label")).isEqualTo("korea build backend");
        assertThat(sh.arg("returnStatus")).as("a failing korea command fails its sh: a red step").isNull();
        assertThat(envOf(run, 0)).containsEntry("KOREA_COMPONENT", "backend").containsEntry("KOREA_VERSION", "1.2.3")
                .containsEntry("KOREA_BRANCH", "develop").containsEntry("KOREA_TESTS", "--skip-tests")
                .containsEntry("KOREA_OUTPUT", ".korea/out/build-backend.json").containsEntry("KOREA_FORMAT", "json");
        assertThat(run.calls("withCredentials").get(0).args().get(0).toString())
                .contains("KOREA_REGISTRY_USERNAME", "KOREA_REGISTRY_PASSWORD");
        assertThat(run.calls("junit")).singleElement().satisfies(j -> assertThat(j.named())
                .containsEntry("testResults", ".korea/reports/backend/*.xml"));
    }

    @Test
    void shouldPublishNoTestsForAnImageOnlyBuildAndEveryReportWhenKoreaLeftNoResult() {
        PipelineHarness.Run imageOnly = inNode(Canned.harness("develop"), "koreaBuild(component: 'backend', tests: 'skip')");
        assertThat(imageOnly.calls("junit")).as("tests: no files collected, none published twice").isEmpty();

        PipelineHarness crashed = Canned.harness("develop");
        crashed.korea("build", 1, null);
        PipelineHarness.Run run = inNode(crashed, "koreaBuild(component: 'backend')");
        assertThat(run.failure()).hasMessage("koreaBuild: korea build backend: korea wrote no result (its output above says why)");
        assertThat(run.calls("junit")).singleElement().satisfies(j -> assertThat(j.arg("testResults"))
                .isEqualTo("**/.korea/reports/**/*.xml"));
    }

    @Test
    void shouldFailTheBuildNamingTheComponentWhenKoreaBuildFails() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("build", 10, buildWithReports("refused", "npm audit found 2 high vulnerabilities"));

        PipelineHarness.Run run = inNode(h, "koreaBuild(component: 'frontend')");

        assertThat(run.failure()).hasMessage("koreaBuild: korea build frontend: refused: npm audit found 2 high vulnerabilities");
        assertThat(run.calls("junit")).hasSize(1);
        assertThat(run.calls("archiveArtifacts")).singleElement().satisfies(a -> assertThat(a.arg("artifacts"))
                .isEqualTo(".korea/out/build-frontend.json"));
        assertThat(run.redSteps()).extracting(StepCall::name).containsExactly("sh", "error");
    }

    @Test
    void shouldRefuseUnknownAndMissingArguments() {
        assertThat(inNode(Canned.harness("develop"), "koreaBuild(component: 'x', test: 'only')").failure())
                .hasMessage("koreaBuild: unknown argument(s) test; allowed: component, config, branch, commit, version, "
                        + "tests, registryCredentialsId");
        assertThat(inNode(Canned.harness("develop"), "koreaPromote(component: 'x', environment: 'y', kubeconfig: 's')")
                .failure()).hasMessageStartingWith(
                        "koreaPromote: unknown argument(s) kubeconfig; allowed: component, environment, image, version,");
        assertThat(inNode(Canned.harness("develop"), "koreaPromote(component: 'x')").failure())
                .hasMessage("koreaPromote: argument environment is required (see koreaPromote.txt)");
        assertThat(inNode(Canned.harness("develop"), "koreaBuild(component: 'x', tests: 'maybe')").failure())
                .hasMessage("koreaBuild: tests must be one of run, only, skip, was maybe");
    }

    @Test
    void shouldScanTheLastBuiltImageOnceAndSaveEveryRendering() {
        PipelineHarness.Run run = inNode(Canned.harness("develop"),
                "koreaBuild(component: 'backend')\nkoreaScan(component: 'backend', failOn: 'CRITICAL')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.koreaCommands()).as("Trivy runs once").containsExactly("build", "scan");
        assertThat(envOf(run, 1)).containsEntry("KOREA_IMAGE", "registry.example/backend@sha256:" + "ab".repeat(32))
                .containsEntry("KOREA_FAIL_ON", "CRITICAL").containsEntry("KOREA_FORMAT", "json")
                .containsEntry("KOREA_OUTPUT", ".korea/out/scan-backend.json")
                .containsEntry("KOREA_SAVE_JUNIT", "junit=.korea/out/scan-backend-junit.xml")
                .containsEntry("KOREA_SAVE_SARIF", "sarif=.korea/out/scan-backend.sarif")
                .containsEntry("KOREA_SAVE_HTML", "html=.korea/out/scan-backend.html")
                .containsEntry("KOREA_CLEAR", ".korea/out/scan-backend-junit.xml .korea/out/scan-backend.sarif .korea/out/scan-backend.html");
        assertThat(run.calls("junit")).singleElement().satisfies(j -> assertThat(j.arg("testResults"))
                .isEqualTo(".korea/out/scan-backend-junit.xml"));
        assertThat(run.calls("archiveArtifacts")).extracting(a -> a.arg("artifacts")).contains(".korea/out/scan-backend.json,"
                + ".korea/out/scan-backend-junit.xml,.korea/out/scan-backend.sarif,.korea/out/scan-backend.html");
    }

    @Test
    void shouldScanTheTarballWithItsDigestWhenTheBuildPushedNothing() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("build", 0, Canned.json(Canned.result("passed", false, "built", Map.of("reference", "korea-public-data-backend@sha256:cd",
                "digest", "sha256:cd", "pushed", false, "tarball", "/ws/demo/.korea/images/backend-0bbf6a4.tar", "tags", List.of("0bbf6a4")))));

        PipelineHarness.Run run = inNode(h, "koreaBuild(component: 'backend')\nkoreaScan(component: 'backend', formats: [])");

        assertThat(run.calls("sh").get(1).arg("script")).isEqualTo(LAUNCH + "scan ${KOREA_IMAGE:+--image \"$KOREA_IMAGE\"}"
                + " ${KOREA_INPUT:+--input \"$KOREA_INPUT\"} ${KOREA_DIGEST:+--digest \"$KOREA_DIGEST\"}"
                + " ${KOREA_REPORT:+--report \"$KOREA_REPORT\"} ${KOREA_DIR:+--dir \"$KOREA_DIR\"}"
                + " ${KOREA_COMPONENT:+--component \"$KOREA_COMPONENT\"} ${KOREA_ENVIRONMENT:+--environment \"$KOREA_ENVIRONMENT\"}"
                + " ${KOREA_FAIL_ON:+--fail-on \"$KOREA_FAIL_ON\"}"
                + " $KOREA_IGNORE_UNFIXED ${KOREA_SAVE_JUNIT:+--save \"$KOREA_SAVE_JUNIT\"}"
                + " ${KOREA_SAVE_SARIF:+--save \"$KOREA_SAVE_SARIF\"} ${KOREA_SAVE_HTML:+--save \"$KOREA_SAVE_HTML\"}" + COMMON);
        assertThat(envOf(run, 1)).containsEntry("KOREA_INPUT", "/ws/demo/.korea/images/backend-0bbf6a4.tar")
                .containsEntry("KOREA_DIGEST", "sha256:cd").containsEntry("KOREA_IMAGE", "")
                .containsEntry("KOREA_SAVE_JUNIT", "").containsEntry("KOREA_SAVE_HTML", "");
        assertThat(run.calls("junit")).isEmpty();
    }

    @Test
    void shouldTellAScanGateRefusalFromAScannerFailure() {
        PipelineHarness refused = Canned.harness("develop");
        refused.korea("scan", 10, Canned.scan("fail"));
        assertThat(inNode(refused, "koreaScan(image: 'r/x:1', formats: [])").failure())
                .hasMessage("koreaScan: scanning r/x:1: refused: the scan gate refused: 1 blocking finding (CRITICAL 1)");

        PipelineHarness broken = Canned.harness("develop");
        broken.korea("scan", 1, Canned.json(Canned.result("failed", false, "trivy exited 2: no space left on device", Map.of())));
        assertThat(inNode(broken, "koreaScan(dir: '.', formats: [])").failure())
                .hasMessage("koreaScan: scanning .: failed: trivy exited 2: no space left on device");
        assertThat(inNode(Canned.harness("develop"), "koreaScan()").failure())
                .hasMessage("koreaScan: nothing to scan: give image, input, report or dir (or run koreaBuild for the component first)");
    }

    @Test
    void shouldPromoteWithTheApproverAndKubeconfigAndExplainEachRefusal() {
        PipelineHarness.Run run = inNode(Canned.harness("main"), "koreaPromote(component: 'backend', environment: 'production', "
                + "image: 'r/b@sha256:1', approvedBy: 'alice', kubeconfigCredentialsId: 'kubeconfig')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("sh").get(0).arg("script")).isEqualTo(LAUNCH + "promote --component \"$KOREA_COMPONENT\" "
                + "--environment \"$KOREA_ENVIRONMENT\" --image \"$KOREA_IMAGE\" ${KOREA_VERSION:+--version \"$KOREA_VERSION\"}"
                + " ${KOREA_APPROVED_BY:+--approved-by \"$KOREA_APPROVED_BY\" --approval-source \"$KOREA_APPROVAL_SOURCE\"}"
                + " ${KOREA_REQUESTED_BY:+--requested-by \"$KOREA_REQUESTED_BY\"}"
                + " ${KOREA_REASON:+--reason \"$KOREA_REASON\"} ${KOREA_APPROVAL:+--approval \"$KOREA_APPROVAL\"}"
                + " ${BUILD_URL:+--build-url \"$BUILD_URL\"} ${KOREA_COMMIT:+--commit \"$KOREA_COMMIT\"}"
                + " ${KOREA_TIMEOUT:+--timeout \"$KOREA_TIMEOUT\"} $KOREA_CONFIRM" + COMMON);
        assertThat(envOf(run, 0)).containsEntry("KOREA_APPROVED_BY", "alice").containsEntry("KOREA_APPROVAL_SOURCE", "jenkins-input");
        assertThat(run.calls("sh").get(0).inside("withCredentials")).isTrue();
        assertThat(run.log()).contains("koreaPromote: backend in production: deployed: rollout deployed");

        for (String outcome : List.of("refused", "rolled-back", "rollback-failed", "failed", "unknown", "invalid-input")) {
            PipelineHarness h = Canned.harness("main");
            h.korea("promote", call -> Canned.answer(Canned.result(outcome, false, "the engine's reason", Map.of())));
            assertThat(inNode(h, "koreaPromote(component: 'b', environment: 'staging', image: 'r/b:1')").failure())
                    .as("reported, not decided from the exit code").hasMessage("koreaPromote: deploying b to staging: " + outcome
                            + ": the engine's reason");
        }
    }

    @Test
    void shouldBindEveryDeployCredentialUnderTheNameTheEngineReads() {
        for (String step : List.of("koreaPromote(component: 'b', environment: 'staging', image: 'r/b:1', ",
                "koreaRollback(component: 'b', environment: 'staging', ")) {
            PipelineHarness h = Canned.harness("main").credential("gitops-push", "ghp-s3cr3t")
                    .credential("prometheus-token", "prom-s3cr3t");
            PipelineHarness.Run run = inNode(h, step
                    + "kubeconfigCredentialsId: 'kubeconfig', gitCredentialsId: 'gitops-push', prometheusCredentialsId: 'prometheus-token', "
                    + "slackCredentialsId: 'slack-token')");

            assertThat(run.failure()).isNull();
            assertThat(run.calls("withCredentials")).extracting(w -> w.args().get(0).toString()).as("Slack (optional), then the rest")
                    .containsExactly("[{credentialsId=slack-token, variable=KOREA_SLACK_TOKEN, $class=string}]",
                            "[{credentialsId=kubeconfig, variable=KUBECONFIG, $class=file}, {credentialsId=gitops-push, "
                                    + "usernameVariable=KOREA_GIT_USERNAME, passwordVariable=KOREA_GIT_TOKEN, $class=usernamePassword}, "
                                    + "{credentialsId=prometheus-token, variable=KOREA_PROMETHEUS_TOKEN, $class=string}]");
        }
        PipelineHarness.Run scan = inNode(Canned.harness("main"), "koreaScan(image: 'r/b:1', slackCredentialsId: 'slack-token')");
        assertThat(scan.calls("withCredentials")).singleElement().satisfies(w -> assertThat(w.args().get(0).toString())
                .contains("variable=KOREA_SLACK_TOKEN"));
        assertThat(inNode(Canned.harness("main"), "koreaScan(image: 'r/b:1')").calls("withCredentials"))
                .as("no Slack credential given: korea's own alert stays off").isEmpty();
    }

    @Test
    void shouldRollBackToTheGivenRevisionWithTheReason() {
        PipelineHarness.Run run = inNode(Canned.harness("main"),
                "koreaRollback(component: 'backend', environment: 'production', toRevision: '3', reason: 'error rate 7%')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.koreaCommands()).containsExactly("rollback");
        assertThat(envOf(run, 0)).containsEntry("KOREA_TO_REVISION", "3").containsEntry("KOREA_REASON", "error rate 7%")
                .containsEntry("KOREA_REQUESTED_BY", "");
        assertThat(run.log()).contains("koreaRollback: backend in production: rolled-back: rolled back to revision 3");

        PipelineHarness failing = Canned.harness("main");
        failing.korea("rollback", 21, Canned.json(Canned.result("rollback-failed", true, "no previous revision", Map.of())));
        assertThat(inNode(failing, "koreaRollback(component: 'b', environment: 'staging')").failure())
                .hasMessage("koreaRollback: rolling back b in staging: rollback-failed: no previous revision");
    }

    /** Issue 13: the build's user is who asks for a rollback or a deploy; the engine checks the environment's team. */
    @Test
    void shouldPassTheBuildsUserAsTheRequesterAndReportTheEnginesTeamRefusal() {
        PipelineHarness h = Canned.harness("main").startedBy("dave");
        h.korea("rollback", 10, Canned.json(Canned.result("refused", false, "'dave' is not in the team that may roll back b "
                + "in staging: [qa-quinn] (environments.staging.team); nothing was changed", Map.of())));
        PipelineHarness.Run refused = inNode(h, "koreaRollback(component: 'b', environment: 'staging')");

        assertThat(envOf(refused, 0)).containsEntry("KOREA_REQUESTED_BY", "dave");
        assertThat((String) refused.calls("sh").get(0).arg("script")).contains("--requested-by \"$KOREA_REQUESTED_BY\"")
                .doesNotContain("dave");
        assertThat(refused.failure()).hasMessage("koreaRollback: rolling back b in staging: refused: 'dave' is not in the team "
                + "that may roll back b in staging: [qa-quinn] (environments.staging.team); nothing was changed");

        PipelineHarness.Run promote = inNode(Canned.harness("main").startedBy("qa-quinn"),
                "koreaPromote(component: 'b', environment: 'staging', image: 'r/b:1')");
        assertThat(envOf(promote, 0)).containsEntry("KOREA_REQUESTED_BY", "qa-quinn");
        PipelineHarness.Run given = inNode(Canned.harness("main").startedBy("qa-quinn"),
                "koreaRollback(component: 'b', environment: 'staging', requestedBy: 'ops-olivia')");
        assertThat(envOf(given, 0)).as("an explicit requester wins").containsEntry("KOREA_REQUESTED_BY", "ops-olivia");
    }

    /** Issue 17: no korea plan to learn notifyVia; korea says "delegated" when korea.yaml wants the plugin. */
    @Test
    void shouldAskTheEngineAndUseThePluginOnlyWhenKoreaYamlDelegatesToItWithoutRunningAPlan() {
        PipelineHarness h = Canned.harness("develop").plugin("slack");
        h.korea("notify", call -> new PipelineHarness.KoreaResult(0, "--render-only".equals(call.env().get("KOREA_RENDER_ONLY"))
                ? Canned.notify(h, call) : Canned.json(Canned.result("passed", false, "notifications.via is jenkins",
                Map.of("status", "delegated", "event", "success", "warnings", List.of())))));
        PipelineHarness.Run run = inNode(h, "koreaNotify(event: 'success', component: 'frontend', environment: 'development', version: '1.2.3')");

        assertThat(run.koreaCommands()).containsExactly("notify", "notify");
        assertThat(envOf(run, 1)).containsEntry("KOREA_RENDER_ONLY", "--render-only").containsEntry("KOREA_EVENT", "success");
        assertThat(run.calls("slackSend")).hasSize(1);

        PipelineHarness given = Canned.harness("develop").plugin("slack");
        assertThat(inNode(given, "koreaNotify(event: 'success', component: 'frontend', via: 'jenkins')").koreaCommands())
                .as("via given: one process").containsExactly("notify");
    }

    @Test
    void shouldNeverFailTheBuildOnSlack() {
        PipelineHarness broken = Canned.harness("develop");
        broken.korea("notify", 1, null);
        PipelineHarness.Run survived = inNode(broken,
                "koreaNotify(event: 'failed', component: 'b', environment: 'staging', version: '1', via: 'engine')");
        assertThat(survived.result()).isEqualTo("SUCCESS");
        assertThat(survived.log()).containsExactly("koreaNotify: warning: failed not sent (korea notify wrote no result), the build goes on");
    }

    /** Issue 11 item 2: an absent Slack credential is one warning; korea notify does not even run. */
    @Test
    void shouldWarnOnceAndGoOnWhenTheSlackCredentialDoesNotExist() {
        PipelineHarness h = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "develop");
        PipelineHarness.Run run = inNode(h, "koreaNotify(event: 'started', component: 'b', via: 'engine')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.log()).containsExactly("koreaNotify: warning: Could not find credentials entry with ID 'slack-token'; "
                + "korea notify started skipped, the build goes on");
        assertThat(run.koreaCommands()).isEmpty();
    }

    /** Issue 11 item 5: notifications.via: jenkins without the Slack plugin is one warning, not a NoSuchMethodError. */
    @Test
    void shouldWarnOnceAndGoOnWhenTheSlackPluginIsNotInstalled() {
        PipelineHarness.Run run = inNode(Canned.harness("develop"), "koreaNotify(event: 'started', component: 'b', via: 'jenkins')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.log()).containsExactly("koreaNotify: warning: notifications.via is jenkins but the Slack plugin is not "
                + "installed; started not sent, the build goes on");
    }

    @Test
    void shouldLeaveOutTheEnvironmentOnABranchWithoutOneAndSayWhenSlackWasNotConfigured() {
        PipelineHarness h = Canned.harness("feature/x").credential("hook", "https://hooks.slack.example/s3cr3t");
        h.korea("notify", 0, Canned.json(Canned.result("passed", false, "not configured", Map.of("status", "not-configured",
                "event", "scan-failed", "warnings", List.of("slack: not configured")))));

        PipelineHarness.Run run = inNode(h, "koreaNotify(event: 'scan-failed', component: 'b', via: 'engine', "
                + "slackWebhookCredentialsId: 'hook')");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("sh").get(0).arg("script")).isEqualTo(LAUNCH + "notify ${KOREA_RESULT:+--result \"$KOREA_RESULT\"}"
                + " ${KOREA_EVENT:+--event \"$KOREA_EVENT\"} ${KOREA_COMPONENT:+--component \"$KOREA_COMPONENT\"}"
                + " ${KOREA_ENVIRONMENT:+--environment \"$KOREA_ENVIRONMENT\"} ${KOREA_VERSION:+--version \"$KOREA_VERSION\"}"
                + " ${KOREA_DIGEST:+--digest \"$KOREA_DIGEST\"} ${KOREA_APPROVER:+--approver \"$KOREA_APPROVER\"}"
                + " ${KOREA_REASON:+--reason \"$KOREA_REASON\"} $KOREA_RENDER_ONLY" + COMMON);
        assertThat(envOf(run, 0)).containsEntry("KOREA_ENVIRONMENT", "");
        assertThat(run.calls("withCredentials")).singleElement().satisfies(w -> assertThat(w.args().get(0).toString())
                .contains("variable=KOREA_SLACK_WEBHOOK_URL").doesNotContain("KOREA_SLACK_TOKEN"));
        assertThat(run.log()).containsExactly("koreaNotify: warning: scan-failed not sent (not-configured): slack: not configured, "
                + "the build goes on");
    }
}
