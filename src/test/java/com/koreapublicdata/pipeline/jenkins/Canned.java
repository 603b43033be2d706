package com.koreapublicdata.pipeline.jenkins;

import groovy.json.JsonOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Canned korea results, shaped as docs/architecture.md's command contract describes them. */
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
                "fromRevision", 4, "toRevision", 3, "outcome", "rolled-back"))));
        h.korea("notify", call -> new PipelineHarness.KoreaResult(0,
                "--render-only".equals(call.env().get("KOREA_RENDER_ONLY")) ? json(Map.of("channel", "#deployments",
                        "text", call.env().get("KOREA_EVENT") + " " + call.env().get("KOREA_COMPONENT"),
                        "attachments", List.of(Map.of("color", "good", "text", "details")))) : json(Map.of("sent", true))));
        return h;
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

    static String build(String component) {
        return json(Map.of("component", component, "image", "registry.example/" + component,
                "tags", List.of("1.2.3"), "digest", "sha256:" + "ab".repeat(32),
                "reference", "registry.example/" + component + "@sha256:" + "ab".repeat(32), "builder", "jib",
                "tests", Map.of("passed", 12, "failed", 0), "audits", List.of(), "durationSeconds", 30,
                "outcome", "built"));
    }

    static String scan(String verdict) {
        Map<String, Object> counts = Map.of("CRITICAL", verdict.equals("fail") ? 1 : 0, "HIGH", 0, "MEDIUM", 2,
                "LOW", 3, "UNKNOWN", 0);
        return json(Map.of("verdict", verdict, "counts", Map.of("vulnerabilities", counts),
                "blocking", verdict.equals("fail") ? List.of(Map.of("id", "CVE-2024-0001")) : List.of(),
                "suppressed", List.of()));
    }

    static String promote(String component, String environment, String outcome) {
        return json(Map.of("environment", environment, "component", component, "image", "registry.example/x",
                "digest", "sha256:" + "ab".repeat(32), "strategy", "rolling", "durationSeconds", 60,
                "outcome", outcome, "message", "rollout " + outcome));
    }

    static String json(Object value) {
        return JsonOutput.toJson(value);
    }
}
