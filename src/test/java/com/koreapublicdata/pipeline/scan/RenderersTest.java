package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;

class RenderersTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void shouldRenderJsonWithTheContractShape() throws IOException {
        ScanReport r = failing();
        JsonNode json = new ObjectMapper().readTree(render("json", r));

        assertThat(json.get("verdict").asText()).isEqualTo("fail");
        assertThat(json.at("/counts/vulnerabilities/CRITICAL").asLong()).isEqualTo(2);
        assertThat(json.at("/counts/misconfigurations/HIGH").asLong()).isEqualTo(1);
        assertThat(json.at("/counts/secrets/CRITICAL").asLong()).isEqualTo(1);
        assertThat(json.get("counts").get("vulnerabilities").fieldNames()).toIterable()
                .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");
        assertThat(json.get("blocking")).hasSize(8);
        JsonNode first = json.get("blocking").get(0);
        assertThat(first.get("kind").asText()).isIn("vulnerability", "secret");
        assertThat(first.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(json.get("suppressed").get(0).get("reason").asText()).isEqualTo("ignore-file");
        assertThat(json.get("suppressed").get(0).get("rule").asText()).isEqualTo(".trivyignore:1");
        assertThat(json.at("/policy/failOn").toString()).isEqualTo("[\"CRITICAL\",\"HIGH\",\"UNKNOWN\"]");
        assertThat(json.at("/reports/0/format").asText()).isEqualTo("trivy");
    }

    @Test
    void shouldRenderJsonExactlyAsTheObjectMapperDid() throws IOException {
        // the streaming writer must not change a byte of what the Jenkins step and other tools read
        Path ignore = write(".trivyignore", "CVE-2021-44228 exp:2027-01-01 # only the test classpath\n"
                + "CVE-2024-0002 exp:2026-01-01 # lapsed\n");
        ScanPolicy policy = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, null, List.of("will_not_fix"),
                ignore, null, null, 3), tmp);
        Path hostile = write("hostile.json", "{\"ArtifactName\":\"x\",\"Results\":[{\"Target\":\"\u00e9 \\\"t\\\"\","
                + "\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"InstalledVersion\":\"1\","
                + "\"FixedVersion\":\"2\",\"Severity\":\"HIGH\",\"Title\":\"a & b <c> \\u0001 \\u2028\"}]}]}");
        Gate gate = new Gate(policy, NOW);
        ReportReader reader = new ReportReader();
        List<ReportInfo> infos = List.of(reader.read(Fixtures.path("trivy-0.58-image.json"), gate),
                reader.read(hostile, gate));
        for (ScanReport r : List.of(gate.report(infos), failing(), passing())) {
            String expected = new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(JsonRenderer.view(r)) + System.lineSeparator();
            assertThat(render("json", r)).isEqualTo(expected);
        }
        assertThat(render("json", gate.report(infos))).contains("\"expiredIgnores\" : [ {", "\"matched\" : 1",
                "\"outcome\" : \"refused\"", "\"target\" : \"\u00e9 \\\"t\\\"\"",
                "the 3 most severe are listed");
    }

    @Test
    void shouldRenderTextWithSummaryBlockingAndSuppressions() throws IOException {
        String text = render("text", failing());
        assertThat(text).contains("Security gate: FAIL -- 8 findings block", "fail on CRITICAL, HIGH, UNKNOWN",
                "vulnerabilities", "By target", "Blocking (8)", "CVE-2024-0001  openssl 3.0.15-1 -> fixed in 3.0.15-2",
                "CVE-2024-0002  libc6 2.36-9 (no fix)", "Suppressed (2)", "ignored by .trivyignore:1",
                "Scan record: none -- the gate failed");
        assertThat(text.indexOf("Blocking")).isLessThan(text.indexOf("Suppressed"));
        assertThat(text).doesNotContain("\u001b[");
        StringWriter colored = new StringWriter();
        ScanRenderers.get("text").render(failing(), new PrintWriter(colored), true);
        assertThat(colored.toString()).contains("\u001b[31;1mFAIL");
    }

    @Test
    void shouldRenderSarif210ForCodeScanning() throws IOException {
        JsonNode sarif = new ObjectMapper().readTree(render("sarif", failing()));
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = sarif.get("runs").get(0);
        JsonNode rules = run.at("/tool/driver/rules");
        JsonNode results = run.get("results");
        assertThat(results).hasSize(8 + 2);
        for (JsonNode result : results) {
            JsonNode rule = rules.get(result.get("ruleIndex").asInt());
            assertThat(rule.get("id").asText()).isEqualTo(result.get("ruleId").asText());
            assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).doesNotContain(" ");
        }
        JsonNode log4j = findRule(rules, "CVE-2021-44228");
        assertThat(log4j.at("/properties/security-severity").asText()).isEqualTo("9.5");
        assertThat(log4j.at("/properties/tags/2").asText()).isEqualTo("CRITICAL");
        assertThat(log4j.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        assertThat(findRule(rules, "CVE-2024-0005").at("/defaultConfiguration/level").asText()).isEqualTo("note");
        // the same CVE in two jars is one rule with two results
        assertThat(rules.findValuesAsText("id").stream().filter("CVE-2021-44228"::equals)).hasSize(1);
        JsonNode suppressed = results.get(results.size() - 1);
        assertThat(suppressed.at("/suppressions/0/kind").asText()).isEqualTo("external");
        JsonNode secret = findResult(results, "aws-access-key-id");
        assertThat(secret.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(12);
    }

    @Test
    void shouldWriteSarifKeysInTheSameOrderOnEveryRun() throws IOException {
        // Map.of iterates in an order salted per JVM, so a multi-key Map.of made the bytes differ between runs
        JsonNode run = new ObjectMapper().readTree(render("sarif", failing())).get("runs").get(0);
        JsonNode rule = run.at("/tool/driver/rules/0");
        assertThat(fieldNames(rule.get("help"))).containsExactly("text", "markdown");
        JsonNode results = run.get("results");
        assertThat(fieldNames(results.get(0).at("/locations/0/physicalLocation/artifactLocation")))
                .containsExactly("uri", "uriBaseId");
        assertThat(fieldNames(results.get(results.size() - 1).at("/suppressions/0")))
                .containsExactly("kind", "status", "justification");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldRenderJunitWithAFailedTestCasePerBlockingFinding() throws Exception {
        Document doc = xml(render("junit", failing()));
        NodeList cases = doc.getElementsByTagName("testcase");
        NodeList failures = doc.getElementsByTagName("failure");
        NodeList skipped = doc.getElementsByTagName("skipped");
        assertThat(failures.getLength()).isEqualTo(8);
        assertThat(skipped.getLength()).isEqualTo(2);
        assertThat(cases.getLength()).isEqualTo(10);
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("failures")).isEqualTo("8");
        Element firstFailure = (Element) failures.item(0);
        assertThat(firstFailure.getAttribute("type")).isEqualTo("CRITICAL");
        assertThat(firstFailure.getTextContent()).contains("Installed:", "Fixed in:");

        Document passing = xml(render("junit", passing()));
        assertThat(passing.getElementsByTagName("failure").getLength()).isZero();
        assertThat(passing.getElementsByTagName("testcase").getLength()).isEqualTo(1);
    }

    @Test
    void shouldRenderJunitForTruncatedDetailsAsOneMoreFailure() throws Exception {
        ScanPolicy policy = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, null, null, null,
                null, null, 2), tmp);
        Document doc = xml(render("junit", Fixtures.gate(policy, NOW, "trivy-0.58-image.json")));
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(3);
        assertThat(doc.getDocumentElement().getTextContent() + attributes(doc)).contains("8 more blocking findings");
    }

    @Test
    void shouldRenderOneSelfContainedHtmlPageWithAChart() throws IOException {
        String html = render("html", failing());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<rect", "CRITICAL: 3", "FAIL",
                "CVE-2021-44228", "Suppressed (2)").doesNotContain("<script", "src=\"http", "<link");
    }

    @Test
    void shouldEscapeMarkupInHtmlAndJunit() throws Exception {
        Path report = write("hostile.json", "{\"ArtifactName\":\"x\",\"Results\":[{\"Target\":\"<img onerror=alert(1)>\","
                + "\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"InstalledVersion\":\"1\","
                + "\"Severity\":\"HIGH\",\"Title\":\"a & b <c> \\u0001\"}]}]}");
        Gate gate = new Gate(Fixtures.defaults(), NOW);
        new ReportReader().read(report, gate);
        ScanReport r = gate.report(List.of());
        assertThat(render("html", r)).contains("&lt;img onerror=alert(1)&gt;", "a &amp; b &lt;c&gt;")
                .doesNotContain("<img");
        assertThat(xml(render("junit", r)).getElementsByTagName("failure").getLength()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        assertThatThrownBy(() -> ScanRenderers.get("pdf")).isInstanceOf(KoreaException.class)
                .hasMessageContaining("text, json, sarif, junit, html");
    }

    private ScanReport failing() throws IOException {
        Path ignore = write(".trivyignore", "CVE-2021-44228 exp:2027-01-01 # only the test classpath\n");
        ScanPolicy policy = ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(null, null, null, ignore,
                null, null, null), tmp);
        return Fixtures.gate(policy, NOW, "trivy-0.58-image.json");
    }

    private ScanReport passing() {
        return Fixtures.gate(ScanPolicy.from(ScanSettings.defaults(), new ScanPolicy.Overrides(
                List.of(com.koreapublicdata.pipeline.config.Severity.UNKNOWN), null, null, null, null, null, null),
                tmp), NOW, "trivy-0.18-legacy.json");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static String render(String format, ScanReport r) {
        StringWriter out = new StringWriter();
        ScanRenderers.get(format).render(r, new PrintWriter(out), false);
        return out.toString();
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String attributes(Document doc) {
        StringBuilder sb = new StringBuilder();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            sb.append(((Element) cases.item(i)).getAttribute("name")).append('\n');
        }
        return sb.toString();
    }

    private static JsonNode findRule(JsonNode rules, String id) {
        for (JsonNode rule : rules) {
            if (rule.get("id").asText().equals(id)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + id);
    }

    private static JsonNode findResult(JsonNode results, String id) {
        for (JsonNode result : results) {
            if (result.get("ruleId").asText().equals(id)) {
                return result;
            }
        }
        throw new AssertionError("no result " + id);
    }
}
