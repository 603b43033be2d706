package com.koreapublicdata.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.plan.PlanRequest;
import com.koreapublicdata.pipeline.plan.Planner;

class RunnerTest {
    private static final KoreaConfig CONFIG = new ConfigLoader().load(
            Path.of(System.getProperty("korea.project.dir", ".")).resolve("examples/monorepo/korea.yaml")).config();

    /** Scripted steps: each component passes unless told otherwise; records what was called. */
    static final class Steps implements ComponentSteps {
        final Map<String, StageResult> testOutcome = new ConcurrentHashMap<>();
        final Map<String, StageResult> scanOutcome = new ConcurrentHashMap<>();
        final Map<String, StageResult> promoteOutcome = new ConcurrentHashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<Approval> approvals = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothBuilding;

        @Override
        public BuildStep build(String component) {
            calls.add("build " + component);
            if (bothBuilding != null) {
                bothBuilding.countDown();
                try {
                    assertThat(bothBuilding.await(5, TimeUnit.SECONDS)).as("components build in parallel").isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            StageResult test = testOutcome.getOrDefault(component, StageResult.passed("test", 1, null));
            if (test.status().blocks()) {
                return new BuildStep(List.of(test, StageResult.notRun("build", "tests failed")), null);
            }
            return new BuildStep(List.of(test, StageResult.passed("build", 2, null)),
                    new BuiltImage(component + "@sha256:" + "a".repeat(64), "sha256:" + "a".repeat(64), null));
        }

        @Override
        public StageResult scan(String component, BuiltImage image, Environment environment) {
            calls.add("scan " + component);
            return scanOutcome.getOrDefault(component, StageResult.passed("scan", 1, null));
        }

        @Override
        public StageResult promote(String component, BuiltImage image, Environment environment, Approval approval) {
            calls.add("promote " + component + " to " + environment.name());
            approvals.add(approval);
            return promoteOutcome.getOrDefault(component, StageResult.passed("deploy", 3, null));
        }
    }

    private final Steps steps = new Steps();
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private RunResult run(String branch, ComponentSteps.Approval approval, Optional<String> prompted, String... changed) {
        Plan plan = new Planner().plan(CONFIG, new PlanRequest(branch, changed.length == 0 ? null : List.of(changed), null, "korea.yaml"));
        return new Runner(CONFIG, steps, (p, ready) -> prompted, progress::add, Clock.systemUTC(), 2).run(plan, approval);
    }

    @Test
    void shouldTestBuildScanAndDeployEveryComponentInParallelOnDevelop() {
        steps.bothBuilding = new CountDownLatch(2);

        RunResult result = run("develop", null, Optional.empty());

        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(result.environment()).isEqualTo("development");
        assertThat(result.stageNames()).containsExactly("test", "build", "scan", "deploy");
        assertThat(result.components()).allSatisfy(c -> assertThat(c.worst()).isEqualTo(StageResult.Status.PASSED));
        assertThat(steps.calls).contains("promote frontend to development", "promote backend to development");
        assertThat(steps.approvals).allSatisfy(a -> assertThat(a.approver()).isNull());
    }

    @Test
    void shouldStopAFailingComponentAtItsTestStageAndLeaveTheOtherAlone() {
        steps.testOutcome.put("frontend", StageResult.failed("test", 1, "npm test failed: greeting.test.js", ExitCode.FAILURE));

        RunResult result = run("develop", null, Optional.empty());

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        ComponentRun frontend = result.components().get(0);
        assertThat(frontend.stage("test").orElseThrow().detail()).contains("greeting.test.js");
        assertThat(frontend.stage("scan").orElseThrow().status()).isEqualTo(StageResult.Status.NOT_RUN);
        assertThat(frontend.stage("deploy").orElseThrow().status()).isEqualTo(StageResult.Status.NOT_RUN);
        assertThat(steps.calls).doesNotContain("scan frontend", "promote frontend to development")
                .contains("promote backend to development");

        StringWriter table = new StringWriter();
        new SummaryTable(false).print(new PrintWriter(table), result);
        assertThat(table.toString()).contains("frontend   failed  not run  not run  not run",
                "frontend test failed: npm test failed: greeting.test.js");
    }

    @Test
    void shouldRefuseProductionWithoutApprovalAndDeployNothing() {
        RunResult result = run("main", null, Optional.empty());

        assertThat(result.exitCode()).isEqualTo(ExitCode.GATE_REFUSED);
        assertThat(result.components()).allSatisfy(c -> {
            assertThat(c.stage("deploy").orElseThrow().status()).isEqualTo(StageResult.Status.REFUSED);
            assertThat(c.stage("deploy").orElseThrow().detail()).contains("needs approval from ops-team");
        });
        assertThat(steps.calls).noneMatch(c -> c.startsWith("promote"));
    }

    @Test
    void shouldPassTheApproverToEveryPromotion() {
        RunResult given = run("main", new ComponentSteps.Approval("kim", "jenkins-input"), Optional.empty(), "be/app.py");

        assertThat(given.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(steps.approvals).singleElement().isEqualTo(new ComponentSteps.Approval("kim", "jenkins-input"));
        assertThat(given.notes()).contains("production approved by kim (jenkins-input)");

        steps.approvals.clear();
        RunResult prompted = run("main", null, Optional.of("lee"), "fe/x.js");
        assertThat(prompted.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(steps.approvals).singleElement().isEqualTo(new ComponentSteps.Approval("lee", "cli"));
    }

    @Test
    void shouldNotDeployFromABranchWithoutEnvironment() {
        RunResult result = run("feature/x", null, Optional.empty(), "fe/src/server.js");

        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(result.stageNames()).containsExactly("test", "build", "scan");
        assertThat(result.components()).extracting(ComponentRun::component).containsExactly("frontend");
    }

    @Test
    void shouldKeepARefusedScanFromDeployingAndLetTheWorstExitCodeWin() {
        steps.scanOutcome.put("frontend", StageResult.failed("scan", 1, "2 CRITICAL", ExitCode.GATE_REFUSED));
        steps.promoteOutcome.put("backend", StageResult.failed("deploy", 5, "error rate 9% > 5%, rolled back", ExitCode.ROLLED_BACK));

        RunResult result = run("staging", null, Optional.empty());

        assertThat(result.components().get(0).stage("deploy").orElseThrow().status()).isEqualTo(StageResult.Status.NOT_RUN);
        assertThat(result.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(result.headline()).startsWith("deploy failed and was rolled back");
    }

    @Test
    void shouldDoNothingWhenNoComponentIsAffected() {
        RunResult result = run("develop", null, Optional.empty(), "docs/readme.md");

        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(result.components()).isEmpty();
        assertThat(result.notes()).singleElement().asString().contains("no changed file matches");
        assertThat(steps.calls).isEmpty();
    }
}
