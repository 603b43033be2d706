package com.koreapublicdata.pipeline.jenkins;

import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository's own Jenkinsfile and examples/Jenkinsfile run on the harness. */
class JenkinsfilesTest {
    private static final Path ROOT = Canned.libraryRoot();

    /** The real engine's plan of the example monorepo, so the example runs against what korea prints. */
    private static String realPlan(String branch) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), ROOT, Clock.systemUTC(),
                false), "plan", "-c", "examples/monorepo/korea.yaml", "--branch", branch, "--format", "json");
        assertThat(exit).as(err.toString()).isZero();
        // The shared contract's fields, where this engine does not write them yet (the engine branch adds them).
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) new groovy.json.JsonSlurperClassic().parseText(out.toString());
        Canned.result("passed", false, String.valueOf(plan.get("reason")), Map.of()).forEach(plan::putIfAbsent);
        return Canned.json(plan);
    }

    @Test
    void shouldRunTheExampleJenkinsfileOnMainWithTheRealPlan() {
        PipelineHarness h = Canned.harness("main").answerInput(PipelineHarness.InputAnswer.approve("ops-lead", "release 1.2"));
        h.korea("plan", 0, realPlan("main"));

        PipelineHarness.Run run = h.run(ROOT.resolve("examples/Jenkinsfile"));

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Approve production", "Deploy production");
        assertThat(run.calls("input").get(0).arg("submitter")).isEqualTo("ops-team");
        assertThat(run.calls("koreaPromote")).extracting(c -> c.arg("component")).containsExactly("frontend", "backend");
        assertThat(run.calls("sh")).allSatisfy(s -> assertThat(s.arg("label")).isNotNull());
    }

    @Test
    void shouldRunTheExampleJenkinsfileOnDevelopWithoutApproval() {
        PipelineHarness h = Canned.harness("develop");
        h.korea("plan", 0, realPlan("develop"));

        PipelineHarness.Run run = h.run(ROOT.resolve("examples/Jenkinsfile"));

        assertThat(run.stages()).containsExactly("Plan", "Test", "Build", "Scan", "Deploy development");
        assertThat(run.calls("input")).isEmpty();
    }

    @Test
    void shouldVerifyThisRepositoryWithItsOwnLibraryAndPublishTestsEvenWhenMavenFails() {
        PipelineHarness ok = Canned.harness("main").onSh(s -> s.script().equals("mvn -B verify"), s -> new PipelineHarness.ShResult(0, ""));
        ok.korea("plan", 0, realPlan("main"));
        PipelineHarness.Run passed = ok.run(ROOT.resolve("Jenkinsfile"));

        assertThat(passed.result()).isEqualTo("SUCCESS");
        assertThat(passed.calls("library")).singleElement().satisfies(l -> assertThat(l.arg("identifier"))
                .isEqualTo("korea-pipeline@main"));
        assertThat(passed.stages()).containsExactly("Checkout", "Verify", "Plan example");
        assertThat(passed.calls("sh").get(0).arg("script")).isEqualTo("mvn -B verify");
        assertThat(passed.koreaCommands()).containsExactly("plan");

        PipelineHarness failing = Canned.harness("main").onSh(s -> s.script().startsWith("mvn"),
                s -> new PipelineHarness.ShResult(1, ""));
        PipelineHarness.Run failed = failing.run(ROOT.resolve("Jenkinsfile"));

        assertThat(failed.result()).isEqualTo("FAILURE");
        assertThat(failed.calls("junit")).singleElement().satisfies(j -> assertThat(j.arg("testResults"))
                .isEqualTo("target/surefire-reports/*.xml"));
        assertThat(failed.stages()).doesNotContain("Plan example");
    }
}
