package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.Severity;

class GateTest {
    private static final String IMAGE = "trivy-0.58-image.json";
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void shouldCountEveryFindingAndBlockCriticalHighAndUnknownByDefault() {
        ScanReport r = Fixtures.gate(Fixtures.defaults(), NOW, IMAGE);

        assertThat(r.counts(FindingKind.VULNERABILITY)).isEqualTo(counts(4, 3, 2, 1, 1));
        assertThat(r.counts(FindingKind.MISCONFIGURATION)).isEqualTo(counts(0, 1, 0, 1, 0)); // PASS is not counted
        assertThat(r.counts(FindingKind.SECRET)).isEqualTo(counts(1, 0, 0, 0, 0));
        assertThat(r.counts(FindingKind.LICENSE)).isEqualTo(counts(0, 0, 0, 1, 0));
        assertThat(r.verdict()).isEqualTo("fail");
        // 4 critical + 3 high + 1 unknown vulnerabilities, the HIGH misconfiguration, the CRITICAL secret
        assertThat(r.blockingTotal()).isEqualTo(10);
        assertThat(r.blocking()).hasSize(10);
        assertThat(r.blocking()).extracting(Finding::severity).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(r.blocking()).extracting(Finding::id).contains("CVE-2024-0005", "DS-0002", "aws-access-key-id")
                .doesNotContain("DS-0026", "CVE-2024-0003");
        assertThat(r.suppressedTotal()).isZero();
    }

    @Test
    void shouldTreatFailOnAsTheExactSetNotAThreshold() {
        ScanReport onlyCritical = Fixtures.gate(policy(new ScanPolicy.Overrides(List.of(Severity.CRITICAL), null,
                null, null, null, null, null)), NOW, IMAGE);
        assertThat(onlyCritical.blocking()).extracting(Finding::severity).containsOnly(Severity.CRITICAL);
        assertThat(onlyCritical.blockingTotal()).isEqualTo(5);

        ScanReport onlyHigh = Fixtures.gate(policy(new ScanPolicy.Overrides(List.of(Severity.HIGH), null, null, null,
                null, null, null)), NOW, IMAGE);
        assertThat(onlyHigh.blocking()).extracting(Finding::severity).containsOnly(Severity.HIGH);
        assertThat(onlyHigh.blockingTotal()).isEqualTo(4);
    }

    @Test
    void shouldLetUnknownPassOnlyWhenAllowed() {
        ScanSettings allow = new ScanSettings(null, true, null, null, null, null, null, null);
        ScanReport r = Fixtures.gate(ScanPolicy.from(allow, ScanPolicy.Overrides.none(), null), NOW, IMAGE);
        assertThat(r.policy().blocking()).containsExactlyInAnyOrder(Severity.CRITICAL, Severity.HIGH);
        assertThat(r.blockingTotal()).isEqualTo(9);
        assertThat(r.blocking()).extracting(Finding::id).doesNotContain("CVE-2024-0005");
    }

    @Test
    void shouldIgnoreUnfixedByStatusOrByMissingFixedVersion() {
        ScanReport r = Fixtures.gate(policy(new ScanPolicy.Overrides(null, true, null, null, null, null, null)),
                NOW, IMAGE);

        // affected, will_not_fix, affected (status present, not fixed) and requests (no status, no FixedVersion)
        assertThat(r.suppressed()).extracting(s -> s.finding().id()).containsExactly("CVE-2024-0002",
                "CVE-2024-0003", "CVE-2024-0005", "CVE-2023-0101");
        assertThat(r.suppressed()).extracting(Suppression::reason).containsOnly("ignore-unfixed");
        assertThat(r.counts(FindingKind.VULNERABILITY)).isEqualTo(counts(4, 2, 0, 1, 0));
        // urllib3 has no Status (pre-0.44) but a FixedVersion: it is fixed and still blocks
        assertThat(r.blocking()).extracting(Finding::id).contains("CVE-2023-0100");
    }

    @Test
    void shouldIgnoreListedStatusesOnly() {
        ScanReport r = Fixtures.gate(policy(new ScanPolicy.Overrides(null, null, List.of("will_not_fix"), null, null,
                null, null)), NOW, IMAGE);
        assertThat(r.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.finding().id()).isEqualTo("CVE-2024-0003");
            assertThat(s.reason()).isEqualTo("ignore-status");
            assertThat(s.detail()).contains("will_not_fix");
        });
        assertThatThrownBy(() -> policy(new ScanPolicy.Overrides(null, null, List.of("wontfix"), null, null, null,
                null))).isInstanceOfSatisfying(KoreaException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("will_not_fix");
    }

    @Test
    void shouldCountButNotGateSecretsAndMisconfigurationsWhenSwitchedOff() {
        ScanReport r = Fixtures.gate(policy(new ScanPolicy.Overrides(null, null, null, null, false, false, null)),
                NOW, IMAGE);
        assertThat(r.counts(FindingKind.SECRET)).containsEntry(Severity.CRITICAL, 1L);
        assertThat(r.counts(FindingKind.MISCONFIGURATION)).containsEntry(Severity.HIGH, 1L);
        assertThat(r.blocking()).extracting(Finding::kind).containsOnly(FindingKind.VULNERABILITY);
        assertThat(r.blockingTotal()).isEqualTo(8);
    }

    @Test
    void shouldGateSecretsAndFailedMisconfigurationsAlone() throws IOException {
        Path secrets = write("secret.json", "{\"ArtifactName\":\".\",\"Results\":[{\"Target\":\"k.pem\",\"Class\":\"secret\","
                + "\"Secrets\":[{\"RuleID\":\"private-key\",\"Severity\":\"HIGH\",\"Title\":\"Asymmetric Private Key\"}]},"
                + "{\"Target\":\"Dockerfile\",\"Class\":\"config\",\"Misconfigurations\":["
                + "{\"ID\":\"DS-0002\",\"Severity\":\"CRITICAL\",\"Status\":\"PASS\"},"
                + "{\"ID\":\"DS-0005\",\"Severity\":\"MEDIUM\",\"Status\":\"FAIL\"},"
                + "{\"ID\":\"DS-0017\",\"Severity\":\"HIGH\",\"Status\":\"EXCEPTION\"}]}]}");
        Gate gate = new Gate(Fixtures.defaults(), NOW);
        new ReportReader().read(secrets, gate);
        ScanReport r = gate.report(List.of());
        assertThat(r.blocking()).extracting(Finding::id).containsExactly("private-key");
        assertThat(r.counts(FindingKind.MISCONFIGURATION)).isEqualTo(counts(0, 0, 1, 0, 0));

        Gate mediumToo = new Gate(policy(new ScanPolicy.Overrides(List.of(Severity.MEDIUM), null, null, null, null,
                null, null)), NOW);
        new ReportReader().read(secrets, mediumToo);
        assertThat(mediumToo.report(List.of()).blocking()).extracting(Finding::id).containsExactly("DS-0005");
    }

    @Test
    void shouldGateLicensesBySeverityAsTrivysExitCodeDoes() throws IOException {
        Path licenses = write("license.json", "{\"ArtifactName\":\".\",\"Results\":[{\"Target\":\"OS Packages\","
                + "\"Class\":\"license\",\"Licenses\":[{\"Severity\":\"HIGH\",\"Category\":\"restricted\","
                + "\"PkgName\":\"bash\",\"Name\":\"GPL-3.0-only\"}]}]}");
        Gate gate = new Gate(Fixtures.defaults(), NOW);
        new ReportReader().read(licenses, gate);
        assertThat(gate.report(List.of()).blocking()).extracting(Finding::id).containsExactly("GPL-3.0-only");
    }

    @Test
    void shouldApplyTrivyignoreWithExpiryOnTheBoundaryDate() throws IOException {
        Path ignore = write(".trivyignore", """
                # accepted risks
                CVE-2024-0001 exp:2026-11-21  # fix scheduled for the 21st
                CVE-2024-0002 exp:2026-11-20
                DS-0002
                aws-access-key-id exp:2026-13-01
                CVE-2021-44228
                """);
        ScanPolicy policy = policy(new ScanPolicy.Overrides(null, null, null, ignore, null, null, null));

        // the day before the expiry date, CVE-2024-0002 is still ignored
        ScanReport before = Fixtures.gate(policy, Instant.parse("2026-11-19T23:59:59Z"), IMAGE);
        assertThat(before.suppressed()).extracting(s -> s.finding().id()).contains("CVE-2024-0002");
        assertThat(before.expiredIgnores()).isEmpty();

        // from 00:00 UTC of the expiry date it no longer applies, blocks again and is reported as expired
        ScanReport on = Fixtures.gate(policy, Instant.parse("2026-11-20T00:00:00Z"), IMAGE);
        assertThat(on.suppressed()).extracting(s -> s.finding().id()).containsExactly("CVE-2024-0001",
                "CVE-2021-44228", "CVE-2021-44228", "DS-0002");
        assertThat(on.blocking()).extracting(Finding::id).contains("CVE-2024-0002", "aws-access-key-id")
                .doesNotContain("CVE-2024-0001", "CVE-2021-44228", "DS-0002");
        assertThat(on.expiredIgnores()).containsExactly(new ExpiredIgnore("CVE-2024-0002", "2026-11-20",
                ".trivyignore:3", null, 1));
        Suppression openssl = on.suppressed().get(0);
        assertThat(openssl.reason()).isEqualTo("ignore-file");
        assertThat(openssl.rule()).isEqualTo(".trivyignore:2");
        assertThat(openssl.expires()).isEqualTo("2026-11-21");
        assertThat(openssl.statement()).isEqualTo("fix scheduled for the 21st");
        assertThat(openssl.detail()).contains(".trivyignore:2", "until 2026-11-21");
        // the malformed date drops the line, as Trivy does, and says so
        assertThat(on.warnings()).anySatisfy(w -> assertThat(w).contains(".trivyignore:5", "aws-access-key-id"));
    }

    @Test
    void shouldApplyTrivyignoreYamlWithPathsPurlsAndKinds() throws IOException {
        Path ignore = write(".trivyignore.yaml", """
                vulnerabilities:
                  - id: CVE-2021-44228
                    paths: ["app/lib/**"]
                    statement: only the lib copy is loaded, and it has the JndiLookup class removed
                  - id: CVE-2024-0001
                    purls: ["pkg:deb/debian/openssl?arch=amd64"]
                    expired_at: 2026-12-01
                    statement: backport applied
                  - id: CVE-2024-0006
                    purls: ["pkg:deb/debian/perl-base@9.9"]
                  - id: CVE-2024-0004
                    purls: ["pkg:deb/debian/bash?arch=arm64"]
                  - id: CVE-2024-24790
                    paths: ["usr/local/**"]
                  - id: DS-0002
                misconfigurations:
                  - id: DS-0026
                    expired_at: 2026-01-01
                secrets:
                  - id: aws-access-key-id
                    paths: ["/app/config/*.py"]
                """);
        ScanReport r = Fixtures.gate(policy(new ScanPolicy.Overrides(null, null, null, ignore, null, null, null)),
                NOW, IMAGE);

        assertThat(r.suppressed()).extracting(s -> s.finding().id() + "@" + s.finding().location()).containsExactly(
                "CVE-2024-0001@registry.example.com/korea/backend:1.4.2 (debian 12.8)",
                "CVE-2021-44228@Java (app/lib/log4j-core-2.14.1.jar)",
                "aws-access-key-id@/app/config/settings.py:12",
                "CVE-2024-24790@usr/local/bin/app");
        assertThat(r.suppressed().get(1).statement()).startsWith("only the lib copy");
        assertThat(r.suppressed().get(1).rule()).isEqualTo(".trivyignore.yaml: vulnerabilities[0]");
        // the plugins copy of log4j, a purl with another version, other qualifiers, and a vulnerability rule
        // naming a misconfiguration id all still block
        assertThat(r.blocking()).extracting(Finding::location).contains("Java (app/plugins/log4j-core-2.14.1.jar)");
        assertThat(r.blocking()).extracting(Finding::id).contains("CVE-2024-0006", "DS-0002");
        assertThat(r.counts(FindingKind.VULNERABILITY)).containsEntry(Severity.LOW, 1L);
        assertThat(r.expiredIgnores()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("DS-0026");
            assertThat(e.matched()).isEqualTo(1);
            assertThat(e.source()).isEqualTo(".trivyignore.yaml: misconfigurations[0]");
        });
    }

    @Test
    void shouldMatchMisconfigurationsByAvdIdAlias() throws IOException {
        Path ignore = write(".trivyignore", "AVD-KSV-0014\n");
        ScanReport r = Fixtures.gate(policy(new ScanPolicy.Overrides(null, null, null, ignore, null, null, null)),
                NOW, "trivy-k8s-0.50.json");
        assertThat(r.suppressed()).extracting(s -> s.finding().id()).containsExactly("KSV-0014");
        assertThat(r.blocking()).extracting(Finding::id).containsExactly("CVE-2024-0001", "CVE-2024-0002");
    }

    @Test
    void shouldRejectBadIgnoreFiles() throws IOException {
        assertUsage(() -> IgnoreRules.load(tmp.resolve("missing.trivyignore"), true), "does not exist");
        assertThat(IgnoreRules.load(tmp.resolve("missing.trivyignore"), false).rules()).isEmpty();
        assertUsage(() -> IgnoreRules.load(write("a.yaml", "vulns:\n  - id: CVE-1\n"), true), "unknown key 'vulns'");
        assertUsage(() -> IgnoreRules.load(write("b.yaml", "secrets:\n  - id: x\n    purls: [pkg:npm/a]\n"), true),
                "vulnerabilities only");
        assertUsage(() -> IgnoreRules.load(write("c.yaml", "vulnerabilities:\n  - paths: [a]\n"), true), "needs an id");
        assertUsage(() -> IgnoreRules.load(write("d.yaml", "vulnerabilities:\n  - id: CVE-1\n    expired_at: soon\n"),
                true), "not a date");
        assertUsage(() -> IgnoreRules.load(write("e.yaml", "vulnerabilities:\n  - id: CVE-1\n    purls: [npm/a]\n"),
                true), "not a package URL");
        assertUsage(() -> IgnoreRules.load(write("f.yaml", "vulnerabilities:\n  - id: CVE-1\n    reason: x\n"), true),
                "reason is not a field");
    }

    @Test
    void shouldFindTheDefaultTrivyignoreNextToKoreaYamlOnly() throws IOException {
        Files.writeString(tmp.resolve(".trivyignore"), "CVE-2024-0001\n");
        ScanPolicy p = ScanPolicy.from(ScanSettings.defaults(), ScanPolicy.Overrides.none(), tmp);
        assertThat(p.ignores().rules()).extracting(IgnoreRule::id).containsExactly("CVE-2024-0001");
        ScanSettings configured = new ScanSettings(null, null, null, null, "security/ignore.yaml", null, null, null);
        assertUsage(() -> ScanPolicy.from(configured, ScanPolicy.Overrides.none(), tmp), "does not exist");
    }

    @Test
    void shouldKeepOnlyTheMostSevereDetailsOfAHugeReportButCountAll() throws IOException {
        StringBuilder json = new StringBuilder("{\"ArtifactName\":\"big\",\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[");
        String[] severities = {"LOW", "HIGH", "MEDIUM", "CRITICAL", "UNKNOWN"};
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"VulnerabilityID\":\"CVE-").append(i)
                    .append("\",\"PkgName\":\"p\",\"InstalledVersion\":\"1\",\"Severity\":\"")
                    .append(severities[i % 5]).append("\"}");
        }
        json.append("]}]}");
        ScanPolicy policy = policy(new ScanPolicy.Overrides(null, null, null, null, null, null, 7));
        Gate gate = new Gate(policy, NOW);
        new ReportReader().read("big.json", new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
                gate);
        ScanReport r = gate.report(List.of());
        assertThat(r.counts(FindingKind.VULNERABILITY)).isEqualTo(counts(4000, 4000, 4000, 4000, 4000));
        assertThat(r.blockingTotal()).isEqualTo(12_000);
        assertThat(r.blocking()).hasSize(7).extracting(Finding::severity).containsOnly(Severity.CRITICAL);
        assertThat(r.blocking()).extracting(Finding::id).containsExactly("CVE-3", "CVE-8", "CVE-13", "CVE-18",
                "CVE-23", "CVE-28", "CVE-33");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("12000 findings block"));
    }

    @Test
    void shouldRefuseAPolicyWithoutBlockingSeverities() {
        assertUsage(() -> policy(new ScanPolicy.Overrides(List.of(), null, null, null, null, null, null)),
                "at least one severity");
        assertUsage(() -> new ScanPolicy(Set.of(), false, Set.of(), true, true, null, 10), "at least one");
    }

    private ScanPolicy policy(ScanPolicy.Overrides overrides) {
        return ScanPolicy.from(ScanSettings.defaults(), overrides, tmp);
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertUsage(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining(message);
    }

    static Map<Severity, Long> counts(long critical, long high, long medium, long low, long unknown) {
        return Map.of(Severity.CRITICAL, critical, Severity.HIGH, high, Severity.MEDIUM, medium, Severity.LOW, low,
                Severity.UNKNOWN, unknown);
    }
}
