package com.koreapublicdata.pipeline.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * One flow policy: the same checkout of examples/monorepo on develop, with no Trivy on PATH, gives the same stage
 * outcomes under {@code korea run} and under koreaPipeline with the real CLI, because both follow the policy korea
 * plan computes (scan may be skipped when no scanner is installed there; no approval; deploy through GitOps). Both
 * paths record the commit time, so korea kpi shows lead time and the deployment frequency.
 */
class FlowPolicyTest {
    private static final Path ROOT = Canned.libraryRoot().toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shouldGiveTheSameStageOutcomesUnderKoreaRunAndKoreaPipeline() throws Exception {
        Path ws = copyExample(tmp.resolve("run"));
        String previous = commit(ws, "the last successful build");
        Files.writeString(ws.resolve("be/requirements.txt"), Files.readString(ws.resolve("be/requirements.txt")) + "\n");
        String head = commit(ws, "a backend change");
        Path pipelineWs = copy(ws, tmp.resolve("pipeline")); // the same checkout, .git included
        Map<String, String> env = environmentWithoutTrivy();

        JsonNode plan = korea(ws, env, 0, "plan", "--branch", "develop", "--base", previous, "--format", "json");
        assertThat(plan.path("policy").path("scan").path("policy").asText()).isEqualTo("may-skip-when-no-scanner");
        assertThat(plan.path("policy").path("scan").path("tools").toString()).isEqualTo("[\"trivy\"]");
        assertThat(plan.path("policy").path("approval").asText()).isEqualTo("none");
        assertThat(plan.path("policy").path("deploy").asText()).isEqualTo("gitops");

        JsonNode run = korea(ws, env, 0, "run", "--branch", "develop", "--base", previous, "--format", "json");
        assertThat(run.path("outcome").asText()).isEqualTo("deployed");
        assertThat(run.path("components")).hasSize(1);
        JsonNode backend = run.path("components").get(0);
        assertThat(backend.path("component").asText()).isEqualTo("backend");
        Map<String, String> runStages = new LinkedHashMap<>();
        backend.path("stages").forEach(s -> runStages.put(s.path("stage").asText(), s.path("status").asText()));
        assertThat(runStages).containsExactly(Map.entry("test", "PASSED"), Map.entry("build", "PASSED"),
                Map.entry("scan", "SKIPPED"), Map.entry("deploy", "PASSED"));

        PipelineHarness h = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "develop").checkout(head, previous)
                .credential("gitops-push", "git-s3cr3t-token-value").realKorea(pipelineWs, launcher());
        PipelineHarness.Run pipeline = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(pipeline.failure()).isNull();
        assertThat(pipeline.result()).isEqualTo("SUCCESS");
        // the same stages, the same outcomes: a deploy stage that passed is the promote outcome deployed
        assertThat(pipeline.lastLine()).isEqualTo("koreaPipeline: summary: development\n"
                + "  backend: test passed, build passed, scan skipped, deploy deployed");

        // both paths recorded the commit's time: lead time has data, and the deployment counts per environment
        for (Path checkout : new Path[] {ws, pipelineWs}) {
            JsonNode kpi = korea(checkout, env, 0, "kpi", "--format", "json");
            JsonNode lead = kpiNamed(kpi, "lead-time");
            assertThat(lead.path("status").asText()).as(checkout.toString()).isNotEqualTo("no-data");
            assertThat(lead.path("value").isNumber()).isTrue();
            assertThat(kpiNamed(kpi, "deployment-frequency").path("status").asText()).isNotEqualTo("no-data");
            assertThat(kpi.path("frequency").get(0).path("environment").asText()).isEqualTo("development");
            assertThat(kpi.path("frequency").get(0).path("deployments").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode kpiNamed(JsonNode report, String name) {
        for (JsonNode k : report.path("kpis")) {
            if (k.path("name").asText().equals(name)) {
                return k;
            }
        }
        throw new AssertionError("no KPI " + name + " in " + report);
    }

    private JsonNode korea(Path dir, Map<String, String> env, int expected, String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.systemUTC(), false), args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(expected);
        return JSON.readTree(out.toString());
    }

    /** This machine's environment with every PATH entry that holds a trivy left out, and no Slack or KOREA_ settings. */
    private Map<String, String> environmentWithoutTrivy() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("KOREA_") || k.equals("BUILD_URL"));
        env.put("PATH", Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .filter(d -> !Files.isExecutable(Path.of(d, "trivy"))).collect(Collectors.joining(File.pathSeparator)));
        env.put("HOME", tmp.toString());
        return env;
    }

    private Path launcher() throws IOException {
        Path cli = tmp.resolve("korea");
        Files.writeString(cli, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
                + "' com.koreapublicdata.pipeline.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        return cli;
    }

    private static Path copyExample(Path ws) throws IOException {
        Path example = ROOT.resolve("examples/monorepo");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = example.relativize(f).toString();
                if (!rel.contains("node_modules") && !rel.startsWith(".korea") && !rel.contains("__pycache__")) {
                    Files.createDirectories(ws.resolve(rel).getParent());
                    Files.copy(f, ws.resolve(rel));
                }
            }
        }
        return ws;
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        return to;
    }

    private static String commit(Path ws, String message) throws Exception {
        try (org.eclipse.jgit.api.Git git = Files.isDirectory(ws.resolve(".git")) ? org.eclipse.jgit.api.Git.open(ws.toFile())
                : org.eclipse.jgit.api.Git.init().setDirectory(ws.toFile()).setInitialBranch("develop").call()) {
            git.add().addFilepattern(".").call();
            return git.commit().setMessage(message).setAuthor("ci", "ci@example.org").setCommitter("ci", "ci@example.org")
                    .setSign(false).call().getName();
        }
    }
}
