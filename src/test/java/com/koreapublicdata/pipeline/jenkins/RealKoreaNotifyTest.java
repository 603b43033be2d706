package com.koreapublicdata.pipeline.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * koreaNotify(result: FILE) against the real CLI: the step passes the result file, korea picks the event from its
 * outcome (the harness's korea stub used to accept any --result; the real one now reads it).
 */
class RealKoreaNotifyTest {
    private static final Path ROOT = Canned.libraryRoot().toAbsolutePath();
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
        cli = tmp.resolve("korea");
        Files.writeString(cli, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
                + "' com.koreapublicdata.pipeline.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        // korea.yaml says the Slack plugin sends: korea notify --result answers 'delegated', then renders the message
        Files.writeString(ws.resolve("korea.yaml"), Files.readString(ws.resolve("korea.yaml")) + "  via: jenkins\n");
    }

    /** A result written by the real korea scan, as koreaScan leaves it in .korea/out. */
    private void refusedScanResult() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), ws, Clock.systemUTC(), false),
                "scan", "--report", FIXTURES.resolve("scan/trivy-0.58-image.json").toString(), "--component", "backend",
                "--format", "json", "--output", ".korea/out/scan-backend.json");
        assertThat(code).as(err.toString()).isEqualTo(10);
    }

    @Test
    void shouldSendTheScanFailedMessageTheEnginePicksFromARefusedScanResult() {
        refusedScanResult();
        PipelineHarness h = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "feature/login")
                .credential("slack-token", "xoxb-s3cr3t-slack-token-value").plugin("slack").realKorea(ws, cli);

        PipelineHarness.Run run = h.run("node {\nkoreaNotify(result: '.korea/out/scan-backend.json', component: 'backend', "
                + "version: '0123456')\n}\n", "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(h.realRuns()).extracting(PipelineHarness.RealRun::command).containsExactly("notify", "notify");
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.stderr()).isZero());
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.stderr()).doesNotContain("Unknown option", "for the options."));
        assertThat(run.calls("slackSend")).singleElement().satisfies(s -> {
            assertThat(s.named()).containsEntry("channel", "#alerts");
            assertThat((String) s.arg("message")).contains("Scan gate refused", "backend", "0123456");
        });
    }

    @Test
    void shouldFailNoBuildAndSendNothingForAResultThatIsWorthNoMessage() throws IOException {
        Files.createDirectories(ws.resolve(".korea/out"));
        Files.writeString(ws.resolve(".korea/out/scan-backend.json"),
                "{\"verdict\": \"pass\", \"outcome\": \"skipped\", \"changed\": false, \"exitCode\": 0, \"message\": \"no scanner\"}");
        PipelineHarness h = new PipelineHarness(Canned.libraryRoot()).env("BRANCH_NAME", "feature/login")
                .credential("slack-token", "xoxb-s3cr3t-slack-token-value").plugin("slack").realKorea(ws, cli);

        PipelineHarness.Run run = h.run("node {\nkoreaNotify(result: '.korea/out/scan-backend.json', component: 'backend')\n}\n",
                "Jenkinsfile");

        assertThat(run.failure()).isNull();
        assertThat(h.realRuns()).allSatisfy(r -> assertThat(r.exit()).as(r.stderr()).isZero());
        assertThat(run.calls("slackSend")).isEmpty();
    }
}
