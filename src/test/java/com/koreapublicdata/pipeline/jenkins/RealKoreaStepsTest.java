package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps against the real korea CLI, offline: each step's {@code sh} script runs as Jenkins would run it
 * (/bin/sh, the launcher the step wrote, the KOREA_* environment the step set with withEnv and withCredentials) on a
 * copy of examples/monorepo, and the step reads back what the real command wrote. This proves the option names, the
 * environment variables and the JSON fields the steps rely on are the CLI's own. Promote runs against the example's
 * development environment, which deploys through a local GitOps repository (no cluster needed).
 */
class RealKoreaStepsTest {
    private static final Path ROOT = Canned.libraryRoot().toAbsolutePath();
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final Path FIXTURES = ROOT.resolve("src/test/resources/com/koreapublicdata/pipeline");

    @TempDir
    Path tmp;
    private Path ws;
    private Path cli;

    @BeforeEach
    void workspace() throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        Path example = ROOT.resolve("examples/monorepo");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = example.relativize(f).toString();
                if (!rel.contains("node_modules") && !rel.startsWith(".korea")) {
                    Files.createDirectories(ws.resolve(rel).getParent());
                    Files.copy(f, ws.resolve(rel));
                }
            }
        }
        // The CLI from this build's classes (target/korea.jar does not exist yet while `mvn package` runs tests).
        cli = tmp.resolve("korea");
        String bench = System.getProperty("korea.bench.cli"); // bench/pipeline-benchmark.sh: the built jar, bin/korea
        Files.writeString(cli, bench != null ? "#!/bin/sh\nexec '" + bench + "' \"$@\"\n" : "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                + System.getProperty("java.class.path") + "' com.koreapublicdata.pipeline.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private PipelineHarness harness(String branch) {
        return new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", branch).env("GIT_COMMIT", COMMIT)
                .credential("slack-token", "xoxb-s3cr3t-slack-token-value")
                .credential("gitops-push", "git-s3cr3t-token-value")
                .realKorea(ws, cli);
    }

    private static PipelineHarness.Run inNode(PipelineHarness h, String steps) {
        return h.run("node {\n" + steps + "\n}\n", "Jenkinsfile");
    }

    /** Every real run parsed its options: picocli's usage error ends with this hint. */
    private static void assertOptionsAccepted(PipelineHarness h) {
        assertThat(h.realRuns()).isNotEmpty().allSatisfy(r -> assertThat(r.stderr())
                .as("korea " + r.command()).doesNotContain("for the options.", "Unknown option", "Missing required"));
    }

    /**
     * koreaPipeline on develop, every korea command real: the plan diffs against the previous successful commit (only
     * fe/ changed), Test and Build run korea build (npm test; jib, offline), Scan runs korea scan --input on the
     * tarball the build reported, Deploy promotes to development (a local GitOps repository), and Slack messages
     * are rendered by korea notify --render-only for slackSend. The one stand-in is trivy (not installed here): a
     * script on PATH that writes a clean Trivy report where korea asks for it.
     */
    @Test
    void shouldRunTheWholePipelineOnDevelopWithTheRealCli() throws Exception {
        Files.writeString(ws.resolve("korea.yaml"), Files.readString(ws.resolve("korea.yaml")) + "  via: jenkins\n");
        String previous = commit("the last successful build");
        Files.writeString(ws.resolve("fe/src/greeting.js"), Files.readString(ws.resolve("fe/src/greeting.js")) + "\n");
        String head = commit("a frontend change");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path trivy = bin.resolve("trivy");
        Files.writeString(trivy, """
                #!/bin/sh
                [ "$1" = --version ] && { echo 'Version: 0.58.1'; exit 0; }
                while [ $# -gt 0 ]; do [ "$1" = --output ] && cp '%s' "$2"; shift; done
                """.formatted(FIXTURES.resolve("jenkins/trivy-clean.json")));
        Files.setPosixFilePermissions(trivy, PosixFilePermissions.fromString("rwxr-xr-x"));
        PipelineHarness h = harness("develop").plugin("slack").env("GIT_COMMIT", head)
                .env("GIT_PREVIOUS_SUCCESSFUL_COMMIT", previous).env("PATH", bin + ":" + System.getenv("PATH"));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertOptionsAccepted(h);
        assertThat(run.failure()).isNull();
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command)
                .containsExactly("plan", "build", "build", "scan", "notify", "promote", "notify");
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.command() + ": " + r.stderr()).isZero());
        benchmarkLog(h);
        assertThat(json(h, ".korea/out/plan.json").get("reason").toString()).contains("1 component(s) affected by the changed files");
        assertThat(run.calls("koreaBuild")).extracting(c -> c.arg("component")).containsOnly("frontend");
        assertThat(run.calls("junit")).extracting(j -> j.arg("testResults"))
                .as("the Test stage's reports once, the scan's JUnit once")
                .containsExactly(".korea/reports/frontend/*.xml", ".korea/out/scan-junit.xml");
        Map<String, Object> build = json(h, ".korea/out/build.json");
        assertThat(build.get("tags")).isEqualTo(List.of(head.substring(0, 7), "develop-latest"));
        assertThat(build).containsEntry("pushed", false);
        Map<String, Object> scan = json(h, ".korea/out/scan.json");
        assertThat(scan).containsEntry("verdict", "pass").containsEntry("digest", build.get("digest"));
        assertThat(ws.resolve(".korea/scans/" + ((String) build.get("digest")).substring(7) + ".json")).exists();
        assertThat(json(h, ".korea/out/promote.json")).containsEntry("outcome", "deployed")
                .containsEntry("digest", build.get("digest")).containsEntry("strategy", "gitops");
        assertThat(run.calls("slackSend")).extracting(s -> s.arg("channel")).containsExactly("#deployments", "#deployments");
        assertThat(run.calls("slackSend")).allSatisfy(s -> assertThat((String) s.arg("message"))
                .contains("development", "frontend", head.substring(0, 7)));
    }

    /** For bench/pipeline-benchmark.sh: each korea run of the develop pipeline, in order, with its wall time. */
    private static void benchmarkLog(PipelineHarness h) throws IOException {
        String out = System.getProperty("korea.bench.out");
        if (out != null) {
            StringBuilder lines = new StringBuilder();
            for (PipelineHarness.RealRun r : h.realRuns()) {
                lines.append(r.command()).append('\t').append(r.exit()).append('\t').append(r.millis()).append('\t')
                        .append(r.script().replace('\n', ' ')).append('\n');
            }
            Files.writeString(Path.of(out), lines);
        }
    }

    private String commit(String message) throws Exception {
        try (org.eclipse.jgit.api.Git git = Files.isDirectory(ws.resolve(".git")) ? org.eclipse.jgit.api.Git.open(ws.toFile())
                : org.eclipse.jgit.api.Git.init().setDirectory(ws.toFile()).setInitialBranch("develop").call()) {
            git.add().addFilepattern(".").call();
            return git.commit().setMessage(message).setAuthor("ci", "ci@example.org").setCommitter("ci", "ci@example.org")
                    .setSign(false).call().getName();
        }
    }

    @Test
    void shouldRunTheScannerOnceForEveryRenderingAndClearRenderingsNotAskedFor() {
        PipelineHarness h = harness("develop");
        String failing = FIXTURES.resolve("scan/trivy-0.58-image.json").toString();

        PipelineHarness.Run refused = inNode(h, "koreaScan(component: 'backend', report: '" + failing + "')");

        assertOptionsAccepted(h);
        assertThat(refused.failure()).hasMessage("koreaScan: the scan gate refused: 10 blocking finding(s) for backend");
        assertThat(h.realRuns()).singleElement().satisfies(r -> assertThat(r.exit()).isEqualTo(10));
        for (String file : List.of("scan.json", "scan-junit.xml", "scan.sarif", "scan.html")) {
            assertThat(ws.resolve(".korea/out/" + file)).isNotEmptyFile();
        }
        assertThat(ws.resolve(".korea/out/scan-junit.xml")).content().contains("<testsuite");
        assertThat(refused.calls("junit")).singleElement().satisfies(j -> assertThat(j.arg("testResults"))
                .isEqualTo(".korea/out/scan-junit.xml"));

        PipelineHarness again = harness("develop");
        String clean = FIXTURES.resolve("jenkins/trivy-clean.json").toString();
        PipelineHarness.Run passed = inNode(again, "koreaScan(report: '" + clean + "', formats: ['sarif'])");

        assertThat(passed.failure()).isNull();
        assertThat(ws.resolve(".korea/out/scan.sarif")).isNotEmptyFile();
        assertThat(ws.resolve(".korea/out/scan-junit.xml")).as("stale rendering of the earlier scan").doesNotExist();
        assertThat(ws.resolve(".korea/out/scan.html")).doesNotExist();
    }

    @Test
    void shouldRenderTheSlackMessageWithTheRealCliWhereKoreaYamlSaysJenkins() throws IOException {
        Files.writeString(ws.resolve("korea.yaml"), Files.readString(ws.resolve("korea.yaml")) + "  via: jenkins\n");
        PipelineHarness h = harness("feature/login").plugin("slack");

        PipelineHarness.Run run = inNode(h, "koreaNotify(event: 'scan-failed', component: 'frontend', version: '0123456', "
                + "reason: '2 CRITICAL findings')");

        assertOptionsAccepted(h);
        assertThat(run.failure()).isNull();
        assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command).containsExactly("plan", "notify");
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.stderr()).isZero());
        assertThat(run.calls("slackSend")).singleElement().satisfies(s -> {
            assertThat(s.named()).containsEntry("channel", "#alerts").containsEntry("tokenCredentialId", "slack-token")
                    .containsKey("attachments");
            assertThat((String) s.arg("message")).contains("frontend", "0123456");
        });
        assertThat(run.calls("withCredentials")).as("the plugin sends: korea needs no token").isEmpty();
    }

    @Test
    void shouldPassRollbackOptionsTheRealCliAcceptsAndReportItsRefusal() {
        PipelineHarness h = harness("develop");

        PipelineHarness.Run run = inNode(h, "koreaRollback(component: 'frontend', environment: 'development', "
                + "toRevision: '3', reason: 'error rate 7%', requestedBy: 'alice', gitCredentialsId: 'gitops-push')");

        assertOptionsAccepted(h);
        assertThat(run.failure()).hasMessage("koreaRollback: rolling back frontend in development failed (exit 2)");
        assertThat(h.realRuns()).singleElement().satisfies(r -> assertThat(r.stderr())
                .contains("environment development deploys through GitOps"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(PipelineHarness h, String path) {
        return (Map<String, Object>) new groovy.json.JsonSlurperClassic().parseText(h.workspace().get(path));
    }
}
