package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

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
     * koreaPipeline on develop, every korea command real, as issue 11's acceptance asks: a scripted pipeline (the
     * GIT_* values only in checkout's return), a commit touching only be/ (only the backend is tested, built, scanned
     * and deployed), no Trivy on PATH with the example's {@code allowMissingScanner: true} (scan skipped, SUCCESS,
     * the same outcomes korea run reports) and no Slack credential (one warning per message, SUCCESS).
     * NEEDS THE ENGINE BRANCH: {@code korea scan --environment} and the contract fields in every result; until
     * then korea scan refuses the option (exit 2) and this test fails at the Scan stage.
     */
    @Test
    void shouldRunTheWholePipelineOnDevelopWithTheRealCli() throws Exception {
        String previous = commit("the last successful build");
        Files.writeString(ws.resolve("be/requirements.txt"), Files.readString(ws.resolve("be/requirements.txt")) + "\n");
        String head = commit("a backend change");
        PipelineHarness h = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "develop").checkout(head, previous)
                .credential("gitops-push", "git-s3cr3t-token-value").realKorea(ws, cli);

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertOptionsAccepted(h);
        assertThat(run.failure()).isNull();
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command)
                .containsExactly("plan", "build", "build", "scan", "promote");
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.command() + ": " + r.stderr()).isZero());
        benchmarkLog(h);
        assertThat(json(h, ".korea/out/plan.json").get("reason").toString()).contains("1 component(s) affected by the changed files");
        assertThat(run.calls("koreaBuild")).extracting(c -> c.arg("component")).containsOnly("backend");
        assertThat(run.calls("koreaScan")).extracting(c -> c.arg("component")).containsExactly("backend");
        assertThat(run.calls("koreaPromote")).extracting(c -> c.arg("component")).containsExactly("backend");
        Map<String, Object> build = json(h, ".korea/out/build-backend.json");
        assertThat(build.get("tags")).isEqualTo(List.of(head.substring(0, 7), "develop-latest"));
        assertThat(json(h, ".korea/out/scan-backend.json")).containsEntry("outcome", "skipped");
        assertThat(json(h, ".korea/out/promote-backend-development.json")).containsEntry("outcome", "deployed")
                .containsEntry("digest", build.get("digest")).containsEntry("strategy", "gitops");
        assertThat(run.log()).filteredOn(l -> l.contains("Could not find credentials entry with ID 'slack-token'"))
                .as("the one Slack message korea promote would send itself").hasSize(1);
        assertThat(run.lastLine()).isEqualTo("koreaPipeline: summary: development\n"
                + "  backend: test passed, build passed, scan skipped, deploy deployed");
    }

    /**
     * A missing kube context: the engine's reason is the build's last line, nothing is rolled back by Groovy, and no
     * kubeconfig path is printed. NEEDS THE ENGINE BRANCH for the last-line assertion (promote writes its JSON result
     * on exit 1 only there; until then the step says "korea wrote no result").
     */
    @Test
    void shouldReportTheEnginesReasonForAMissingKubeContextAndNotRollBack() throws IOException {
        Files.writeString(ws.resolve("korea.yaml"), Files.readString(ws.resolve("korea.yaml")).replace("environments:\n",
                "environments:\n  qa:\n    branches: [qa]\n    cluster: qa-cluster\n    requireScan: false\n    strategy: rolling\n"));
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: other, cluster: {server: 'https://127.0.0.1:1'}}]
                users: [{name: other, user: {token: not-a-real-token}}]
                contexts: [{name: other, context: {cluster: other, user: other}}]
                current-context: other
                """);
        PipelineHarness h = harness("qa").env("KUBECONFIG", kubeconfig.toString());

        PipelineHarness.Run run = inNode(h, "koreaPromote(component: 'backend', environment: 'qa', image: 'registry.example/b@sha256:"
                + "ab".repeat(32) + "')");

        assertOptionsAccepted(h);
        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command).containsExactly("promote");
        assertThat(h.realRuns().get(0).stderr()).doesNotContain(kubeconfig.toString());
        assertThat(run.lastLine()).isEqualTo("ERROR: koreaPromote: deploying backend to qa: failed: "
                + "environments.qa.cluster: no kube context 'qa-cluster' in the kubeconfig; contexts: other "
                + "(the kubeconfig in $KUBECONFIG); nothing was changed");
    }

    /**
     * Issue 11: another promotion holds the component's Lease (created in the mock cluster as deploy's LeaseLock
     * does): korea promote waits lockTimeout, exits 11, and the build fails with the holder in its last line; Groovy
     * rolls nothing back (the only korea run is the promote) and the other promotion's Lease is left as it was.
     */
    @Test
    void shouldFailNamingTheLockHolderAndNotRollBackWhenAnotherPromotionHoldsTheLease() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient kube = server.createClient()) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("korea-qa").endMetadata().build()).create();
            String other = "https://jenkins.example/job/shop/job/main/41/";
            kube.leases().inNamespace("korea-qa").resource(new LeaseBuilder().withNewMetadata()
                    .withName(LeaseLock.leaseName("backend")).endMetadata().withNewSpec().withHolderIdentity(other)
                    .withLeaseDurationSeconds(600).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()).create();
            Files.writeString(ws.resolve("korea.yaml"), Files.readString(ws.resolve("korea.yaml")).replace("environments:\n",
                    "environments:\n  qa:\n    branches: [qa]\n    cluster: qa-cluster\n    namespace: korea-qa\n"
                            + "    requireScan: false\n    strategy: rolling\n    lockTimeout: 1s\n"));
            Path kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
                    + "clusters: [{name: qa, cluster: {server: '" + kube.getConfiguration().getMasterUrl() + "'}}]\n"
                    + "users: [{name: qa, user: {token: not-a-real-token}}]\n"
                    + "contexts: [{name: qa-cluster, context: {cluster: qa, user: qa, namespace: korea-qa}}]\n"
                    + "current-context: qa-cluster\n");
            PipelineHarness h = harness("qa").env("KUBECONFIG", kubeconfig.toString())
                    .env("BUILD_URL", "https://jenkins.example/job/shop/job/qa/7/");

            PipelineHarness.Run run = inNode(h, "koreaPromote(component: 'backend', environment: 'qa', image: "
                    + "'registry.example/b@sha256:" + "ab".repeat(32) + "')");

            assertOptionsAccepted(h);
            assertThat(run.result()).isEqualTo("FAILURE");
            assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command).as("no korea rollback").containsExactly("promote");
            assertThat(h.realRuns().get(0).exit()).isEqualTo(11);
            assertThat(json(h, ".korea/out/promote-backend-qa.json")).containsEntry("outcome", "locked")
                    .containsEntry("changed", false).containsEntry("holder", other);
            assertThat(run.lastLine()).startsWith("ERROR: koreaPromote: deploying backend to qa: locked: ")
                    .endsWith("(lock held by " + other + ")");
            assertThat(kube.leases().inNamespace("korea-qa").withName(LeaseLock.leaseName("backend")).get().getSpec()
                    .getHolderIdentity()).as("the other promotion keeps its lock").isEqualTo(other);
        } finally {
            server.destroy();
        }
    }

    /**
     * For bench/pipeline-benchmark.sh: each korea run of the develop pipeline, in order: command, exit, wall ms, the
     * ms of the user's own commands inside it (korea build's tests.commands, from its result), the sh script.
     */
    private static void benchmarkLog(PipelineHarness h) throws IOException {
        String out = System.getProperty("korea.bench.out");
        if (out != null) {
            StringBuilder lines = new StringBuilder();
            for (PipelineHarness.RealRun r : h.realRuns()) {
                lines.append(r.command()).append('\t').append(r.exit()).append('\t').append(r.millis()).append('\t')
                        .append(userMillis(r)).append('\t').append(r.script().replace('\n', ' ')).append('\n');
            }
            Files.writeString(Path.of(out), lines);
        }
    }

    /** The wall time of the user's test and build commands korea build ran (0 for every other command). */
    @SuppressWarnings("unchecked")
    private static long userMillis(PipelineHarness.RealRun r) {
        if (!"build".equals(r.command()) || r.result() == null) {
            return 0;
        }
        Map<String, Object> result = (Map<String, Object>) new groovy.json.JsonSlurperClassic().parseText(r.result());
        Map<String, Object> tests = (Map<String, Object>) result.get("tests");
        double seconds = 0;
        for (Object c : tests == null ? List.of() : (List<Object>) tests.get("commands")) {
            seconds += ((Number) ((Map<String, Object>) c).get("durationSeconds")).doubleValue();
        }
        return Math.round(seconds * 1000);
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
        // NEEDS THE ENGINE BRANCH: outcome and message in the scan result (before it: "null: null").
        assertThat(refused.failure()).hasMessageStartingWith("koreaScan: scanning backend: refused: ");
        assertThat(h.realRuns()).singleElement().satisfies(r -> assertThat(r.exit()).isEqualTo(10));
        for (String file : List.of("scan-backend.json", "scan-backend-junit.xml", "scan-backend.sarif", "scan-backend.html")) {
            assertThat(ws.resolve(".korea/out/" + file)).isNotEmptyFile();
        }
        assertThat(ws.resolve(".korea/out/scan-backend-junit.xml")).content().contains("<testsuite");
        assertThat(refused.calls("junit")).singleElement().satisfies(j -> assertThat(j.arg("testResults"))
                .isEqualTo(".korea/out/scan-backend-junit.xml"));

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
        assertThat(h.realRuns()).as("korea notify says 'delegated', then renders: no korea plan")
                .extracting(PipelineHarness.RealRun::command).containsExactly("notify", "notify");
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.stderr()).isZero());
        assertThat(run.calls("slackSend")).singleElement().satisfies(s -> {
            assertThat(s.named()).containsEntry("channel", "#alerts").containsEntry("tokenCredentialId", "slack-token")
                    .containsKey("attachments");
            assertThat((String) s.arg("message")).contains("frontend", "0123456");
        });
        assertThat(run.calls("withCredentials")).as("asking korea binds the token once; the render needs none").hasSize(1);
    }

    @Test
    void shouldPassRollbackOptionsTheRealCliAcceptsAndReportItsRefusal() {
        PipelineHarness h = harness("develop");

        PipelineHarness.Run run = inNode(h, "koreaRollback(component: 'frontend', environment: 'development', "
                + "toRevision: '3', reason: 'error rate 7%', requestedBy: 'alice', gitCredentialsId: 'gitops-push')");

        assertOptionsAccepted(h);
        // NEEDS THE ENGINE BRANCH for the reason in the message (exit 2 writes JSON only there).
        assertThat(run.failure()).hasMessageStartingWith("koreaRollback: rolling back frontend in development: invalid-input: ");
        assertThat(h.realRuns()).singleElement().satisfies(r -> assertThat(r.stderr())
                .contains("--to-revision 3: a GitOps rollback reverts the latest image change"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(PipelineHarness h, String path) {
        return (Map<String, Object>) new groovy.json.JsonSlurperClassic().parseText(h.workspace().get(path));
    }
}
