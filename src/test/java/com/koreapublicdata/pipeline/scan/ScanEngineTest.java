package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.ScanTool;
import com.koreapublicdata.pipeline.config.SnykSettings;
import com.koreapublicdata.pipeline.config.Severity;

class ScanEngineTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();

    @Test
    void shouldWriteARecordForTheReportsDigestOnPass() {
        ScanReport r = engine(Map.of()).scan(request(List.of(Fixtures.path("trivy-0.58-image.json")), null, null,
                new ScanPolicy.Overrides(List.of(Severity.CRITICAL), null, null, fileIgnoring("CVE-2024-0001",
                        "CVE-2021-44228", "CVE-2024-24790", "aws-access-key-id"), null, null, null)));

        assertThat(r.passed()).isTrue();
        assertThat(r.digest()).isEqualTo(Fixtures.DIGEST_A); // RepoDigests wins over ImageID
        ScanRecord record = new ScanRecords(tmp.resolve("state")).find(Fixtures.DIGEST_A).orElseThrow();
        assertThat(record.passed()).isTrue();
        assertThat(record.time()).isEqualTo(NOW);
        assertThat(record.image()).isEqualTo("registry.example.com/korea/backend:1.4.2");
        assertThat(record.component()).isEqualTo("backend");
        assertThat(record.scanner()).isEqualTo("trivy");
        assertThat(record.scannerVersion()).isEqualTo("0.58.1");
        assertThat(record.policy().failOn()).containsExactly("CRITICAL");
        assertThat(record.policy().ignoreRules()).isEqualTo(4);
        assertThat(record.counts().get("vulnerabilities")).containsEntry("HIGH", 3L).containsEntry("CRITICAL", 0L);
        assertThat(record.suppressed()).isEqualTo(5);
        assertThat(r.record()).isEqualTo(tmp.resolve("state/scans/" + "a".repeat(64) + ".json").toString());
        assertThat(progress).anySatisfy(p -> assertThat(p).contains("trivy-0.58-image.json"));
    }

    @Test
    void shouldWriteNoRecordWhenTheGateFails() {
        ScanReport r = engine(Map.of()).scan(request(List.of(Fixtures.path("trivy-0.58-image.json")), null, null,
                ScanPolicy.Overrides.none()));
        assertThat(r.passed()).isFalse();
        assertThat(r.record()).isNull();
        assertThat(r.recordNote()).contains("gate failed");
        assertThat(new ScanRecords(tmp.resolve("state")).find(Fixtures.DIGEST_A)).isEmpty();
    }

    @Test
    void shouldSayThereIsNoRecordWithoutADigest() {
        ScanReport r = engine(Map.of()).scan(request(List.of(Fixtures.path("trivy-0.18-legacy.json")), null, null,
                new ScanPolicy.Overrides(List.of(Severity.UNKNOWN), null, null, null, null, null, null)));
        assertThat(r.passed()).isTrue();
        assertThat(r.digest()).isNull();
        assertThat(r.record()).isNull();
        assertThat(r.recordNote()).contains("no image digest known", "--digest");
        assertThat(tmp.resolve("state/scans")).doesNotExist();
    }

    @Test
    void shouldTakeTheDigestFromTheOptionOrTheImageReference() {
        String digest = "sha256:" + "e".repeat(64);
        ScanReport given = engine(Map.of()).scan(new ScanRequest(List.of(Fixtures.path("trivy-0.18-legacy.json")),
                null, null, null, digest.toUpperCase().replace("SHA256", "sha256"), null, unknownOnly(),
                tmp.resolve("state"), null));
        assertThat(given.digest()).isEqualTo(digest);
        assertThat(new ScanRecords(tmp.resolve("state")).find(digest)).isPresent();

        String other = "sha256:" + "f".repeat(64);
        ScanReport fromRef = engine(Map.of()).scan(new ScanRequest(List.of(Fixtures.path("trivy-0.18-legacy.json")),
                "registry.example.com/x@" + other, null, null, null, null, unknownOnly(), tmp.resolve("state"), null));
        assertThat(fromRef.digest()).isEqualTo(other);
        assertThat(new ScanRecords(tmp.resolve("state")).find(other).orElseThrow().image())
                .isEqualTo("registry.example.com/x@" + other);
    }

    @Test
    void shouldRefuseToCertifyAnotherImageThanTheReportNames() {
        assertThatThrownBy(() -> engine(Map.of()).scan(new ScanRequest(List.of(Fixtures.path("trivy-0.58-image.json")),
                null, null, null, "sha256:" + "e".repeat(64), null, unknownOnly(), tmp.resolve("state"), null)))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(Fixtures.DIGEST_A);
        assertThatThrownBy(() -> engine(Map.of()).scan(new ScanRequest(List.of(Fixtures.path("trivy-0.58-image.json")),
                null, null, null, "sha256:nothex", null, unknownOnly(), tmp.resolve("state"), null)))
                .isInstanceOf(KoreaException.class).hasMessageContaining("--digest");
    }

    @Test
    void shouldRecordNothingWhenReportsNameDifferentImages() {
        ScanReport r = engine(Map.of()).scan(request(List.of(Fixtures.path("trivy-0.58-image.json"),
                Fixtures.path("grype-0.74-image.json")), null, null,
                new ScanPolicy.Overrides(List.of(Severity.LOW), null, null, null, null, null, null)));
        assertThat(r.reports()).extracting(ReportInfo::format).containsExactly("trivy", "grype");
        assertThat(r.passed()).isFalse();
        assertThat(r.digest()).isNull();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("2 image digests"));
    }

    @Test
    void shouldFailWithExit1WhenTrivyIsNotInstalled() throws IOException {
        Path emptyBin = Files.createDirectories(tmp.resolve("bin"));
        assertThatThrownBy(() -> engine(Map.of("PATH", emptyBin.toString())).scan(request(List.of(),
                "registry.example.com/app:1", null, ScanPolicy.Overrides.none())))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("trivy is not installed");
    }

    @Test
    void shouldRunTrivyImageAndGateItsReport() throws IOException {
        Path bin = fakeTrivy("""
                echo "$@" > "$KOREA_TEST_ARGS"
                if [ "$1" = "--version" ]; then echo "Version: 0.57.0"; exit 0; fi
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                cat "$KOREA_TEST_REPORT" > "$out"
                """);
        Path args = tmp.resolve("args.txt");
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "KOREA_TEST_ARGS", args.toString(),
                "KOREA_TEST_REPORT", Fixtures.path("trivy-0.18-legacy.json").toString());
        ScanReport r = engine(env).scan(request(List.of(), "registry.example.com/app@sha256:" + "1".repeat(64), null,
                new ScanPolicy.Overrides(List.of(Severity.UNKNOWN), null, null, null, null, null, null)));

        assertThat(r.passed()).isTrue();
        assertThat(r.reports()).singleElement().satisfies(info -> {
            assertThat(info.source()).isEqualTo("trivy image registry.example.com/app@sha256:" + "1".repeat(64));
            assertThat(info.format()).isEqualTo("trivy-legacy");
            assertThat(info.scannerVersion()).isEqualTo("0.57.0"); // the legacy report has none: asked the binary
        });
        assertThat(r.counts(FindingKind.VULNERABILITY)).containsEntry(Severity.HIGH, 1L);
        assertThat(new ScanRecords(tmp.resolve("state")).find("sha256:" + "1".repeat(64))).isPresent();
        assertThat(progress).anySatisfy(p -> assertThat(p).contains("running trivy image"));
        // the last call was --version; the scan call is checked in the fs test below
    }

    @Test
    void shouldRunTrivyFsWithJsonOutputAndItsOwnIgnoreFileSwitchedOff() throws IOException {
        Path bin = fakeTrivy("""
                [ "$1" = "--version" ] && exit 0
                echo "$@" > "$KOREA_TEST_ARGS"
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                cat "$KOREA_TEST_REPORT" > "$out"
                """);
        Path args = tmp.resolve("args.txt");
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "KOREA_TEST_ARGS", args.toString(),
                "KOREA_TEST_REPORT", Fixtures.path("trivy-0.58-image.json").toString());
        ScanReport r = engine(env).scan(new ScanRequest(List.of(), null, null, dir, null, null,
                Fixtures.defaults(), tmp.resolve("state"), Duration.ofMinutes(3)));

        assertThat(r.passed()).isFalse();
        assertThat(r.blockingTotal()).isEqualTo(10);
        String called = Files.readString(args).strip();
        assertThat(called).startsWith("fs --format json --output ").contains("--exit-code 0", "--ignorefile ",
                "--timeout 180s", "--scanners vuln,secret,misconfig").endsWith(" " + dir);
    }

    @Test
    void shouldFailWithExit1WhenTrivyFailsOrWritesNothingUsable() throws IOException {
        Path failing = fakeTrivy("echo 'FATAL image scan error: unable to find the specified image' >&2; exit 1");
        assertScannerFailure(failing, "failed (exit 1)", "unable to find the specified image");

        Path silent = fakeTrivy("exit 0");
        assertScannerFailure(silent, "wrote no report");

        Path table = fakeTrivy("""
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                printf 'Report Summary\\n' > "$out"
                """);
        assertScannerFailure(table, "wrote a report korea cannot read", "Report Summary");
    }

    @Test
    void shouldRejectConflictingOrMissingInputs() {
        assertUsage(request(List.of(), null, null, ScanPolicy.Overrides.none()), "nothing to scan");
        assertUsage(new ScanRequest(List.of(), "img:1", null, tmp, null, null, Fixtures.defaults(), tmp, null),
                "excludes --image");
        assertUsage(new ScanRequest(List.of(Fixtures.path("trivy-0.58-image.json")), null, null, tmp, null, null,
                Fixtures.defaults(), tmp, null), "excludes --input and --dir");
        assertUsage(new ScanRequest(List.of(), null, tmp.resolve("nope.tar"), null, null, null, Fixtures.defaults(),
                tmp, null), "is not a file");
        assertUsage(new ScanRequest(List.of(), "img@sha256:abc", null, null, null, null, Fixtures.defaults(), tmp,
                null), "malformed digest");
    }

    private void assertScannerFailure(Path bin, String... messages) {
        assertThatThrownBy(() -> engine(Map.of("PATH", bin + ":/usr/bin:/bin")).scan(request(List.of(), "app:1",
                null, ScanPolicy.Overrides.none())))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .satisfies(e -> assertThat(e.getMessage()).contains(messages));
    }

    private void assertUsage(ScanRequest request, String message) {
        assertThatThrownBy(() -> engine(Map.of()).scan(request))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(message);
    }

    /** A stand-in for the trivy binary (which cannot be installed here): a shell script on a temporary PATH. */
    @Test
    void shouldRunTrivyAndSnykBothGatingIntoOneScanRecordWithTheTokenOnlyInTheEnvironment() throws IOException {
        String digest = "sha256:" + "e".repeat(64);
        Path bin = fakeTrivy("""
                [ "$1" = "--version" ] && { echo "Version: 0.58.0"; exit 0; }
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                printf '{"SchemaVersion":2,"ArtifactName":"app","Results":[]}' > "$out"
                """);
        fakeTool(bin, "snyk", """
                echo "$@" >> "$KOREA_TEST_ARGS"
                [ "$SNYK_TOKEN" = "s3cr3t-token" ] || { echo "no token" >&2; exit 2; }
                [ "$2" = "monitor" ] && exit 0
                for a in "$@"; do case "$a" in --json-file-output=*) out="${a#--json-file-output=}";; esac; done
                cat "$KOREA_TEST_REPORT" > "$out"
                exit 1
                """);
        Path args = tmp.resolve("snyk-args.txt");
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "SNYK_TOKEN", "s3cr3t-token",
                "KOREA_TEST_ARGS", args.toString(), "KOREA_TEST_REPORT", Fixtures.path("snyk-test-npm.json").toString());
        ScanRequest both = new ScanRequest(List.of(), "registry.example/app@" + digest, null, null, null, "backend",
                Fixtures.defaults(), tmp.resolve("state"), Duration.ofMinutes(1),
                List.of(ScanTool.TRIVY, ScanTool.SNYK), false, new SnykSettings(true, "korea-org"));

        ScanReport failing = engine(env).scan(both);
        assertThat(failing.passed()).as("Snyk's findings gate although Trivy found nothing").isFalse();
        assertThat(failing.reports()).extracting(ReportInfo::scanner).containsExactly("trivy", "snyk");
        assertThat(failing.blocking()).extracting(Finding::id).containsExactly("SNYK-JS-EXPRESSFILEUPLOAD-595969",
                "SNYK-JS-LODASH-567746");
        String called = Files.readString(args);
        assertThat(called).contains("container test registry.example/app@" + digest, "--org=korea-org")
                .doesNotContain("s3cr3t-token").doesNotContain("monitor");

        Path ignore = fileIgnoring("SNYK-JS-EXPRESSFILEUPLOAD-595969", "CVE-2020-8203");
        ScanPolicy accepting = ScanPolicy.from(ScanSettings.defaults(),
                new ScanPolicy.Overrides(null, null, null, ignore, null, null, null), tmp);
        ScanReport passing = engine(env).scan(new ScanRequest(List.of(), both.image(), null, null, null, "backend",
                accepting, tmp.resolve("state"), Duration.ofMinutes(1), both.tools(), false, both.snyk()));
        assertThat(passing.passed()).isTrue();
        ScanRecord record = new ScanRecords(tmp.resolve("state")).find(digest).orElseThrow();
        assertThat(record.scanner()).isEqualTo("trivy+snyk");
        assertThat(Files.readString(args)).contains("container monitor registry.example/app@" + digest);
    }

    @Test
    void shouldLeaveOutAMissingSnykOnlyWhenTheEnvironmentAllowsIt() throws IOException {
        Path bin = fakeTrivy("""
                [ "$1" = "--version" ] && exit 0
                out=""; prev=""
                for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
                printf '{"SchemaVersion":2,"ArtifactName":"app","Results":[]}' > "$out"
                """);
        fakeTool(bin, "snyk", "exit 0");
        Map<String, String> noToken = Map.of("PATH", bin + ":/usr/bin:/bin");
        List<ScanTool> tools = List.of(ScanTool.TRIVY, ScanTool.SNYK);
        assertThat(engine(noToken).unavailable(tools)).containsOnlyKeys(ScanTool.SNYK)
                .containsValue("snyk has no token (SNYK_TOKEN is not set)");

        ScanRequest strict = new ScanRequest(List.of(), "app:1", null, null, null, null, Fixtures.defaults(),
                tmp.resolve("state"), Duration.ofMinutes(1), tools, false, null);
        assertThatThrownBy(() -> engine(noToken).scan(strict)).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE)).hasMessageContaining("SNYK_TOKEN is not set");

        ScanReport lenient = engine(noToken).scan(new ScanRequest(List.of(), "app:1", null, null, null, null,
                Fixtures.defaults(), tmp.resolve("state"), Duration.ofMinutes(1), tools, true, null));
        assertThat(lenient.passed()).isTrue();
        assertThat(lenient.reports()).extracting(ReportInfo::scanner).containsExactly("trivy");
        assertThat(lenient.warnings()).anySatisfy(w -> assertThat(w).contains("SNYK_TOKEN is not set",
                "left out (allowMissingScanner)", "trivy only"));

        Map<String, String> nothing = Map.of("PATH", tmp.resolve("empty-bin").toString());
        assertThatThrownBy(() -> engine(nothing).scan(new ScanRequest(List.of(), "app:1", null, null, null, null,
                Fixtures.defaults(), tmp.resolve("state"), Duration.ofMinutes(1), tools, true, null)))
                .as("with no scanner left the gate cannot pass").isInstanceOf(KoreaException.class)
                .hasMessageContaining("trivy is not installed");
    }

    @Test
    void shouldFailWhenSnykCannotTest() throws IOException {
        Path bin = Files.createTempDirectory(tmp, "bin");
        fakeTool(bin, "snyk", "echo 'Could not detect supported target files' >&2; exit 3");
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "SNYK_TOKEN", "t");
        assertThatThrownBy(() -> engine(env).scan(new ScanRequest(List.of(), null, null, tmp, null, null,
                Fixtures.defaults(), tmp.resolve("state"), Duration.ofMinutes(1), List.of(ScanTool.SNYK), true, null)))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE))
                .hasMessageContaining("no supported project found").hasMessageContaining("Could not detect");
    }

    private static void fakeTool(Path bin, String name, String body) throws IOException {
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path fakeTrivy(String body) throws IOException {
        Path bin = Files.createTempDirectory(tmp, "bin");
        Path trivy = bin.resolve("trivy");
        Files.writeString(trivy, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(trivy, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Path fileIgnoring(String... ids) {
        try {
            return Files.writeString(tmp.resolve(".trivyignore"), String.join("\n", ids) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ScanPolicy unknownOnly() {
        return ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(List.of(Severity.UNKNOWN), null, null,
                null, null, null, null), tmp);
    }

    private ScanRequest request(List<Path> reports, String image, Path dir, ScanPolicy.Overrides overrides) {
        return new ScanRequest(reports, image, null, dir, null, "backend",
                ScanPolicy.from(ScanSettings.defaults(), overrides, tmp), tmp.resolve("state"), null);
    }

    private ScanEngine engine(Map<String, String> env) {
        return new ScanEngine(env, tmp, Clock.fixed(NOW, ZoneOffset.UTC), progress::add);
    }
}
