package com.koreapublicdata.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;

class PlannerTest {
    private static final KoreaConfig EXAMPLE = new ConfigLoader().load(
            java.nio.file.Path.of(System.getProperty("korea.project.dir", ".")).resolve("examples/monorepo/korea.yaml")).config();

    private final Planner planner = new Planner();

    private Plan plan(String branch, String... changed) {
        return planner.plan(EXAMPLE, new PlanRequest(branch, changed == null ? null : List.of(changed), "abc123", "korea.yaml"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "main, production, true",
        "refs/heads/main, production, true",
        "develop, development, false",
        "staging, staging, false",
        "feature/x, none, false",
        "main-old, none, false",
        "Main, none, false",
    })
    void shouldPickTheEnvironmentFromTheBranch(String branch, String environment, boolean approval) {
        Plan plan = plan(branch, "be/app.py");

        assertThat(plan.environment()).isEqualTo(environment);
        assertThat(plan.approval().required()).isEqualTo(approval);
        assertThat(plan.stages()).contains("test", "build", "scan");
        assertThat(plan.stages().contains("deploy")).isEqualTo(environment != null);
        assertThat(plan.stages().contains("approve")).isEqualTo(approval);
    }

    @Test
    void shouldPlanABackendChangeOnMainAsAnApprovedCanaryToProduction() {
        Plan plan = plan("main", "be/app.py");

        assertThat(plan.environment()).isEqualTo("production");
        assertThat(plan.components()).extracting(Plan.PlannedComponent::name).containsExactly("backend");
        assertThat(plan.components().get(0).strategy()).isEqualTo(Strategy.CANARY);
        assertThat(plan.components().get(0).target()).isEqualTo("kubernetes");
        assertThat(plan.components().get(0).namespace()).isEqualTo("korea-prod");
        assertThat(plan.components().get(0).changes()).containsExactly("be/app.py");
        assertThat(plan.approval().required()).isTrue();
        assertThat(plan.approval().submitters()).containsExactly("ops-team");
        assertThat(plan.approval().timeoutMinutes()).isEqualTo(24 * 60);
        assertThat(plan.stages()).containsExactly("test", "build", "scan", "approve", "deploy");
        assertThat(plan.commit()).isEqualTo("abc123");
    }

    @Test
    void shouldUseEachComponentsStrategyInTheEnvironment() {
        Plan staging = plan("staging", "fe/src/server.js", "be/app/main.py");
        Plan development = plan("develop", "fe/src/server.js", "be/app/main.py");

        assertThat(staging.components()).extracting(Plan.PlannedComponent::name, Plan.PlannedComponent::strategy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("frontend", Strategy.BLUEGREEN),
                        org.assertj.core.groups.Tuple.tuple("backend", Strategy.CANARY));
        assertThat(development.components()).allSatisfy(c -> {
            assertThat(c.strategy()).isEqualTo(Strategy.ROLLING);
            assertThat(c.target()).isEqualTo("gitops");
        });
    }

    @Test
    void shouldLeaveOutDeployOnABranchWithoutEnvironment() {
        Plan plan = plan("feature/x", "fe/src/app.js");

        assertThat(plan.environment()).isNull();
        assertThat(plan.deploys()).isFalse();
        assertThat(plan.stages()).containsExactly("test", "build", "scan");
        assertThat(plan.components()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("frontend");
            assertThat(c.strategy()).isNull();
        });
        assertThat(plan.reason()).contains("deploys nowhere");
    }

    @Test
    void shouldAffectEveryComponentWhenKoreaYamlChangesOrNoChangesAreKnown() {
        assertThat(plan("develop", "korea.yaml").components()).extracting(Plan.PlannedComponent::name)
                .containsExactly("frontend", "backend");
        assertThat(plan("develop", (String[]) null).components()).hasSize(2);
        assertThat(plan("develop", (String[]) null).reason()).contains("no change list");
    }

    @Test
    void shouldPlanNothingWhenNoChangedFileMatches() {
        Plan plan = plan("main", "docs/readme.md", "fe-legacy/app.js", "README.md");

        assertThat(plan.components()).isEmpty();
        assertThat(plan.stages()).isEmpty();
        assertThat(plan.deploys()).isFalse();
        assertThat(plan.reason()).contains("no changed file matches");
    }

    @Test
    void shouldPlanSeveralComponentsInConfigOrder() {
        Plan plan = plan("staging", "be/app.py", "docs/x.md", "fe/package.json");

        assertThat(plan.components()).extracting(Plan.PlannedComponent::name).containsExactly("frontend", "backend");
        assertThat(plan.components().get(0).changes()).containsExactly("fe/package.json");
        assertThat(plan.components().get(1).changes()).containsExactly("be/app.py");
    }

    @Test
    void shouldMatchBranchGlobsAndTakeTheFirstEnvironmentInOrder() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("plan");
        java.nio.file.Path file = dir.resolve("korea.yaml");
        java.nio.file.Files.writeString(file, """
                project: shop
                components:
                  api: {paths: ["**"]}
                environments:
                  hotfix: {branches: ["hotfix/*"]}
                  release: {branches: ["release/**", "hotfix/urgent"]}
                """);
        KoreaConfig config = new ConfigLoader().load(file).config();

        assertThat(planner.environmentFor(config, "release/2026/11")).get().extracting(e -> e.name()).isEqualTo("release");
        assertThat(planner.environmentFor(config, "hotfix/urgent")).get().extracting(e -> e.name()).isEqualTo("hotfix");
        assertThat(planner.environmentFor(config, "hotfix/a/b")).isEmpty();
        assertThat(planner.plan(config, new PlanRequest("release/1", List.of("any/file"), null, "korea.yaml"))
                .components()).hasSize(1);
    }
}
