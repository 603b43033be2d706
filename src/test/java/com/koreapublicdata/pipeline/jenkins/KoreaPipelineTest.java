package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KoreaPipelineTest {

    /** What koreaNotify was asked to send: an event, or a result file whose outcome the engine maps to one. */
    private static List<String> notified(PipelineHarness.Run run) {
        return run.calls("koreaNotify").stream().map(c -> (c.arg("event") != null ? c.arg("event") : "result " + c.arg("result"))
                + ":" + c.arg("component")).toList();
    }

    /** The environment a korea sh call ran with (withEnv pairs and bindings as the harness saw them). */
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

    private static StepCall korea(PipelineHarness.Run run, String command, int index) {
        return run.calls("sh").stream().filter(s -> ((String) s.arg("script")).startsWith("sh \"$KOREA_LAUNCHER\" " + command + " "))
                .toList().get(index);
    }

    @Test
    void shouldBuildScanAndDeployOnlyTheChangedComponentToDevelopmentOnDevelop() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(run.koreaCommands()).as("korea promote tells Slack itself: no notify process")
                .containsExactly("plan", "build", "build", "scan", "promote");
        assertThat(run.calls("koreaBuild")).extracting(c -> c.arg("component")).containsOnly("frontend");
        assertThat(run.calls("koreaBuild")).extracting(c -> c.arg("tests")).containsExactly("only", "skip");
        assertThat(run.calls("parallel")).allSatisfy(p -> assertThat(List.copyOf(((Map<?, ?>) p.args().get(0)).keySet())).isEqualTo(List.of("frontend")));
        assertThat(run.calls("input")).isEmpty();
        assertThat(run.calls("milestone")).isEmpty();
        assertThat(run.calls("koreaPromote").get(0).named()).containsEntry("environment", "development")
                .containsEntry("approvedBy", null);
        assertThat(run.roundTrips()).isGreaterThan(20);
    }

    @Test
    void shouldDeployEveryComponentToStagingWithoutApprovalAndPublishReports() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "frontend", "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline(kubeconfigCredentialsId: 'kubeconfig')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy staging");
        assertThat(run.calls("koreaPromote")).extracting(c -> c.arg("component")).containsExactly("frontend", "backend");
        assertThat(run.calls("lock")).singleElement().satisfies(l -> assertThat(l.arg("resource")).isEqualTo("korea-staging"));
        assertThat(run.calls("junit")).isNotEmpty().allSatisfy(j -> assertThat(j.context()).anyMatch(c -> c.startsWith("node")));
        assertThat(run.calls("withCredentials")).filteredOn(w -> "koreaPromote".equals(w.var())).extracting(w -> w.args().get(0).toString())
                .as("the Slack token (optional) around the kubeconfig, per component")
                .hasSize(4).anySatisfy(b -> assertThat(b).contains("KOREA_SLACK_TOKEN", "slack-token"))
                .anySatisfy(b -> assertThat(b).contains("KUBECONFIG", "kubeconfig"));
        assertThat(notified(run)).as("korea promote sends started and success itself").isEmpty();
    }

    @Test
    void shouldAskForApprovalOutsideAnyAgentAndPromoteWithTheApproverOnMain() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("alice", "CAB-42"));
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "frontend", "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Approve production", "Deploy production");
        StepCall input = run.calls("input").get(0);
        assertThat(input.named()).containsEntry("id", "Approve-production").containsEntry("submitter", "ops-team,alice")
                .containsEntry("submitterParameter", "KOREA_APPROVER");
        assertThat((String) input.arg("message")).isEqualTo("Deploy to production: frontend 1.2.3 (sha256:abababababab), "
                + "backend 1.2.3 (sha256:abababababab)");
        assertThat(input.context()).contains("stage:Approve production", "timeout:{time=1440, unit=MINUTES}")
                .noneMatch(c -> c.startsWith("node"));
        List<String> order = run.calls().stream().map(StepCall::name)
                .filter(n -> List.of("milestone", "input", "lock", "koreaPromote").contains(n)).toList();
        assertThat(order).containsExactly("milestone", "input", "milestone", "lock", "koreaPromote", "koreaPromote");
        assertThat(run.calls("koreaPromote")).allSatisfy(p -> assertThat(p.arg("approvedBy")).isEqualTo(List.of("alice")))
                .allSatisfy(p -> assertThat(p.arg("reason")).isEqualTo("CAB-42"))
                .allSatisfy(p -> assertThat(p.context()).anyMatch(c -> c.startsWith("lock:")));
        // promote's own started message says who approved and why (issue 17): no separate approved message
        assertThat(notified(run)).containsExactly("awaiting-approval:frontend", "awaiting-approval:backend");
    }

    @Test
    void shouldStopAndReportWhoRejectedTheProductionDeployment() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.reject("bob"));
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(run.log()).contains("koreaPipeline: rejected by bob");
        assertThat(run.calls("koreaNotify")).filteredOn(c -> "failed".equals(c.arg("event")))
                .singleElement().satisfies(c -> assertThat(c.arg("reason")).isEqualTo("rejected by bob"));
        assertThat(run.calls("milestone")).hasSize(1);
    }

    @Test
    void shouldTellAnApprovalTimeoutFromARejection() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.timeOut());
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(run.calls("koreaNotify")).filteredOn(c -> "failed".equals(c.arg("event")))
                .singleElement().satisfies(c -> assertThat(c.arg("reason")).isEqualTo("approval timed out after 1440 minutes"));
    }

    @Test
    void shouldRecordAnUnknownApproverWhenTheInputPluginReturnsNone() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.decide(null, "approve", "ok"));
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("koreaPromote").get(0).arg("approvedBy")).isEqualTo(List.of("unknown"));
    }

    @Test
    void shouldStopBeforeDeployWhenTheScanGateRefuses() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("scan", 10, Canned.scan("fail"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.failure()).hasMessage("koreaScan: scanning backend: refused: the scan gate refused: 1 blocking finding (CRITICAL 1)");
        assertThat(run.stages()).doesNotContain("Deploy staging");
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(notified(run)).containsExactly("result .korea/out/scan-backend.json:backend");
        assertThat(run.calls("koreaScan")).singleElement().satisfies(c -> assertThat(c.arg("environment")).isEqualTo("staging"));
        assertThat(run.calls("junit")).anySatisfy(j -> assertThat(j.arg("testResults")).isEqualTo(".korea/out/scan-backend-junit.xml"));
    }

    @Test
    void shouldReportAFailedTestRunToSlackAndStopBeforeBuilding() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));
        h.korea("build", 1, Canned.json(Canned.result("failed", false, "frontend: test command 'npm test' failed with exit code 1",
                Map.of("component", "frontend"))));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stages()).containsExactly("Plan", "Test");
        assertThat(run.calls("koreaNotify")).as("the engine picks the event from the build's result")
                .singleElement().satisfies(n -> assertThat(n.named())
                .containsEntry("result", ".korea/out/build-frontend.json").containsEntry("version", Canned.COMMIT));
        assertThat(run.lastLine()).isEqualTo("ERROR: koreaBuild: korea build frontend: failed: "
                + "frontend: test command 'npm test' failed with exit code 1");
        assertThat(run.redSteps()).as("the failed korea build is the red step").extracting(s -> s.arg("label"))
                .containsExactly("korea build frontend", null);
        assertThat(run.stageResults()).containsEntry("Test", "FAILURE").containsEntry("branch frontend", "FAILURE");
    }

    /** Issue 11 item 1: the engine's outcome and reason are reported; Groovy never runs korea rollback. */
    @Test
    void shouldReportTheEnginesReasonAndNeverRollBackWhenPromoteFailsBeforeDeploying() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        String reason = "environments.staging.cluster: no kube context named 'staging' in the kubeconfig in $KUBECONFIG";
        h.korea("promote", 1, Canned.json(Canned.result("failed", false, reason, Map.of("component", "backend"))));

        PipelineHarness.Run run = h.run("koreaPipeline(kubeconfigCredentialsId: 'kubeconfig')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.lastLine()).isEqualTo("ERROR: koreaPromote: deploying backend to staging: failed: " + reason);
        assertThat(run.calls("koreaRollback")).isEmpty();
        assertThat(run.koreaCommands()).doesNotContain("rollback");
        assertThat(run.redSteps()).extracting(s -> s.arg("label")).contains("korea promote backend to staging");
    }

    @Test
    void shouldNameTheLockHolderAndNotRollBackWhenAnotherPromotionHoldsTheLock() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        Map<String, Object> locked = Canned.result("locked", false, "another promotion holds korea/backend", Map.of("component", "backend"));
        locked.put("holder", "jenkins demo#41");
        h.korea("promote", call -> Canned.answer(locked));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.lastLine()).isEqualTo("ERROR: koreaPromote: deploying backend to staging: locked: "
                + "another promotion holds korea/backend (lock held by jenkins demo#41)");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote");
    }

    @Test
    void shouldReportTheEnginesAutomaticRollbackAndLetTheEnginePickTheSlackEvent() {
        PipelineHarness h = Canned.harness("staging").plugin("slack");
        h.korea("plan", 0, Canned.plan("staging", false, "jenkins", false, "backend"));
        h.korea("promote", 20, Canned.promote("backend", "staging", "rolled-back"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.lastLine()).isEqualTo("ERROR: koreaPromote: deploying backend to staging: rolled-back: rollout rolled-back");
        assertThat(run.calls("koreaRollback")).isEmpty();
        assertThat(notified(run)).containsExactly("started:backend", "result .korea/out/promote-backend-staging.json:backend");
        assertThat(run.calls("slackSend")).extracting(c -> c.arg("message")).containsExactly("started backend", "rollback backend");
    }

    @Test
    void shouldSayKoreaWroteNoResultWhenThereIsNoCliAndStillNotRollBack() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("promote", 2, null);

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.lastLine()).isEqualTo("ERROR: koreaPromote: deploying backend to staging: korea wrote no result "
                + "(its output above says why)");
        assertThat(run.calls("koreaRollback")).isEmpty();
    }

    @Test
    void shouldReportABlueGreenPreviewWaitingForPromotionInsteadOfSuccess() {
        PipelineHarness h = Canned.harness("staging").credential("gitops-push", "ghp-s3cr3t").credential("prometheus-token", "prom-s3cr3t")
                .plugin("slack").answerInput(PipelineHarness.InputAnswer.timeOut()); // nobody promotes it (KoreaPipelineRolloutTest)
        h.korea("plan", 0, Canned.plan("staging", false, "jenkins", false, "frontend"));
        h.korea("promote", 0, Canned.promote("frontend", "staging", "awaiting-promotion"));

        PipelineHarness.Run run = h.run("koreaPipeline(gitCredentialsId: 'gitops-push', prometheusCredentialsId: 'prometheus-token')\n",
                "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(notified(run)).containsExactly("started:frontend", "result .korea/out/promote-frontend-staging.json:frontend");
        assertThat(run.calls("slackSend")).extracting(c -> c.arg("message")).containsExactly("started frontend",
                "awaiting-approval frontend");
        assertThat(run.calls("koreaPromote")).singleElement().satisfies(p -> assertThat(p.named())
                .containsEntry("version", "1.2.3").containsEntry("gitCredentialsId", "gitops-push")
                .containsEntry("prometheusCredentialsId", "prometheus-token"));
    }

    @Test
    void shouldNotifyAScanFailureOnABranchWithoutEnvironmentWithoutNamingOne() {
        PipelineHarness h = Canned.harness("feature/x");
        h.korea("plan", 0, Canned.plan(null, false, "engine", false, "backend"));
        h.korea("scan", 10, Canned.scan("fail"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.calls("koreaNotify")).singleElement().satisfies(n -> assertThat(n.named())
                .containsEntry("result", ".korea/out/scan-backend.json").containsEntry("environment", null));
    }

    @Test
    void shouldSendSlackThroughThePluginWithTheEnginesMessageWhenKoreaYamlSaysJenkins() {
        PipelineHarness h = Canned.harness("develop").plugin("slack");
        h.korea("plan", 0, Canned.plan("development", false, "jenkins", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("slackSend")).hasSize(2).first().satisfies(s -> assertThat(s.named())
                .containsEntry("channel", "#deployments").containsEntry("message", "started frontend")
                .containsEntry("tokenCredentialId", "slack-token").containsEntry("failOnError", false)
                .containsKey("attachments"));
        assertThat(run.calls("sh")).filteredOn(s -> ((String) s.arg("script")).contains(" notify "))
                .isNotEmpty().allSatisfy(s -> assertThat(s.inside("withCredentials")).as("engine needs no token").isFalse())
                .allSatisfy(s -> assertThat((String) s.arg("script")).endsWith("$KOREA_RENDER_ONLY --config \"$KOREA_CONFIG\" --format \"$KOREA_FORMAT\" --output \"$KOREA_OUTPUT\""));
    }

    @Test
    void shouldLetTheEngineSendSlackWithTheTokenBoundWhenKoreaYamlSaysEngine() {
        PipelineHarness h = Canned.harness("develop").plugin("slack");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.calls("slackSend")).isEmpty();
        assertThat(run.calls("koreaNotify")).as("korea promote sends them").isEmpty();
        assertThat(run.calls("withCredentials")).filteredOn(w -> "koreaPromote".equals(w.var())).first()
                .satisfies(w -> assertThat(w.args().get(0).toString()).contains("KOREA_SLACK_TOKEN", "slack-token"));
    }

    @Test
    void shouldRunComponentBranchesInAPodWhenKoreaYamlAsksAndThePluginIsInstalled() {
        PipelineHarness h = Canned.harness("develop").plugin("kubernetes");
        h.korea("plan", 0, Canned.plan("development", false, "engine", true, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("podTemplate")).isNotEmpty()
                .allSatisfy(p -> assertThat((String) p.arg("yaml")).contains("name: korea"));
        assertThat(run.calls("koreaBuild")).allSatisfy(b -> assertThat(b.context()).contains("node:korea-pod-1", "container:korea"));
    }

    @Test
    void shouldUseThePodYamlOfThePlanWithItsServiceSidecars() throws Exception {
        PipelineHarness h = Canned.harness("develop").plugin("kubernetes");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode plan = (com.fasterxml.jackson.databind.node.ObjectNode) json
                .readTree(Canned.plan("development", false, "engine", true, "frontend"));
        String podYaml = "spec:\n  containers:\n  - name: korea\n  - name: service-redis\n    image: redis:7-alpine\n";
        plan.with("pipeline").put("podYaml", podYaml);
        h.korea("plan", 0, json.writeValueAsString(plan));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("podTemplate")).isNotEmpty().allSatisfy(p -> assertThat(p.arg("yaml")).isEqualTo(podYaml));
    }

    @Test
    void shouldFallBackToNodesWhenTheKubernetesPluginIsMissing() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", true, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline(agent: 'linux')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.log()).anyMatch(l -> l.contains("Kubernetes plugin is not installed"));
        assertThat(run.calls("koreaBuild")).allSatisfy(b -> assertThat(b.context()).contains("node:linux"));
    }

    @Test
    void shouldBuildAndScanButNotDeployABranchWithoutEnvironment() {
        PipelineHarness h = Canned.harness("feature/x");
        h.korea("plan", 0, Canned.plan(null, false, "engine", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan");
        assertThat(run.calls("koreaPromote")).isEmpty();
    }

    @Test
    void shouldDoNothingAfterPlanWhenNoComponentChanged() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.stages()).containsExactly("Plan");
        assertThat(run.log()).contains("koreaPipeline: no component changed; nothing to build or deploy");
    }

    @Test
    void shouldRefuseUnknownArgumentsListingTheAllowedOnes() {
        PipelineHarness.Run run = Canned.harness("develop").run("koreaPipeline(agnet: 'linux')\n", "Jenkinsfile");

        assertThat(run.failure()).hasMessage("koreaPipeline: unknown argument(s) agnet; allowed: config, branch, base, "
                + "agent, cliUrl, cliSha256, registryCredentialsId, kubeconfigCredentialsId, gitCredentialsId, "
                + "prometheusCredentialsId, approvalKeyCredentialsId");
    }

    // ---- change control (issue 13) -------------------------------------------------------------------------------

    @Test
    void shouldAskAgainUntilAQuorumOfTwoDistinctPeopleApprovedUnderOneTimeout() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("alice", "CAB-42"))
                .answerInput(PipelineHarness.InputAnswer.approve("alice", "still CAB-42"))
                .answerInput(PipelineHarness.InputAnswer.approve("bob", "looks good"));
        h.korea("plan", 0, Canned.approvalPlan(2, false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        List<StepCall> inputs = run.calls("input");
        assertThat(inputs).hasSize(3).allSatisfy(i -> assertThat(i.context())
                .contains("timeout:{time=1440, unit=MINUTES}").noneMatch(c -> c.startsWith("node")));
        assertThat(run.calls("timeout")).hasSize(1);
        assertThat((String) inputs.get(0).arg("message")).contains("[0 of 2 approvals]");
        assertThat((String) inputs.get(1).arg("message")).contains("[1 of 2 approvals: alice]");
        assertThat((String) inputs.get(2).arg("message")).contains("[1 of 2 approvals: alice]")
                .contains("alice already approved: another person must");
        assertThat(run.log()).contains("koreaPipeline: 1 of 2 approvals: alice", "koreaPipeline: 2 of 2 approvals: alice, bob");
        assertThat(run.calls("koreaNotify")).noneMatch(c -> "approved".equals(c.arg("event")));
        // the reasons reach promote, whose started message says "approved by alice, bob: CAB-42; looks good"
        assertThat(run.calls("koreaPromote")).singleElement().satisfies(p -> assertThat(p.named())
                .as("the first alice's reason, then bob's")
                .containsEntry("approvedBy", List.of("alice", "bob")).containsEntry("reason", "CAB-42; looks good"));
        assertThat(run.calls("sh")).filteredOn(c -> ((String) c.arg("script")).contains(" promote ")).singleElement()
                .satisfies(c -> assertThat((String) c.arg("script")).contains("--approved-by \"$KOREA_APPROVED_BY_1\"")
                        .doesNotContain("bob"));
    }

    @Test
    void shouldEndAbortedWithTheReasonWhenSomeoneRejects() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.reject("bob", "migration not reviewed"));
        h.korea("plan", 0, Canned.approvalPlan(2, false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.log()).contains("koreaPipeline: rejected by bob: migration not reviewed");
        assertThat(run.calls("koreaNotify")).filteredOn(c -> "failed".equals(c.arg("event"))).singleElement()
                .satisfies(c -> assertThat(c.arg("reason")).isEqualTo("rejected by bob: migration not reviewed"));
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(run.stages()).doesNotContain("Deploy production");
    }

    @Test
    void shouldAskAgainWhenAnApproverGivesNoReason() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("alice", " "))
                .answerInput(PipelineHarness.InputAnswer.approve("alice", "CAB-42"));
        h.korea("plan", 0, Canned.approvalPlan(1, false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat((String) run.calls("input").get(1).arg("message")).contains("a reason is required (alice gave none)");
    }

    @Test
    void shouldPassTheRequesterAndReportTheEnginesSelfApprovalRefusal() {
        PipelineHarness h = Canned.harness("main").startedBy("alice").credential("approval-key", "hmac-s3cr3t-key")
                .answerInput(PipelineHarness.InputAnswer.approve("alice", "mine"));
        h.korea("plan", 0, Canned.approvalPlan(1, true, "backend"));
        h.korea("approval", 10, Canned.json(Map.of("outcome", "refused", "changed", false, "exitCode", 10,
                "message", "backend: 'alice' started this run and may not approve it; another submitter must "
                        + "(environments.production.approval.allowSelfApproval)")));

        PipelineHarness.Run run = h.run("koreaPipeline(approvalKeyCredentialsId: 'approval-key')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.failure()).hasMessageContaining("koreaPipeline: the approval record: refused: backend: 'alice' started "
                + "this run and may not approve it");
        assertThat((String) run.calls("input").get(0).arg("message")).contains("requested by alice");
        assertThat(run.calls("sh")).filteredOn(c -> ((String) c.arg("script")).contains(" approval record ")).singleElement()
                .satisfies(c -> {
                    assertThat((String) c.arg("script")).contains("--requested-by \"$KOREA_REQUESTED_BY\"")
                            .contains("--approved-by \"$KOREA_APPROVER_0\" --reason \"$KOREA_REASON_0\"");
                    assertThat(c.inside("withCredentials")).isTrue();
                });
        assertThat(run.calls("withCredentials")).filteredOn(w -> w.args().get(0).toString().contains("KOREA_APPROVAL_KEY"))
                .singleElement().satisfies(w -> assertThat(w.args().get(0).toString()).contains("approval-key"));
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(run.calls("koreaNotify")).filteredOn(c -> "failed".equals(c.arg("event"))).singleElement()
                .satisfies(c -> assertThat((String) c.arg("reason")).contains("may not approve it"));
    }

    @Test
    void shouldArchiveTheSignedApprovalRecordAndPromoteWithIt() {
        String record = "/ws/demo/.korea/approvals/production-20261201T100000Z.json";
        PipelineHarness h = Canned.harness("main").startedBy("carol").credential("approval-key", "hmac-s3cr3t-key")
                .answerInput(PipelineHarness.InputAnswer.approve("alice", "CAB-42"));
        h.korea("plan", 0, Canned.approvalPlan(1, true, "frontend", "backend"));
        // like the real korea approval record: the signed record in the state directory, its path in the result
        h.korea("approval", call -> {
            h.writeOnThisNode(".korea/approvals/production-20261201T100000Z.json", "{\"environment\":\"production\"}");
            return new PipelineHarness.KoreaResult(0, Canned.json(Map.of("outcome", "passed", "changed", false,
                    "exitCode", 0, "message", "1 approval(s) recorded: alice", "file", record)));
        });

        PipelineHarness.Run run = h.run("koreaPipeline(approvalKeyCredentialsId: 'approval-key')\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("archiveArtifacts")).extracting(a -> a.arg("artifacts"))
                .contains(".korea/out/approval.json,**/.korea/approvals/*.json");
        assertThat(run.calls("sh")).filteredOn(c -> ((String) c.arg("script")).contains(" approval record ")).singleElement()
                .satisfies(c -> assertThat((String) c.arg("script")).contains("--image \"$KOREA_IMAGE_0\" --image \"$KOREA_IMAGE_1\""));
        assertThat(run.calls("koreaPromote")).hasSize(2).allSatisfy(p -> assertThat(p.named())
                .containsEntry("approval", record).containsEntry("requestedBy", "carol"));
        assertThat(run.calls("sh")).filteredOn(c -> ((String) c.arg("script")).contains(" promote ")).hasSize(2)
                .allSatisfy(c -> assertThat((String) c.arg("script")).contains("--approval \"$KOREA_APPROVAL\""));
        List<String> order = run.calls().stream().map(StepCall::name)
                .filter(n -> List.of("milestone", "input", "unstash", "koreaPromote").contains(n)).toList();
        assertThat(order).containsSubsequence("milestone", "input", "milestone", "unstash", "koreaPromote", "koreaPromote");
        // issue 11: the record is stashed as real Jenkins stashes it, with no allowEmpty to hide a missing record
        assertThat(run.calls("stash")).filteredOn(c -> "korea-approval".equals(c.arg("name"))).singleElement()
                .satisfies(c -> assertThat(c.named()).containsEntry("includes", "**/.korea/approvals/**").doesNotContainKey("allowEmpty"));
        assertThat(run.calls("unstash")).extracting(c -> String.valueOf(c.args().get(0))).contains("korea-approval");

        PipelineHarness lost = Canned.harness("main").startedBy("carol").credential("approval-key", "hmac-s3cr3t-key")
                .answerInput(PipelineHarness.InputAnswer.approve("alice", "CAB-42"));
        lost.korea("plan", 0, Canned.approvalPlan(1, true, "backend"));
        lost.korea("approval", 0, Canned.json(Map.of("outcome", "passed", "changed", false, "exitCode", 0,
                "message", "1 approval(s) recorded: alice", "file", record)));
        PipelineHarness.Run missing = lost.run("koreaPipeline(approvalKeyCredentialsId: 'approval-key')\n", "Jenkinsfile");
        assertThat(missing.result()).as("a record korea did not write is not deployed without").isEqualTo("FAILURE");
        assertThat(missing.failure()).hasMessage("No files included in stash ‘korea-approval’");
        assertThat(missing.calls("koreaPromote")).isEmpty();
    }

    // ---- issue 11 (koreaPipeline in a real Jenkins) and issue 17 (processes) ----------------------------------------

    /** Issue 17: at most one korea process per component per stage, plus one korea plan (engine mode: no notify). */
    @Test
    void shouldRunOneKoreaProcessPerComponentPerStagePlusOnePlan() {
        PipelineHarness develop = Canned.harness("develop");
        develop.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend", "backend"));
        PipelineHarness.Run dev = develop.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(dev.result()).isEqualTo("SUCCESS");
        assertThat(dev.calls("sh")).hasSize(9);
        assertThat(dev.koreaCommands()).containsExactly("plan", "build", "build", "build", "build", "scan", "scan", "promote", "promote");

        PipelineHarness main = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("alice"));
        main.korea("plan", 0, Canned.plan("production", true, "engine", false, "frontend", "backend"));
        PipelineHarness.Run prod = main.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(prod.result()).isEqualTo("SUCCESS");
        // promote's started message carries the approvers and their reasons: Approve only says awaiting-approval
        assertThat(prod.calls("sh")).as("+ awaiting-approval per component, in Approve production").hasSize(11);
        assertThat(prod.koreaCommands()).containsExactly("plan", "build", "build", "build", "build", "scan", "scan",
                "notify", "notify", "promote", "promote");
        assertThat(prod.calls("sh")).filteredOn(c -> "Approve production".equals(c.stage())).hasSize(2);
        for (String stage : List.of("Plan", "Test", "Build", "Scan", "Deploy production")) {
            assertThat(prod.calls("sh")).filteredOn(c -> stage.equals(c.stage())).as(stage)
                    .hasSize(stage.equals("Plan") ? 1 : 2);
        }
    }

    /** Issue 11 item 2: no Slack credential: one warning per message, SUCCESS; a failure stays the real failure. */
    @Test
    void shouldWarnOncePerMessageAndSucceedWithoutTheSlackCredential() {
        PipelineHarness bare = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "main")
                .answerInput(PipelineHarness.InputAnswer.approve("alice"));
        copyStubs(bare);
        bare.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));

        PipelineHarness.Run run = bare.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.log()).filteredOn(l -> l.contains("Could not find credentials entry with ID 'slack-token'"))
                .containsExactly("koreaNotify: warning: Could not find credentials entry with ID 'slack-token'; korea notify awaiting-approval skipped, the build goes on",
                        "koreaPromote: warning: Could not find credentials entry with ID 'slack-token'; korea runs without it (no Slack message from korea), the build goes on");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan", "promote");

        PipelineHarness failing = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "staging");
        copyStubs(failing);
        failing.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        failing.korea("scan", 10, Canned.scan("fail"));
        PipelineHarness.Run refused = failing.run("koreaPipeline()\n", "Jenkinsfile");
        assertThat(refused.failure()).as("the scan's failure, not the missing credential")
                .hasMessage("koreaScan: scanning backend: refused: the scan gate refused: 1 blocking finding (CRITICAL 1)");
    }

    private static void copyStubs(PipelineHarness h) {
        h.checkout(Canned.COMMIT, Canned.PREVIOUS);
        h.korea("build", call -> new PipelineHarness.KoreaResult(0, Canned.build(call.env().get("KOREA_COMPONENT"))));
        h.korea("scan", 0, Canned.scan("pass"));
        h.korea("promote", call -> new PipelineHarness.KoreaResult(0,
                Canned.promote(call.env().get("KOREA_COMPONENT"), call.env().get("KOREA_ENVIRONMENT"), "deployed")));
        h.korea("notify", call -> new PipelineHarness.KoreaResult(0, Canned.notify(h, call)));
    }

    /** Issue 11 item 3: a scripted pipeline's GIT_* come from checkout(scm): --commit/--base reach plan, build and promote. */
    @Test
    void shouldTakeTheCommitAndTheLastSuccessfulCommitFromCheckout() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(envOf(run, korea(run, "plan", 0), "KOREA_COMMIT")).isEqualTo(Canned.COMMIT);
        assertThat(envOf(run, korea(run, "plan", 0), "KOREA_BASE")).isEqualTo(Canned.PREVIOUS);
        assertThat(envOf(run, korea(run, "build", 0), "KOREA_COMMIT")).isEqualTo(Canned.COMMIT);
        assertThat(envOf(run, korea(run, "build", 1), "KOREA_COMMIT")).isEqualTo(Canned.COMMIT);
        assertThat(envOf(run, korea(run, "promote", 0), "KOREA_COMMIT")).isEqualTo(Canned.COMMIT);
        assertThat((String) korea(run, "promote", 0).arg("script")).contains("${KOREA_COMMIT:+--commit \"$KOREA_COMMIT\"}");

        PipelineHarness declarative = Canned.harness("develop").checkout(null, null).env("GIT_COMMIT", "decl0000")
                .env("GIT_PREVIOUS_SUCCESSFUL_COMMIT", "declprev");
        declarative.korea("plan", 0, Canned.plan("development", false, "engine", false, "backend"));
        PipelineHarness.Run fromEnv = declarative.run("koreaPipeline()\n", "Jenkinsfile");
        assertThat(envOf(fromEnv, korea(fromEnv, "plan", 0), "KOREA_BASE")).isEqualTo("declprev");
        assertThat(envOf(fromEnv, korea(fromEnv, "plan", 0), "KOREA_COMMIT")).isEqualTo("decl0000");

        PipelineHarness first = Canned.harness("develop").checkout(Canned.COMMIT, null);
        first.korea("plan", 0, Canned.plan("development", false, "engine", false, "backend"));
        PipelineHarness.Run firstBuild = first.run("koreaPipeline()\n", "Jenkinsfile");
        assertThat(envOf(firstBuild, korea(firstBuild, "plan", 0), "KOREA_BASE")).as("a branch's first build: no base").isEmpty();
    }

    /** Issue 11 item 4: the scan runs for the environment, and the engine's "skipped" goes on, in the summary. */
    @Test
    void shouldPassTheEnvironmentToTheScanAndGoOnWhenTheEngineSkipsIt() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));
        String why = "no scanner installed (trivy is not on PATH); environments.development.allowMissingScanner is true";
        h.korea("scan", 0, Canned.json(Canned.result("skipped", false, why, Map.of("verdict", "pass"))));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(envOf(run, korea(run, "scan", 0), "KOREA_ENVIRONMENT")).isEqualTo("development");
        assertThat(run.log()).contains("koreaScan: frontend: scan skipped: " + why);
        assertThat(run.lastLine()).isEqualTo("koreaPipeline: summary: development\n"
                + "  frontend: test passed, build passed, scan skipped, deploy deployed");
    }

    /** Issue 11 item 5: via: jenkins without the Slack plugin: one warning per message, no NoSuchMethodError. */
    @Test
    void shouldWarnAndGoOnWhenKoreaYamlSaysJenkinsButTheSlackPluginIsMissing() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "jenkins", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.log()).filteredOn(l -> l.contains("Slack plugin is not installed")).hasSize(2);
        assertThat(run.log()).noneMatch(l -> l.contains("NoSuchMethodError"));
    }

    /** Issue 11 item 6: two components' results do not overwrite each other when archived. */
    @Test
    void shouldArchiveEachComponentsResultsUnderItsOwnName() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend", "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        List<Object> archived = run.calls("archiveArtifacts").stream().map(a -> a.arg("artifacts")).toList();
        assertThat(archived).contains(".korea/out/build-frontend.json", ".korea/out/build-backend.json",
                ".korea/out/promote-frontend-development.json", ".korea/out/promote-backend-development.json")
                .anySatisfy(a -> assertThat((String) a).startsWith(".korea/out/scan-frontend.json,"))
                .anySatisfy(a -> assertThat((String) a).startsWith(".korea/out/scan-backend.json,"));
        assertThat(h.workspace()).containsKeys(".korea/out/promote-frontend-development.json", ".korea/out/promote-backend-development.json");
    }

    /** Issue 11 item 7: superseded by a newer approved build: NOT_BUILT, one log line, no alert, no deploy. */
    @Test
    void shouldEndQuietlyWhenANewerBuildSupersedesTheWaitingOne() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.superseded("demo/main#43"));
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("NOT_BUILT");
        assertThat(run.log()).filteredOn(l -> l.contains("Superseded")).containsExactly(
                "koreaPipeline: Superseded by demo/main#43; not deploying this build", "Superseded by demo/main#43");
        assertThat(notified(run)).containsExactly("awaiting-approval:backend");
        assertThat(run.calls("koreaPromote")).isEmpty();

        PipelineHarness late = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("alice"))
                .supersededAtMilestone(2, "demo/main#44");
        late.korea("plan", 0, Canned.plan("production", true, "engine", false, "backend"));
        PipelineHarness.Run lateRun = late.run("koreaPipeline()\n", "Jenkinsfile");
        assertThat(lateRun.result()).isEqualTo("NOT_BUILT");
        assertThat(lateRun.calls("koreaPromote")).isEmpty();
        assertThat(notified(lateRun)).doesNotContain("failed:backend");
    }

    /** Issue 11 item 8: the approval heading is short; the details are in the input's parameter; "1 minute". */
    @Test
    void shouldKeepTheApprovalHeadingShortAndSayOneMinute() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.timeOut());
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, "frontend", "backend")
                .replace("\"timeoutMinutes\":1440", "\"timeoutMinutes\":1"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        StepCall input = run.calls("input").get(0);
        assertThat((String) input.arg("message")).doesNotContain("ab".repeat(32)).hasSizeLessThan(100);
        assertThat(input.arg("parameters").toString()).contains("frontend 1.2.3: registry.example/frontend@sha256:" + "ab".repeat(32),
                "backend 1.2.3: registry.example/backend@sha256:" + "ab".repeat(32), "$class=text");
        assertThat(run.log()).contains("koreaPipeline: approval timed out after 1 minute");
    }
}
