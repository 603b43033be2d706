package com.koreapublicdata.pipeline.jenkins;

import groovy.json.JsonOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canned korea results with the field names of the real {@code --format json} output (RealKoreaStepsTest runs the
 * real CLI through the same steps; the shapes here were copied from runs of {@code bin/korea build|scan|promote|
 * rollback|notify ... --format json} on examples/monorepo and src/test/resources/.../scan fixtures).
 */
final class Canned {
    private Canned() {
    }

    static Path libraryRoot() {
        return Path.of(System.getProperty("korea.project.dir", "."));
    }

    /** A harness with a korea CLI that builds, scans, promotes and notifies successfully. */
    static PipelineHarness harness(String branch) {
        PipelineHarness h = new PipelineHarness(libraryRoot())
                .env("BRANCH_NAME", branch)
                .env("GIT_COMMIT", "0bbf6a4234f33ac57e7e36ea3d412ad2ddd4e795")
                .credential("slack-token", "xoxb-s3cr3t-slack-token-value")
                .credential("kubeconfig", "kubeconfig-s3cr3t-content");
        h.korea("build", call -> new PipelineHarness.KoreaResult(0, build(call.env().get("KOREA_COMPONENT"))));
        h.korea("scan", 0, scan("pass"));
        h.korea("promote", call -> new PipelineHarness.KoreaResult(0,
                promote(call.env().get("KOREA_COMPONENT"), call.env().get("KOREA_ENVIRONMENT"), "deployed")));
        h.korea("rollback", call -> new PipelineHarness.KoreaResult(0, json(Map.of("environment",
                call.env().get("KOREA_ENVIRONMENT"), "component", call.env().get("KOREA_COMPONENT"),
                "fromRevision", "4", "toRevision", "3", "image", "registry.example/x@sha256:" + "ab".repeat(32),
                "durationSeconds", 12.5, "outcome", "rolled-back", "message", "rolled back to revision 3"))));
        h.korea("notify", call -> new PipelineHarness.KoreaResult(0,
                "--render-only".equals(call.env().get("KOREA_RENDER_ONLY")) ? json(Map.of("channel", "#deployments",
                        "text", call.env().get("KOREA_EVENT") + " " + call.env().get("KOREA_COMPONENT"),
                        "color", "#2EB67D", "blocks", List.of(), "attachments", List.of(Map.of("color", "#2EB67D",
                                "fallback", "details")))) : json(Map.of("status", "sent", "event", call.env().get("KOREA_EVENT"),
                        "channel", "#deployments", "attempts", 1, "message", "sent", "warnings", List.of()))));
        return h;
    }

    /** A production plan whose approval needs {@code quorum} people and, when {@code signed}, a signed record. */
    @SuppressWarnings("unchecked")
    static String approvalPlan(int quorum, boolean signed, String... components) {
        Map<String, Object> plan = (Map<String, Object>) new groovy.json.JsonSlurper().parseText(
                plan("production", true, "engine", false, components));
        Map<String, Object> approval = new LinkedHashMap<>((Map<String, Object>) plan.get("approval"));
        approval.put("quorum", quorum);
        approval.put("allowSelfApproval", false);
        approval.put("signingKeyRequired", signed);
        plan.put("approval", approval);
        return json(plan);
    }

    static String plan(String environment, boolean approval, String notifyVia, boolean kubernetes, String... components) {
        List<Object> list = new ArrayList<>();
        for (String name : components) {
            list.add(Map.of("name", name, "kind", "node", "strategy", "rolling", "target", "kubernetes",
                    "namespace", "korea", "workload", name, "changes", List.of()));
        }
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("agent", null);
        pipeline.put("kubernetesAgent", kubernetes);
        pipeline.put("podTemplate", "com/koreapublicdata/pipeline/pod.yaml");
        pipeline.put("notifyVia", notifyVia);
        pipeline.put("slackCredentialsId", "slack-token");
        pipeline.put("notificationsEnabled", true);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("environment", environment);
        plan.put("branch", "b");
        plan.put("commit", "0bbf6a4");
        plan.put("components", list);
        plan.put("approval", Map.of("required", approval, "submitters", approval ? List.of("ops-team", "alice") : List.of(),
                "usersOnly", false, "timeoutMinutes", 1440));
        plan.put("stages", environment == null ? List.of("test", "build", "scan")
                : approval ? List.of("test", "build", "scan", "approve", "deploy") : List.of("test", "build", "scan", "deploy"));
        plan.put("reason", "canned plan");
        plan.put("pipeline", pipeline);
        return json(plan);
    }

    /** An image-only build that pushed (as with a registry in korea.yaml): no JUnit files collected. */
    static String build(String component) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("component", component);
        b.put("outcome", "passed");
        b.put("image", "registry.example/" + component);
        b.put("tags", List.of("1.2.3", "develop-latest"));
        b.put("digest", "sha256:" + "ab".repeat(32));
        b.put("reference", "registry.example/" + component + "@sha256:" + "ab".repeat(32));
        b.put("builder", "jib");
        b.put("tarball", null);
        b.put("pushed", true);
        b.put("tests", Map.of("commands", List.of(), "junitDir", "/ws/demo/.korea/reports/" + component,
                "junitFiles", List.of()));
        b.put("audits", List.of());
        b.put("failedStage", null);
        b.put("failedCommand", null);
        b.put("message", component + ": built");
        b.put("durationSeconds", 30.0);
        return json(b);
    }

    static String scan(String verdict) {
        Map<String, Object> counts = Map.of("CRITICAL", verdict.equals("fail") ? 1 : 0, "HIGH", 0, "MEDIUM", 2,
                "LOW", 3, "UNKNOWN", 0);
        return json(Map.of("verdict", verdict, "counts", Map.of("vulnerabilities", counts),
                "blocking", verdict.equals("fail") ? List.of(Map.of("id", "CVE-2024-0001")) : List.of(),
                "blockingTotal", verdict.equals("fail") ? 1 : 0, "suppressed", List.of(), "suppressedTotal", 0,
                "digest", "sha256:" + "ab".repeat(32)));
    }

    static String promote(String component, String environment, String outcome) {
        return json(Map.of("environment", environment, "component", component, "image", "registry.example/x",
                "digest", "sha256:" + "ab".repeat(32), "strategy", "rolling", "durationSeconds", 60.0,
                "outcome", outcome, "message", "rollout " + outcome, "revision", "5"));
    }

    static String json(Object value) {
        return JsonOutput.toJson(value);
    }
}
