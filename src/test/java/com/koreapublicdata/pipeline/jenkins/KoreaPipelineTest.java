package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KoreaPipelineTest {

    private static List<String> notified(PipelineHarness.Run run) {
        return run.calls("koreaNotify").stream().map(c -> c.arg("event") + ":" + c.arg("component")).toList();
    }

    @Test
    void shouldBuildScanAndDeployOnlyTheChangedComponentToDevelopmentOnDevelop() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(run.koreaCommands()).containsExactly("plan", "build", "build", "scan",
                "notify", "promote", "notify");
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
        assertThat(run.calls("archiveArtifacts")).extracting(a -> a.arg("artifacts"))
                .contains(".korea/out/build.json", ".korea/out/scan*", ".korea/out/promote.json");
        assertThat(run.calls("withCredentials")).filteredOn(w -> "koreaPromote".equals(w.var()))
                .allSatisfy(w -> assertThat(w.args().get(0).toString()).contains("KUBECONFIG", "kubeconfig")
                        .as("Slack goes through koreaNotify only").doesNotContain("KOREA_SLACK_TOKEN"));
        assertThat(notified(run)).containsExactly("started:frontend", "success:frontend", "started:backend", "success:backend");
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
        assertThat((String) input.arg("message")).contains("frontend 1.2.3 (sha256:abab", "backend 1.2.3");
        assertThat(input.context()).contains("stage:Approve production", "timeout:{time=1440, unit=MINUTES}")
                .noneMatch(c -> c.startsWith("node"));
        List<String> order = run.calls().stream().map(StepCall::name)
                .filter(n -> List.of("milestone", "input", "lock", "koreaPromote").contains(n)).toList();
        assertThat(order).containsExactly("milestone", "input", "milestone", "lock", "koreaPromote", "koreaPromote");
        assertThat(run.calls("koreaPromote")).allSatisfy(p -> assertThat(p.arg("approvedBy")).isEqualTo(List.of("alice")))
                .allSatisfy(p -> assertThat(p.arg("reason")).isEqualTo("CAB-42"))
                .allSatisfy(p -> assertThat(p.context()).anyMatch(c -> c.startsWith("lock:")));
        assertThat(notified(run)).contains("awaiting-approval:frontend", "approved:backend", "success:backend");
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
        assertThat(run.failure()).hasMessageContaining("the scan gate refused: 1 blocking finding(s) for backend");
        assertThat(run.stages()).doesNotContain("Deploy staging");
        assertThat(run.calls("koreaPromote")).isEmpty();
        assertThat(notified(run)).containsExactly("scan-failed:backend");
        assertThat(run.calls("junit")).anySatisfy(j -> assertThat(j.arg("testResults")).isEqualTo(".korea/out/scan-junit.xml"));
    }

    @Test
    void shouldReportAFailedTestRunToSlackAndStopBeforeBuilding() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, Canned.plan("development", false, "engine", false, "frontend"));
        h.korea("build", 1, "{\"message\": \"frontend: test command 'npm test' failed with exit code 1\"}");

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stages()).containsExactly("Plan", "Test");
        assertThat(run.calls("koreaNotify")).singleElement().satisfies(n -> assertThat(n.named())
                .containsEntry("event", "failed").containsEntry("version", "0bbf6a4234f33ac57e7e36ea3d412ad2ddd4e795")
                .containsEntry("reason", "koreaBuild: korea build failed for frontend (exit 1): "
                        + "frontend: test command 'npm test' failed with exit code 1"));
    }

    @Test
    void shouldRollBackWhenARolloutFailsWithoutAnAutomaticRollback() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("promote", 1, null);

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls("koreaRollback")).singleElement().satisfies(r -> assertThat((String) r.arg("reason"))
                .startsWith("promotion failed: koreaPromote: deploying backend to staging failed (exit 1)"));
        assertThat(notified(run)).containsExactly("started:backend", "rollback:backend");
    }

    @Test
    void shouldReportTheEnginesAutomaticRollbackWithoutRollingBackAgain() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("promote", 20, Canned.promote("backend", "staging", "rolled-back"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).hasMessageContaining("failed and was rolled back: rollout rolled-back");
        assertThat(run.calls("koreaRollback")).isEmpty();
        assertThat(notified(run)).containsExactly("started:backend", "rollback:backend");
    }

    @Test
    void shouldNotRollBackWhenTheEngineLeftAFailedRolloutAsKoreaYamlAsks() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("promote", 1, Canned.promote("backend", "staging", "failed"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls("koreaRollback")).as("rollback.automatic: false").isEmpty();
        assertThat(notified(run)).containsExactly("started:backend", "failed:backend");
    }

    @Test
    void shouldNotRollBackWhenPromoteStoppedBeforeDeploying() {
        PipelineHarness h = Canned.harness("staging");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "backend"));
        h.korea("promote", 2, null);

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.failure()).hasMessageContaining("stopped before deploying");
        assertThat(run.calls("koreaRollback")).isEmpty();
        assertThat(notified(run)).containsExactly("started:backend", "failed:backend");
    }

    @Test
    void shouldReportABlueGreenPreviewWaitingForPromotionInsteadOfSuccess() {
        PipelineHarness h = Canned.harness("staging").credential("gitops-push", "ghp-s3cr3t").credential("prometheus-token", "prom-s3cr3t");
        h.korea("plan", 0, Canned.plan("staging", false, "engine", false, "frontend"));
        h.korea("promote", 0, Canned.promote("frontend", "staging", "awaiting-promotion"));

        PipelineHarness.Run run = h.run("koreaPipeline(gitCredentialsId: 'gitops-push', prometheusCredentialsId: 'prometheus-token')\n",
                "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(notified(run)).containsExactly("started:frontend", "awaiting-approval:frontend");
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
                .containsEntry("event", "scan-failed").containsEntry("environment", null));
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
        assertThat(run.calls("withCredentials")).filteredOn(w -> "koreaNotify".equals(w.var())).isNotEmpty()
                .allSatisfy(w -> assertThat(w.args().get(0).toString()).contains("KOREA_SLACK_TOKEN", "slack-token"));
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
        assertThat(run.calls("koreaPromote")).singleElement().satisfies(p -> assertThat(p.named())
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
        assertThat(run.failure()).hasMessageContaining("koreaPipeline: the approval was refused: backend: 'alice' started "
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
        h.korea("approval", 0, Canned.json(Map.of("outcome", "passed", "changed", false, "exitCode", 0,
                "message", "1 approval(s) recorded: alice", "file", record)));

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
    }
}
