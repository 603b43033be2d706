package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.Severity;

class SnykFormatTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void shouldCountOneFindingPerIssueAndPackageVersionAndKeepEveryPath() {
        List<Finding> findings = Fixtures.findings("snyk-test-npm.json");

        assertThat(findings).extracting(Finding::id).containsExactly("SNYK-JS-LODASH-567746",
                "SNYK-JS-MINIMIST-2429795", "SNYK-JS-EXPRESSFILEUPLOAD-595969");
        Finding lodash = findings.get(0);
        assertThat(lodash.severity()).isEqualTo(Severity.HIGH);
        assertThat(lodash.target()).isEqualTo("web@1.0.0");
        assertThat(lodash.pkgName()).isEqualTo("lodash");
        assertThat(lodash.installedVersion()).isEqualTo("4.17.15");
        assertThat(lodash.fixedVersion()).isEqualTo("4.17.16");
        assertThat(lodash.fixed()).isTrue();
        assertThat(lodash.aliases()).containsExactly("CVE-2020-8203", "GHSA-p6mc-m468-83gw");
        assertThat(lodash.paths()).containsExactly("lodash@4.17.15", "async@2.6.3 > lodash@4.17.15");
        assertThat(lodash.pathCount()).isEqualTo(2);
        assertThat(lodash.location()).isEqualTo("web@1.0.0 (lodash@4.17.15) and 1 more path");
        assertThat(findings.get(1).fixed()).as("no fixedIn: not fixable").isFalse();
        assertThat(findings.get(2).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void shouldReadAllProjectsArraysAndContainerApplications() throws IOException {
        List<Finding> all = new ArrayList<>();
        ReportInfo info = new ReportReader().read(Fixtures.path("snyk-all-projects.json"), all::add);
        assertThat(info.format()).isEqualTo("snyk");
        assertThat(info.scanner()).isEqualTo("snyk");
        assertThat(all).extracting(Finding::target, Finding::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api@0.0.0", "SNYK-PYTHON-REQUESTS-5595532"));

        List<Finding> container = new ArrayList<>();
        ReportInfo image = new ReportReader().read(Fixtures.path("snyk-container.json"), container::add);
        assertThat(image.artifactName()).isEqualTo("docker-image|app");
        assertThat(container).extracting(Finding::target, Finding::pathCount).containsExactly(
                org.assertj.core.groups.Tuple.tuple("docker-image|app@1.0", 2),
                org.assertj.core.groups.Tuple.tuple("app@1.0.0", 1));
    }

    @Test
    void shouldGateSnykFindingsWithTheSamePolicyAsTrivy() {
        ScanReport report = Fixtures.gate(Fixtures.defaults(), NOW, "snyk-test-npm.json");

        assertThat(report.passed()).isFalse();
        assertThat(report.blocking()).extracting(Finding::id).containsExactly("SNYK-JS-EXPRESSFILEUPLOAD-595969",
                "SNYK-JS-LODASH-567746");
        assertThat(report.counts(FindingKind.VULNERABILITY)).containsEntry(Severity.HIGH, 1L)
                .containsEntry(Severity.CRITICAL, 1L).containsEntry(Severity.MEDIUM, 1L);
    }

    @Test
    void shouldIgnoreBySnykIdOrByCveAndStopIgnoringWhenTheExceptionExpires() throws IOException {
        Path ignore = tmp.resolve(".trivyignore");
        Files.writeString(ignore, """
                SNYK-JS-EXPRESSFILEUPLOAD-595969 exp:2027-01-01
                CVE-2020-8203 exp:2026-11-30
                """);
        ScanPolicy policy = ScanPolicy.from(ScanSettings.defaults(),
                new ScanPolicy.Overrides(null, null, null, ignore, null, null, null), tmp);

        ScanReport before = Fixtures.gate(policy, Instant.parse("2026-11-29T12:00:00Z"), "snyk-test-npm.json");
        assertThat(before.passed()).isTrue();
        assertThat(before.suppressed()).extracting(s -> s.finding().id()).containsExactly("SNYK-JS-LODASH-567746",
                "SNYK-JS-EXPRESSFILEUPLOAD-595969");

        ScanReport after = Fixtures.gate(policy, NOW, "snyk-test-npm.json");
        assertThat(after.passed()).isFalse();
        assertThat(after.blocking()).extracting(Finding::id).containsExactly("SNYK-JS-LODASH-567746");
        assertThat(after.expiredIgnores()).extracting(ExpiredIgnore::id).containsExactly("CVE-2020-8203");
    }

    @Test
    void shouldTreatAnIssueWithoutFixedInAsUnfixed() {
        ScanPolicy policy = ScanPolicy.from(ScanSettings.defaults(),
                new ScanPolicy.Overrides(List.of(Severity.MEDIUM), true, null, null, null, null, null), tmp);
        ScanReport report = Fixtures.gate(policy, NOW, "snyk-test-npm.json");
        assertThat(report.suppressed()).extracting(s -> s.finding().id(), Suppression::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SNYK-JS-MINIMIST-2429795", "ignore-unfixed"));
    }

    @Test
    void shouldRenderThePathsInEveryFormat() throws IOException {
        ScanReport report = Fixtures.gate(Fixtures.defaults(), NOW, "snyk-test-npm.json");

        JsonNode json = new ObjectMapper().readTree(render("json", report));
        JsonNode lodash = json.get("blocking").get(1);
        assertThat(lodash.get("pathCount").asInt()).isEqualTo(2);
        assertThat(lodash.get("paths")).extracting(JsonNode::asText)
                .containsExactly("lodash@4.17.15", "async@2.6.3 > lodash@4.17.15");
        assertThat(render("text", report)).contains("SNYK-JS-LODASH-567746", "and 1 more path");
        assertThat(render("junit", report)).contains("and 1 more path");
        assertThat(render("sarif", report)).contains("SNYK-JS-LODASH-567746");
        assertThat(render("html", report)).contains("and 1 more path", "Prototype Pollution &amp; Denial");
    }

    @Test
    void shouldRefuseASnykErrorAndABadSeverityNamingWhere() {
        assertUsage("snyk-error.json", "Snyk could not test the project: Could not detect supported target files");
        assertUsage("snyk-bad-severity.json", "snyk-bad-severity.json:3:");
        assertUsage("snyk-bad-severity.json", "severity 'urgent' is not one of Snyk's critical, high, medium, low");
    }

    @Test
    void shouldRefuseAnArrayOfObjectsThatAreNeitherSnykNorTrivy() throws IOException {
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "[{\"name\": \"x\"}]");
        assertThatThrownBy(() -> new ReportReader().read(other, f -> { }))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no Target");
        Path empty = tmp.resolve("empty-projects.json");
        Files.writeString(empty, "[{\"vulnerabilities\": [], \"ok\": true}]");
        assertThat(new ReportReader().read(empty, f -> { }).format()).isEqualTo("snyk");
    }

    /**
     * The shared real Snyk reports (never copied into the project): every entry of {@code vulnerabilities} counts
     * as SOURCES.md states when paths are added up, and the distinct findings equal Snyk's own {@code uniqueCount}.
     */
    @Test
    void shouldReadTheSharedSnykReportsAsTheirSourcesState() throws IOException {
        Path dir = sharedSnyk();
        Assumptions.assumeTrue(dir != null, "shared Snyk fixtures not found: skipped");
        Map<String, Map<Severity, Long>> stated = Map.of(
                "single_project_many_vulns.json", Map.of(Severity.HIGH, 12L, Severity.MEDIUM, 29L),
                "single_project_no_vulns.json", Map.of(),
                "all-projects_many_vulns.json", Map.of(Severity.MEDIUM, 4L),
                "snykcontainer_issue_9270.json", Map.of(Severity.LOW, 25L),
                "single_project_one_vuln_with_ampersands.json", Map.of(Severity.CRITICAL, 1L));
        Map<String, Integer> unique = Map.of("single_project_many_vulns.json", 41, "single_project_no_vulns.json", 0,
                "all-projects_many_vulns.json", 4, "snykcontainer_issue_9270.json", 13,
                "single_project_one_vuln_with_ampersands.json", 1);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<Finding> findings = new ArrayList<>();
            ReportInfo info = new ReportReader().read(file, findings::add);
            assertThat(info.format()).as(name).isEqualTo("snyk");
            // a container report's applications are extra projects beyond SOURCES.md's top-level counts
            List<Finding> topLevel = findings.stream()
                    .filter(f -> !name.startsWith("snykcontainer") || f.target().startsWith("docker-image|")).toList();
            Map<Severity, Long> paths = new LinkedHashMap<>();
            topLevel.forEach(f -> paths.merge(f.severity(), (long) f.pathCount(), Long::sum));
            if (stated.containsKey(name)) {
                assertThat(paths).as(name + " entries by severity").isEqualTo(stated.get(name));
                assertThat(topLevel).as(name + " distinct findings (Snyk's uniqueCount)").hasSize(unique.get(name));
            }
        }
    }

    private static Path sharedSnyk() {
        Path trivy = SharedFixturesTest.sharedFixtures();
        Path snyk = trivy == null ? Path.of("/work/shared/fixtures/snyk") : trivy.resolveSibling("snyk");
        return Files.isDirectory(snyk) ? snyk : null;
    }

    private static void assertUsage(String fixture, String message) {
        assertThatThrownBy(() -> Fixtures.findings(fixture)).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining(message);
    }

    private static String render(String format, ScanReport r) {
        StringWriter out = new StringWriter();
        ScanRenderers.get(format).render(r, new PrintWriter(out), false);
        return out.toString();
    }

}
