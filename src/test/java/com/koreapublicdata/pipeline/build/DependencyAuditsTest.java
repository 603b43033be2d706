package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.build.BuildResult.AuditResult;
import com.koreapublicdata.pipeline.config.ComponentKind;
import com.koreapublicdata.pipeline.config.Severity;

class DependencyAuditsTest {
    private static final Set<Severity> SEED_GATE = EnumSet.of(Severity.CRITICAL, Severity.HIGH, Severity.UNKNOWN);

    @Test
    void shouldBlockOnHighNpmFindings() {
        AuditResult result = DependencyAudits.npmAudit(Fixtures.resource("npm-audit-high.json"), "", SEED_GATE);
        assertThat(result.status()).isEqualTo("ran");
        assertThat(result.findings()).containsEntry("HIGH", 1).containsEntry("CRITICAL", 0);
        assertThat(result.blocking()).isTrue();
        assertThat(result.message()).contains("1 HIGH");
    }

    @Test
    void shouldPassModerateNpmFindings() {
        AuditResult result = DependencyAudits.npmAudit(Fixtures.resource("npm-audit-moderate.json"), "", SEED_GATE);
        assertThat(result.findings()).containsEntry("MEDIUM", 1).containsEntry("HIGH", 0);
        assertThat(result.blocking()).isFalse();
    }

    @Test
    void shouldFollowTheConfiguredGate() {
        AuditResult result = DependencyAudits.npmAudit(Fixtures.resource("npm-audit-moderate.json"), "",
                EnumSet.of(Severity.MEDIUM));
        assertThat(result.blocking()).isTrue();
    }

    @Test
    void shouldReportAnUnreachableRegistryAsUnavailableNotAsAPass() {
        AuditResult result = DependencyAudits.npmAudit(Fixtures.resource("npm-audit-offline.json"),
                "npm error audit endpoint returned an error", SEED_GATE);
        assertThat(result.status()).isEqualTo("unavailable");
        assertThat(result.findings()).isEmpty();
        assertThat(result.message()).contains("ECONNREFUSED");
    }

    @Test
    void shouldReportNoJsonAtAllAsUnavailable() {
        AuditResult result = DependencyAudits.npmAudit("", "npm ERR! network timeout", SEED_GATE);
        assertThat(result.status()).isEqualTo("unavailable");
        assertThat(result.message()).contains("network timeout");
    }

    @Test
    void shouldCountBanditSeverities() {
        AuditResult result = DependencyAudits.bandit(Fixtures.resource("bandit-high.json"), "", SEED_GATE);
        assertThat(result.findings()).containsEntry("HIGH", 1).containsEntry("LOW", 1);
        assertThat(result.blocking()).isTrue();
    }

    @Test
    void shouldCountPipAuditFindingsAsUnknownSeverity() {
        String report = """
                {"dependencies": [
                  {"name": "flask", "version": "0.5", "vulns": [{"id": "PYSEC-2019-179", "fix_versions": ["1.0"]},
                                                                {"id": "PYSEC-2018-66", "fix_versions": ["0.12.3"]}]},
                  {"name": "requests", "version": "2.32.0", "vulns": []}], "fixes": []}
                """;
        AuditResult blocked = DependencyAudits.pythonVulnerabilities("pip-audit", report, "", SEED_GATE);
        assertThat(blocked.findings()).containsEntry("UNKNOWN", 2);
        assertThat(blocked.blocking()).isTrue();
        AuditResult allowed = DependencyAudits.pythonVulnerabilities("pip-audit", report, "",
                EnumSet.of(Severity.CRITICAL, Severity.HIGH));
        assertThat(allowed.blocking()).isFalse();
    }

    @Test
    void shouldReportMissingAuditorsByName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("requirements.txt"), "");
        Path emptyBin = Files.createDirectories(dir.resolve("bin"));
        DependencyAudits audits = new DependencyAudits(new ProcessCommandRunner(),
                Fixtures.envWithPath(emptyBin.toString()), SEED_GATE);

        List<AuditResult> python = audits.audit(ComponentKind.PYTHON, dir, line -> { });
        assertThat(python).extracting(AuditResult::auditor).containsExactly("bandit", "pip-audit");
        assertThat(python).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo("missing");
            assertThat(a.blocking()).isFalse();
        });
        List<AuditResult> node = audits.audit(ComponentKind.NODE, dir, line -> { });
        assertThat(node).singleElement().satisfies(a -> {
            assertThat(a.auditor()).isEqualTo("npm-audit");
            assertThat(a.status()).isEqualTo("missing");
        });
    }

    @Test
    void shouldRunAnInstalledAuditorAndParseItsOutput(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("package-lock.json"), "{}");
        Path report = dir.resolve("report.json");
        Files.writeString(report, Fixtures.resource("npm-audit-high.json"));
        Path bin = dir.resolve("bin");
        // npm audit exits 1 when it finds something at --audit-level; the JSON decides, not the exit code
        Fixtures.program(bin, "npm", "[ \"$1\" = audit ] || exit 9\ncat '" + report + "'\nexit 1");
        DependencyAudits audits = new DependencyAudits(new ProcessCommandRunner(),
                Fixtures.envWithPath(bin + ":/usr/bin:/bin"), SEED_GATE);
        List<AuditResult> node = audits.audit(ComponentKind.NODE, dir, line -> { });
        assertThat(node).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("ran");
            assertThat(a.blocking()).isTrue();
        });
    }
}
