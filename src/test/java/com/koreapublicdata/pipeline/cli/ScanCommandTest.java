package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ScanCommandTest {
    private static final String DIGEST_A = "sha256:" + "a".repeat(64);

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin"));

    @Test
    void shouldPassWriteTheRecordAndExit0() throws IOException {
        int code = run("scan", "--report", fixture("trivy-0.58-image.json"), "--fail-on", "medium",
                "--ignore-status", "will_not_fix", "--ignore-unfixed", "--gate-misconfigurations=false", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = json();
        assertThat(json.get("verdict").asText()).isEqualTo("pass");
        assertThat(json.at("/counts/vulnerabilities/CRITICAL").asLong()).isEqualTo(4);
        assertThat(json.get("digest").asText()).isEqualTo(DIGEST_A);
        assertThat(work.resolve(".korea/scans/" + "a".repeat(64) + ".json")).exists();
        assertThat(err.toString()).contains("no korea.yaml here", "reading");
    }

    @Test
    void shouldFailTheGateWithExit10AndStillPrintTheResult() throws IOException {
        int code = run("scan", "--report", fixture("trivy-0.58-image.json"), "--format", "json");

        assertThat(code).isEqualTo(10);
        JsonNode json = json();
        assertThat(json.get("verdict").asText()).isEqualTo("fail");
        assertThat(json.get("blocking")).hasSize(10);
        assertThat(err.toString()).contains("security gate failed: 10 blocking findings of CRITICAL, HIGH, UNKNOWN");
        assertThat(work.resolve(".korea/scans")).doesNotExist();
    }

    @Test
    void shouldApplyKoreaYamlScanSettingsAndStateDir() throws IOException {
        Files.createDirectories(work.resolve("security"));
        Files.writeString(work.resolve("security/trivyignore.yaml"), """
                vulnerabilities:
                  - id: CVE-2024-0001
                    statement: backported
                  - id: CVE-2021-44228
                  - id: CVE-2024-24790
                secrets:
                  - id: aws-access-key-id
                """);
        Files.writeString(work.resolve("korea.yaml"), """
                project: demo
                components:
                  api:
                    paths: [api/**]
                    kind: python
                environments:
                  development:
                    branches: [develop]
                scan:
                  failOn: [CRITICAL]
                  allowUnknown: true
                  ignoreFile: security/trivyignore.yaml
                stateDir: state
                """);
        int code = run("scan", "--report", fixture("trivy-0.58-image.json"), "--component", "api");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("Security gate: PASS", "fail on CRITICAL", "backported",
                "Scan record: " + work.resolve("state/scans/" + "a".repeat(64) + ".json"));
        assertThat(work.resolve("state/scans/" + "a".repeat(64) + ".json")).content().contains("\"component\" : \"api\"");

        // the command line overrides korea.yaml: HIGH now blocks too
        out.getBuffer().setLength(0);
        assertThat(run("scan", "--report", fixture("trivy-0.58-image.json"), "--fail-on", "CRITICAL,HIGH")).isEqualTo(10);
    }

    @Test
    void shouldExit2ForBadInputsAndNeverPass() throws IOException {
        assertExit2(new String[] {"scan", "--report", fixture("trivy-table-output.json")}, "table output");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-truncated.json")}, "truncated JSON");
        assertExit2(new String[] {"scan", "--report", fixture("empty.json")}, "empty");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-unknown-severity.json")}, "'SEVERE'");
        assertExit2(new String[] {"scan", "--report", "missing.json"}, "no such report file");
        Path file = Files.writeString(work.resolve("plain.txt"), "x");
        assertExit2(new String[] {"scan", "--report", file.resolve("under-a-file.json").toString()},
                "cannot read the report");
        Path unreadable = Files.writeString(work.resolve("secret.json"), "{}");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(unreadable)) { // root reads anything; the permission check only works for others
            assertExit2(new String[] {"scan", "--report", unreadable.toString()}, "permission denied");
        }
        // a good report next to a bad one is still no pass
        assertExit2(new String[] {"scan", "--report", fixture("trivy-0.18-legacy.json"), "--report",
            fixture("trivy-truncated.json"), "--fail-on", "UNKNOWN"}, "truncated JSON");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-0.18-legacy.json"), "--fail-on", "SEVERE"},
                "not a severity");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-0.18-legacy.json"), "--format", "pdf"},
                "pdf");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-0.18-legacy.json"), "--ignore-status", "open"},
                "not a Trivy status");
        assertExit2(new String[] {"scan", "--report", fixture("trivy-0.18-legacy.json"), "--ignorefile", "nope"},
                "does not exist");
        assertExit2(new String[] {"scan"}, "nothing to scan");
        assertThat(work.resolve(".korea")).doesNotExist();
    }

    @Test
    void shouldExit1WhenTrivyIsNotInstalled() {
        int code = run("scan", "--image", "registry.example.com/app:1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("trivy is not installed");
        assertThat(out.toString()).doesNotContain("PASS");
    }

    @Test
    void shouldExit1WhenTheReportSaysPartOfTheScanFailed() throws IOException {
        int code = run("scan", "--report", fixture("trivy-k8s-0.50-resource-error.json"), "--format", "json");
        assertThat(code).isEqualTo(1);
        assertThat(json().get("verdict").asText()).isEqualTo("fail");
        assertThat(err.toString()).contains("could not scan 1 part(s)", "korea-dev/Deployment/backend");
    }

    @Test
    void shouldRunAFakeTrivyFromPath() throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path trivy = bin.resolve("trivy");
        Files.writeString(trivy, """
                #!/bin/sh
                [ "$1" = "--version" ] && { echo "Version: 0.58.1"; exit 0; }
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                cat "$KOREA_TEST_REPORT" > "$out"
                """);
        Files.setPosixFilePermissions(trivy, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("KOREA_TEST_REPORT", fixture("grype-0.74-image.json"));
        Path tar = Files.writeString(work.resolve("image.tar"), "not really a tarball; the fake trivy ignores it");

        int code = run("scan", "--input", tar.toString(), "--image", "registry.example.com/korea/frontend:2.0.0",
                "--fail-on", "CRITICAL", "--ignore-unfixed", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = json();
        assertThat(json.at("/reports/0/source").asText()).isEqualTo("trivy image --input " + tar);
        assertThat(json.at("/suppressed/0/id").asText()).isEqualTo("CVE-2011-3374");
        assertThat(json.get("digest").asText()).isEqualTo("sha256:" + "d".repeat(64));
    }

    @Test
    void shouldWriteSarifJunitAndHtmlToOutputFiles() throws IOException {
        for (String format : new String[] {"sarif", "junit", "html"}) {
            int code = run("scan", "--report", fixture("trivy-0.58-image.json"), "--format", format, "--output",
                    "reports/scan." + format);
            assertThat(code).isEqualTo(10);
        }
        assertThat(new ObjectMapper().readTree(work.resolve("reports/scan.sarif").toFile()).get("version").asText())
                .isEqualTo("2.1.0");
        assertThat(work.resolve("reports/scan.junit")).content().contains("<failure type=\"CRITICAL\"");
        assertThat(work.resolve("reports/scan.html")).content().contains("<svg");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldSaveMoreFormatsFromOneScan() throws IOException {
        int code = run("scan", "--report", fixture("trivy-0.58-image.json"), "--format", "json", "--save",
                "junit=out/scan-junit.xml", "--save", "html=out/scan.html", "--save", "sarif=out/scan.sarif");
        assertThat(code).isEqualTo(10);
        assertThat(json().get("verdict").asText()).isEqualTo("fail");
        assertThat(work.resolve("out/scan-junit.xml")).content().contains("<testsuites", "failures=\"10\"");
        assertThat(work.resolve("out/scan.html")).content().startsWith("<!DOCTYPE html>");
        assertThat(work.resolve("out/scan.sarif")).content().contains("\"2.1.0\"");
        assertThat(Main.run(context(), "scan", "--report", fixture("trivy-0.58-image.json"), "--save", "pdf=x"))
                .isEqualTo(2);
    }

    @Test
    void shouldShowHelpWithExitCodesAndExamples() {
        assertThat(run("scan", "--help")).isZero();
        assertThat(out.toString()).contains("--fail-on", "--ignore-unfixed", "--report", "10", "Examples:");
    }

    private void assertExit2(String[] args, String message) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        int code = Main.run(context(), args);
        assertThat(code).as(String.join(" ", args) + "\n" + err).isEqualTo(2);
        assertThat(err.toString()).as(String.join(" ", args)).contains(message);
        assertThat(out.toString()).doesNotContain("PASS").doesNotContain("\"pass\"");
    }

    private int run(String... args) {
        return Main.run(context(), args);
    }

    private CliContext context() {
        return new CliContext(new PrintWriter(out), new PrintWriter(err), env, work,
                Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC), false);
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString());
    }

    private static String fixture(String name) {
        try {
            return Path.of(ScanCommandTest.class.getResource("/com/koreapublicdata/pipeline/scan/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
