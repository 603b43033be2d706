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
 * rollback|notify ... --format json} on examples/monorepo and src/test/resources/.../scan fixtures), plus the fields
 * the shared contract puts in every result: {@code outcome}, {@code changed}, {@code exitCode}, {@code message}
 * (the harness checks them; {@link #EXIT_CODES} is the contract's outcome to exit code table).
 */
final class Canned {
    private Canned() {
    }

    /** The shared contract's Outcome values and their exit codes. */
    static final Map<String, Integer> EXIT_CODES = Map.ofEntries(Map.entry("deployed", 0),
            Map.entry("awaiting-promotion", 0), Map.entry("aborted", 0), Map.entry("passed", 0), Map.entry("skipped", 0),
            Map.entry("refused", 10), Map.entry("locked", 11), Map.entry("invalid-input", 2), Map.entry("failed", 1),
            Map.entry("unknown", 1), Map.entry("rolled-back", 20), Map.entry("rollback-failed", 21));

    /** A contract result: outcome, changed, exitCode (from the outcome), message, then the command's own fields. */
    static Map<String, Object> result(String outcome, boolean changed, String message, Map<String, ?> fields) {
        Map<String, Object> r = new LinkedHashMap<>(fields);
        r.put("outcome", outcome);
        r.put("changed", changed);
        r.put("exitCode", EXIT_CODES.get(outcome));
        r.put("message", message);
        return r;
    }

    /** The stub answer for a contract result: exits with the result's exit code after writing it. */
    static PipelineHarness.KoreaResult answer(Map<String, Object> result) {
        return new PipelineHarness.KoreaResult((Integer) result.get("exitCode"), json(result));
    }

    static Path libraryRoot() {
        return Path.of(System.getProperty("korea.project.dir", "."));
    }

    /** A harness with a korea CLI that builds, scans, promotes and notifies successfully. */
    static PipelineHarness harness(String branch) {
        // A scripted Multibranch pipeline: BRANCH_NAME in env, the GIT_* values only in checkout(scm)'s return.
        PipelineHarness h = new PipelineHarness(libraryRoot())
                .env("BRANCH_NAME", branch)
                .checkout(COMMIT, PREVIOUS)
                .credential("slack-token", "xoxb-s3cr3t-slack-token-value")
                .credential("kubeconfig", "kubeconfig-s3cr3t-content");
        h.korea("build", call -> new PipelineHarness.KoreaResult(0, build(call.env().get("KOREA_COMPONENT"))));
        h.korea("scan", 0, scan("pass"));
        h.korea("promote", call -> new PipelineHarness.KoreaResult(0,
                promote(call.env().get("KOREA_COMPONENT"), call.env().get("KOREA_ENVIRONMENT"), "deployed")));
        h.korea("rollback", call -> answer(result("rolled-back", true, "rolled back to revision 3", Map.of("environment",
                call.env().get("KOREA_ENVIRONMENT"), "component", call.env().get("KOREA_COMPONENT"),
                "fromRevision", "4", "toRevision", "3", "image", "registry.example/x@sha256:" + "ab".repeat(32),
                "durationSeconds", 12.5))));
        h.korea("notify", call -> new PipelineHarness.KoreaResult(0, notify(h, call)));
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

    static final String COMMIT = "0bbf6a4234f33ac57e7e36ea3d412ad2ddd4e795";
    static final String PREVIOUS = "9c1e5a7b3d2f4e6a8b0c1d2e3f4a5b6c7d8e9f00";

    /**
     * korea notify: sent (or, with --render-only, the message for slackSend). With --result the event is the one
     * the engine picks from the result's outcome (the contract's single outcome-to-event place, modelled here).
     */
    static String notify(PipelineHarness h, ShCall call) {
        String event = call.env().get("KOREA_EVENT");
        if (event == null || event.isEmpty()) {
            String file = h.fileOnThisNode(call.env().get("KOREA_RESULT"));
            if (file == null) {
                throw new AssertionError("korea notify --result " + call.env().get("KOREA_RESULT") + ": no such file on this node");
            }
            Object outcome = ((Map<?, ?>) new groovy.json.JsonSlurperClassic().parseText(file)).get("outcome");
            event = Map.of("deployed", "success", "awaiting-promotion", "awaiting-approval", "rolled-back", "rollback",
                    "passed", "success").getOrDefault(String.valueOf(outcome), "failed");
        }
        String text = event + " " + call.env().get("KOREA_COMPONENT");
        if ("--render-only".equals(call.env().get("KOREA_RENDER_ONLY"))) {
            return json(Map.of("channel", event.equals("failed") ? "#alerts" : "#deployments", "text", text,
                    "color", "#2EB67D", "blocks", List.of(), "attachments", List.of(Map.of("color", "#2EB67D",
                            "fallback", "details"))));
        }
        return json(result("passed", false, "sent", Map.of("status", "sent", "event", event, "channel", "#deployments",
                "attempts", 1, "warnings", List.of())));
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
        return json(result("passed", false, "canned plan", plan));
    }

    /** An image-only build that pushed (as with a registry in korea.yaml): no JUnit files collected. */
    static String build(String component) {
        Map<String, Object> b = result("passed", true, component + ": built", Map.of());
        b.put("component", component);
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
        b.put("durationSeconds", 30.0);
        return json(b);
    }

    static String scan(String verdict) {
        Map<String, Object> counts = Map.of("CRITICAL", verdict.equals("fail") ? 1 : 0, "HIGH", 0, "MEDIUM", 2,
                "LOW", 3, "UNKNOWN", 0);
        boolean fail = verdict.equals("fail");
        return json(result(fail ? "refused" : "passed", false, fail ? "the scan gate refused: 1 blocking finding (CRITICAL 1)"
                : "no blocking findings", Map.of("verdict", verdict, "counts", Map.of("vulnerabilities", counts),
                "blocking", fail ? List.of(Map.of("id", "CVE-2024-0001")) : List.of(),
                "blockingTotal", fail ? 1 : 0, "suppressed", List.of(), "suppressedTotal", 0,
                "digest", "sha256:" + "ab".repeat(32))));
    }

    /** A promote result; changed follows the outcome (a refusal or a lock wait changes nothing). */
    static String promote(String component, String environment, String outcome) {
        boolean changed = !List.of("refused", "locked", "invalid-input").contains(outcome);
        return json(result(outcome, changed, "rollout " + outcome, Map.of("environment", environment, "component", component,
                "image", "registry.example/x", "digest", "sha256:" + "ab".repeat(32), "strategy", "rolling",
                "durationSeconds", 60.0, "revision", "5")));
    }

    static String json(Object value) {
        return JsonOutput.toJson(value);
    }
}
