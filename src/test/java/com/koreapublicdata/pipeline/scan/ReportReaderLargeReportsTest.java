package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;

/**
 * What the reader does for large reports must not show in the result: it reads a large Trivy report in two parts
 * at once (LaterPart), and reads a vulnerability's text only when the gate may list it. Whatever the report
 * holds, the result must be the one that building every finding in one pass gives, byte for byte, and so must
 * every error.
 */
class ReportReaderLargeReportsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String[] SEVERITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", ""};
    private static final String[] STATUSES = {"fixed", "affected", "will_not_fix", "fixed"};

    @TempDir
    Path tmp;

    @Test
    void shouldGiveTheOnePassResultForACompactReport() throws IOException {
        // more targets than the gate lists one by one, more blocking and suppressed findings than it keeps
        Path report = write("compact.json", report(700, ",", ""));
        assertSameAsOnePass(report, policy(5), true);
        assertSameAsOnePass(report, ScanPolicy.from(ScanSettings.defaults(), ScanPolicy.Overrides.none(), tmp), true);
    }

    @Test
    void shouldGiveTheOnePassResultForAnIndentedReport() throws IOException {
        // as Trivy writes it: an entry starts with "},\n    {\n      \"Target\": "
        assertSameAsOnePass(write("indented.json", report(40, ",\n    ", "\n      ")), policy(3), true);
    }

    @Test
    void shouldGiveTheOnePassResultForAFewTargets() throws IOException {
        assertSameAsOnePass(write("few.json", report(3, ",", "")), policy(1000), true);
        assertSameAsOnePass(Fixtures.path("trivy-0.58-image.json"), policy(1000), true);
    }

    @Test
    void shouldListWhatBuildingEveryFindingLists() throws IOException {
        String json = report(200, ",", "");
        // one late finding with a status that is ignored: listed as suppressed long after the blocking list is full
        int late = json.lastIndexOf("\"Status\":\"affected\"");
        Path report = write("every.json", json.substring(0, late) + "\"Status\":\"end_of_life\""
                + json.substring(late + 19));
        ScanPolicy lateSuppressed = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, null,
                List.of("end_of_life"), null, null, null, 2), tmp);
        ScanPolicy onlyCounts = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, null, null,
                null, null, null, 2), tmp);
        ScanPolicy unfixed = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, true, null, null,
                null, null, 3), tmp);
        for (ScanPolicy policy : List.of(onlyCounts, unfixed, lateSuppressed, policy(2), policy(1000))) {
            Gate every = new Gate(policy, NOW);
            Consumer<Finding> buildsEvery = every::accept; // not the gate itself: the reader builds every finding
            List<ReportInfo> expected = List.of(new ReportReader(Long.MAX_VALUE).read(report, buildsEvery));
            Gate gate = new Gate(policy, NOW);
            List<ReportInfo> actual = List.of(new ReportReader(Long.MAX_VALUE).read(report, gate));
            assertThat(actual).isEqualTo(expected);
            assertThat(json(gate.report(actual))).isEqualTo(json(every.report(expected)));
        }
        Gate gate = new Gate(lateSuppressed, NOW);
        new ReportReader(Long.MAX_VALUE).read(report, gate);
        assertThat(gate.report(List.of()).suppressed()).singleElement()
                .satisfies(s -> assertThat(s.finding().title()).startsWith("t "));
    }

    @Test
    void shouldReadInOnePassWhenTheMiddleIsNotAnEntryOfResults() throws IOException {
        // one result whose (unused) vulnerability field "Target" looks like the start of an entry
        StringBuilder json = new StringBuilder("{\"ArtifactName\":\"one\",\"Results\":[{\"Target\":\"t\","
                + "\"Vulnerabilities\":[");
        for (int i = 0; i < 2000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Target\":\"x\",\"VulnerabilityID\":\"CVE-").append(i)
                    .append("\",\"PkgName\":\"p\",\"Severity\":\"").append(SEVERITIES[i % 5]).append("\"}");
        }
        json.append("]}]}");
        assertSameAsOnePass(write("one.json", json.toString()), policy(4), false);
    }

    @Test
    void shouldReadOtherShapesInOnePass() throws IOException {
        // entries that look like Results entries, but not of a Trivy schema 2 report's own Results
        String schema2 = report(30, ",", "");
        String results = schema2.substring(schema2.indexOf("\"Results\":[") + 10, schema2.length() - 1);
        assertSameAsOnePass(write("legacy.json", results), policy(3), false);
        for (String fixture : List.of("trivy-k8s-0.50.json", "trivy-k8s-0.29-split.json",
                "grype-0.74-image.json", "snyk-container.json")) {
            assertSameAsOnePass(Fixtures.path(fixture), policy(3), false);
        }
    }

    @Test
    void shouldReadKeysAfterResultsInOrder() throws IOException {
        String json = report(50, ",", "");
        json = json.substring(0, json.length() - 1) + ",\"ArtifactName\":\"after\",\"Trivy\":{\"Version\":\"0.60.0\"}}";
        ReportInfo info = assertSameAsOnePass(write("after.json", json), policy(3), false);
        assertThat(info.artifactName()).isEqualTo("after");
        assertThat(info.scannerVersion()).isEqualTo("0.60.0");
    }

    @Test
    void shouldNameTheSameProblemAsOnePassWhereverItIs() throws IOException {
        String json = report(60, ",", "");
        int late = json.lastIndexOf("\"Severity\":\"HIGH\"");
        int early = json.indexOf("\"Severity\":\"HIGH\"");
        assertSameError(write("late-severity.json", json.substring(0, late) + "\"Severity\":\"SEVERE\""
                + json.substring(late + 17)), "severity 'SEVERE'");
        assertSameError(write("early-severity.json", json.substring(0, early) + "\"Severity\":\"SEVERE\""
                + json.substring(early + 17)), "severity 'SEVERE'");
        assertSameError(write("truncated.json", json.substring(0, json.length() - 100)), "truncated JSON");
        assertSameError(write("trailing.json", json + "{}"), "unexpected content after the end of the report");
        assertSameError(write("broken.json", json.substring(0, late) + "\"Severity\"::" + json.substring(late + 11)),
                "invalid JSON");
        int lateId = json.lastIndexOf("\"VulnerabilityID\":\"");
        assertSameError(write("no-id.json", json.substring(0, lateId) + "\"VulnerabilityId\":\""
                + json.substring(lateId + 19)), "has no VulnerabilityID");
    }

    /** Trivy-like results; {@code between} separates entries, {@code indent} precedes each entry's first key. */
    private static String report(int results, String between, String indent) {
        StringBuilder json = new StringBuilder("{\"SchemaVersion\":2,\"Trivy\":{\"Version\":\"0.58.1\"},"
                + "\"ArtifactName\":\"registry.example.com/app:1\",\"Metadata\":{\"RepoDigests\":"
                + "[\"registry.example.com/app@" + Fixtures.DIGEST_A + "\"]},\"Results\":[");
        int n = 0;
        for (int r = 0; r < results; r++) {
            json.append(r == 0 ? "" : between).append('{').append(indent).append("\"Target\":");
            if (r % 17 == 5) {
                json.append("\"settings-").append(r).append(".py\",\"Class\":\"secret\",\"Secrets\":[{\"RuleID\":"
                        + "\"aws-access-key-id\",\"Severity\":\"CRITICAL\",\"Title\":\"AWS\",\"StartLine\":3}]}");
                continue;
            }
            if (r % 17 == 9) {
                json.append("\"Dockerfile.").append(r).append("\",\"Misconfigurations\":[{\"ID\":\"DS-0002\","
                        + "\"Severity\":\"HIGH\",\"Status\":\"FAIL\"},{\"ID\":\"DS-0001\",\"Severity\":\"LOW\","
                        + "\"Status\":\"PASS\"}]}");
                continue;
            }
            json.append("\"img (debian 12.8) layer ").append(r % 600).append("\",\"Packages\":[{\"Name\":\"p\"}],")
                    .append("\"Vulnerabilities\":[");
            for (int v = 0; v < 12; v++, n++) {
                json.append(v == 0 ? "" : ",").append("{\"VulnerabilityID\":\"CVE-2024-").append(n % 900)
                        .append("\",\"PkgName\":\"pkg").append(n % 40).append("\",\"PkgIdentifier\":{\"PURL\":"
                                + "\"pkg:deb/debian/pkg").append(n % 40).append("@1.0\"},\"InstalledVersion\":\"1.0\",")
                        .append(n % 3 == 0 ? "" : "\"FixedVersion\":\"1.1\",")
                        .append("\"Status\":\"").append(STATUSES[n % STATUSES.length]).append("\",")
                        .append("\"Title\":\"t ").append(n).append(" \\\"},{\\\"Target\\\":\\\"x\\\"\",")
                        .append("\"Description\":\"").append("long text, ".repeat(n % 7)).append("\",")
                        .append("\"Severity\":\"").append(SEVERITIES[n % SEVERITIES.length]).append("\"}");
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }

    /** Ignore rules (one lapsed), unfixed and a status ignored, and {@code maxDetails} kept in detail. */
    private ScanPolicy policy(int maxDetails) throws IOException {
        Path ignore = write(".trivyignore", "CVE-2024-7\nCVE-2024-8 exp:2026-01-01\naws-access-key-id exp:2027-01-01\n");
        return ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, true, List.of("will_not_fix"),
                ignore, null, null, maxDetails), tmp);
    }

    private static ReportInfo assertSameAsOnePass(Path report, ScanPolicy policy, boolean inTwoParts) {
        ReportReader onePass = new ReportReader(Long.MAX_VALUE);
        ReportReader twoParts = new ReportReader(0);
        Gate one = new Gate(policy, NOW);
        Consumer<Finding> buildsEvery = one::accept;
        Gate two = new Gate(policy, NOW);
        // a second report goes through the same gate after the first, as with --report a --report b
        List<ReportInfo> expected = List.of(onePass.read(report, buildsEvery), onePass.read(report, buildsEvery));
        List<ReportInfo> actual = List.of(twoParts.read(report, two), twoParts.read(report, two));
        assertThat(twoParts.readInTwoParts()).isEqualTo(inTwoParts ? 2 : 0);
        assertThat(actual).isEqualTo(expected);
        assertThat(json(two.report(actual))).isEqualTo(json(one.report(expected)));
        return actual.get(0);
    }

    private static void assertSameError(Path report, String expected) {
        KoreaException onePass = catchThrowableOfType(KoreaException.class,
                () -> new ReportReader(Long.MAX_VALUE).read(report, new Gate(policyWithoutFiles(), NOW)));
        KoreaException twoParts = catchThrowableOfType(KoreaException.class,
                () -> new ReportReader(0).read(report, new Gate(policyWithoutFiles(), NOW)));
        assertThat(onePass).hasMessageContaining(expected);
        assertThat(twoParts).hasMessage(onePass.getMessage());
        assertThat(twoParts.exitCode()).isEqualTo(onePass.exitCode());
    }

    private static ScanPolicy policyWithoutFiles() {
        return ScanPolicy.from(ScanSettings.defaults(), ScanPolicy.Overrides.none(), null);
    }

    private static String json(ScanReport r) {
        StringWriter out = new StringWriter();
        ScanRenderers.get("json").render(r, new PrintWriter(out), false);
        return out.toString();
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
