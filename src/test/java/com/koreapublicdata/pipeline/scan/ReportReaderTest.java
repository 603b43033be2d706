package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Severity;

class ReportReaderTest {

    @TempDir
    Path tmp;

    @Test
    void shouldReadTrivySchema2ImageReportWithEveryKind() {
        List<Finding> findings = new ArrayList<>();
        ReportInfo info = new ReportReader().read(Fixtures.path("trivy-0.58-image.json"), findings::add);

        assertThat(info.format()).isEqualTo("trivy");
        assertThat(info.scanner()).isEqualTo("trivy");
        assertThat(info.scannerVersion()).isEqualTo("0.58.1");
        assertThat(info.artifactName()).isEqualTo("registry.example.com/korea/backend:1.4.2");
        assertThat(info.repoDigests()).containsExactly(Fixtures.DIGEST_A);
        assertThat(info.imageId()).isEqualTo(Fixtures.DIGEST_B);
        Map<FindingKind, Long> byKind = findings.stream().collect(Collectors.groupingBy(Finding::kind,
                Collectors.counting()));
        // 11 vulnerabilities, 3 misconfigurations (one PASS), 1 secret, 1 license
        assertThat(byKind).containsEntry(FindingKind.VULNERABILITY, 11L).containsEntry(FindingKind.MISCONFIGURATION, 3L)
                .containsEntry(FindingKind.SECRET, 1L).containsEntry(FindingKind.LICENSE, 1L);
        assertThat(info.findings()).isEqualTo(16);

        Finding openssl = findings.get(0);
        assertThat(openssl).isEqualTo(new Finding(FindingKind.VULNERABILITY, "CVE-2024-0001", Severity.CRITICAL,
                "registry.example.com/korea/backend:1.4.2 (debian 12.8)", null, "openssl", "3.0.15-1", "3.0.15-2",
                "fixed", null, "pkg:deb/debian/openssl@3.0.15-1?arch=amd64&distro=debian-12.8",
                "openssl: example weakness CVE-2024-0001", "https://avd.aquasec.com/nvd/cve-2024-0001", List.of()));
        Finding log4j = findings.stream().filter(f -> f.id().equals("CVE-2021-44228")).findFirst().orElseThrow();
        assertThat(log4j.pkgPath()).isEqualTo("app/lib/log4j-core-2.14.1.jar");
        assertThat(log4j.target()).isEqualTo("Java");
        Finding secret = findings.stream().filter(f -> f.kind() == FindingKind.SECRET).findFirst().orElseThrow();
        assertThat(secret.id()).isEqualTo("aws-access-key-id");
        assertThat(secret.pkgPath()).isEqualTo("/app/config/settings.py:12");
        assertThat(secret.toString()).doesNotContain("AWS_KEY");
    }

    @Test
    void shouldTakeTheTargetWrittenAfterTheFindings() {
        // re-serialised with sorted keys, Target comes after Vulnerabilities
        Finding go = Fixtures.findings("trivy-0.58-image.json").stream()
                .filter(f -> f.id().equals("CVE-2024-24790")).findFirst().orElseThrow();
        assertThat(go.target()).isEqualTo("usr/local/bin/app");
    }

    @Test
    void shouldReadThePre019BareArray() {
        List<Finding> findings = new ArrayList<>();
        ReportInfo info = new ReportReader().read(Fixtures.path("trivy-0.18-legacy.json"), findings::add);

        assertThat(info.format()).isEqualTo("trivy-legacy");
        assertThat(findings).extracting(Finding::id).containsExactly("CVE-2019-14697", "CVE-2019-1549",
                "CVE-2019-1547", "CVE-2019-1563");
        assertThat(findings).extracting(Finding::status).containsOnlyNulls();
        assertThat(findings.get(2).fixed()).isFalse();
        assertThat(findings.get(1).fixed()).isTrue();
    }

    @Test
    void shouldReadTrivyK8sResources() {
        List<Finding> findings = new ArrayList<>();
        ReportInfo info = new ReportReader().read(Fixtures.path("trivy-k8s-0.50.json"), findings::add);

        assertThat(info.format()).isEqualTo("trivy-k8s");
        assertThat(info.artifactName()).isEqualTo("kind-korea");
        assertThat(findings).extracting(Finding::resource).containsExactly("korea-prod/Deployment/backend",
                "korea-prod/Deployment/backend", "korea-prod/Deployment/backend", "korea-prod/Deployment/backend",
                "kube-system/DaemonSet/kube-proxy");
        assertThat(findings.get(2).aliases()).containsExactly("AVD-KSV-0014");
    }

    @Test
    void shouldKeepCountingButNeverPassWhenTrivyCouldNotScanAResource() {
        ScanReport r = Fixtures.gate(Fixtures.defaults(), java.time.Instant.EPOCH, "trivy-k8s-0.50-resource-error.json");
        assertThat(r.reports().get(0).scanErrors()).containsExactly(
                "korea-dev/Deployment/backend: unable to pull image registry.example.com/korea/backend:1.4.2: unauthorized");
        assertThat(r.counts(FindingKind.VULNERABILITY)).containsEntry(Severity.LOW, 1L);
        assertThat(r.blockingTotal()).isZero();
        assertThat(r.passed()).isFalse();
        assertThat(r.scanErrors()).singleElement().asString().contains("unauthorized");
    }

    @Test
    void shouldReadTheOlderSplitK8sShape() {
        List<Finding> findings = Fixtures.findings("trivy-k8s-0.29-split.json");
        assertThat(findings).extracting(Finding::id).containsExactly("CVE-2022-0001", "KSV012");
        assertThat(findings).extracting(Finding::resource).containsOnly("default/Deployment/web");
    }

    @Test
    void shouldReadGrypeAndMapItsSeveritiesAndFixStates() {
        List<Finding> findings = new ArrayList<>();
        ReportInfo info = new ReportReader().read(Fixtures.path("grype-0.74-image.json"), findings::add);

        assertThat(info.format()).isEqualTo("grype");
        assertThat(info.scanner()).isEqualTo("grype");
        assertThat(info.scannerVersion()).isEqualTo("0.74.0");
        assertThat(info.repoDigests()).containsExactly(Fixtures.DIGEST_D);
        assertThat(info.artifactName()).isEqualTo("registry.example.com/korea/frontend:2.0.0");
        assertThat(findings).extracting(Finding::severity).containsExactly(Severity.HIGH, Severity.LOW,
                Severity.CRITICAL, Severity.MEDIUM, Severity.UNKNOWN);
        assertThat(findings).extracting(Finding::status).containsExactly("fixed", "affected", "will_not_fix", "fixed",
                "unknown");
        assertThat(findings.get(0).fixedVersion()).isEqualTo("2.36-9+deb12u3");
        assertThat(findings.get(0).purl()).startsWith("pkg:deb/debian/libc6@2.36-9");
        assertThat(findings.get(3).pkgPath()).isEqualTo("/app/node_modules/lodash/package.json");
        // Grype's own ignoredMatches are not findings
        assertThat(findings).extracting(Finding::id).doesNotContain("CVE-2000-0001");
    }

    @Test
    void shouldRejectTrivyTableOutputSavedAsJson() {
        assertInvalid("trivy-table-output.json", "not JSON", "Report Summary", "table output", "--format json");
    }

    @Test
    void shouldRejectTruncatedJson() {
        assertInvalid("trivy-truncated.json", "truncated JSON", "line");
    }

    @Test
    void shouldRejectAnEmptyFile() {
        assertInvalid("empty.json", "empty");
    }

    @Test
    void shouldRejectAnUnknownSeverityNamingTheFinding() {
        assertInvalid("trivy-unknown-severity.json", "CVE-2024-1001", "'SEVERE'", "CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN");
    }

    @Test
    void shouldRejectSarifAsNotAReportKoreaReads() {
        assertInvalid("trivy-sarif-output.json", "SARIF", "$schema", "not a report korea reads");
    }

    @Test
    void shouldRejectAMissingOrUnreadablePath() throws IOException {
        Path missing = tmp.resolve("nope.json");
        assertThatThrownBy(() -> new ReportReader().read(missing, f -> { }))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no such report file");
        assertThatThrownBy(() -> new ReportReader().read(tmp, f -> { }))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("is a directory");
    }

    @Test
    void shouldRejectOtherShapes() {
        assertInvalidText("{}", "keys []");
        assertInvalidText("[]", "empty JSON array");
        assertInvalidText("null", "null");
        // an --all-projects Snyk array is Snyk's; one whose later element is not a Snyk project is no report
        assertInvalidText("[{\"vulnerabilities\":[],\"ok\":false},{\"Target\":\"t\"}]", "none of Snyk's keys");
        assertInvalidText("[{\"Vulnerabilities\":[]}]", "no Target");
        assertInvalidText("[1,2]", "not a Trivy report");
        assertInvalidText("{\"Results\":[],\"matches\":[]}", "mixes");
        assertInvalidText("{\"ArtifactName\":\"x\",\"Results\":{}}", "Results must be an array");
        assertInvalidText("{\"ArtifactName\":\"x\"} {}", "after the end");
        assertInvalidText("{\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[{\"PkgName\":\"p\"}]}]}",
                "no VulnerabilityID");
        assertInvalidText("{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-1\",\"severity\":\"Severe\"}}]}", "'Severe'");
    }

    @Test
    void shouldReadACleanReportWithoutResults() throws IOException {
        List<Finding> findings = new ArrayList<>();
        ReportInfo info = new ReportReader().read("clean.json", new ByteArrayInputStream(
                "{\"SchemaVersion\":2,\"ArtifactName\":\"x:1\",\"ArtifactType\":\"container_image\"}"
                        .getBytes(StandardCharsets.UTF_8)), findings::add);
        assertThat(info.format()).isEqualTo("trivy");
        assertThat(findings).isEmpty();
    }

    @Test
    void shouldReadEmptySeverityAsUnknownAsTrivyDoes() throws IOException {
        List<Finding> findings = new ArrayList<>();
        new ReportReader().read("r.json", new ByteArrayInputStream(("{\"Results\":[{\"Target\":\"t\","
                + "\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"InstalledVersion\":\"1\"}]}]}")
                .getBytes(StandardCharsets.UTF_8)), findings::add);
        assertThat(findings).extracting(Finding::severity).containsExactly(Severity.UNKNOWN);
    }

    @Test
    void shouldListTheFormatsInItsRegistry() {
        assertThat(ReportFormats.ids()).containsExactly("trivy", "trivy-legacy", "trivy-k8s", "grype", "snyk");
        assertThat(ReportFormats.name("grype")).contains("Grype");
    }

    private void assertInvalidText(String text, String expected) {
        Path file = tmp.resolve("report-" + Math.abs(text.hashCode()) + ".json");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThatThrownBy(() -> new ReportReader().read(file, f -> { }))
                .as(text)
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(expected);
    }

    private static void assertInvalid(String fixture, String... expected) {
        assertThatThrownBy(() -> Fixtures.findings(fixture))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(fixture)
                .satisfies(e -> {
                    for (String text : expected) {
                        assertThat(e.getMessage()).contains(text);
                    }
                });
    }
}
