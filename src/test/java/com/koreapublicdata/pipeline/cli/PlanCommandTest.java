package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class PlanCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode planJson(String... args) throws Exception {
        CliRun run = CliRun.run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return json.readTree(run.out());
    }

    @Test
    void shouldPlanTheAcceptanceCaseOnMain() throws Exception {
        JsonNode plan = planJson("plan", "--config", CliRun.EXAMPLE, "--branch", "main", "--changed", "be/app.py",
                "--format", "json");

        assertThat(plan.get("environment").asText()).isEqualTo("production");
        assertThat(plan.get("components")).hasSize(1);
        assertThat(plan.at("/components/0/name").asText()).isEqualTo("backend");
        assertThat(plan.at("/components/0/strategy").asText()).isEqualTo("canary");
        assertThat(plan.at("/approval/required").asBoolean()).isTrue();
        assertThat(plan.at("/approval/submitters/0").asText()).isEqualTo("ops-team");
        assertThat(plan.get("stages").toString()).isEqualTo("[\"test\",\"build\",\"scan\",\"approve\",\"deploy\"]");
    }

    @Test
    void shouldPlanDevelopStagingAndFeatureBranches() throws Exception {
        JsonNode develop = planJson("plan", "-c", CliRun.EXAMPLE, "--branch", "develop", "--changed", "be/app.py", "--format", "json");
        JsonNode staging = planJson("plan", "-c", CliRun.EXAMPLE, "--branch", "staging", "--changed", "be/app.py", "--format", "json");
        JsonNode feature = planJson("plan", "-c", CliRun.EXAMPLE, "--branch", "feature/x", "--changed", "be/app.py", "--format", "json");

        assertThat(develop.get("environment").asText()).isEqualTo("development");
        assertThat(develop.at("/approval/required").asBoolean()).isFalse();
        assertThat(staging.get("environment").asText()).isEqualTo("staging");
        assertThat(feature.get("environment").isNull()).isTrue();
        assertThat(feature.get("stages").toString()).doesNotContain("deploy");
    }

    /** Issue 13: the plan carries its environment's team, the submitter of the steps' paused-rollout input. */
    @Test
    void shouldCarryTheEnvironmentsTeamForTheStepsInputs() throws Exception {
        Path config = dir.resolve("korea.yaml");
        Files.writeString(config, """
                project: shop
                components:
                  backend: {paths: [be/**]}
                environments:
                  development: {branches: [develop]}
                  staging: {branches: [staging], team: [qa-team, carol]}
                """);

        JsonNode staging = planJson("plan", "-c", config.toString(), "--branch", "staging", "--changed", "be/a.py", "--format", "json");
        JsonNode develop = planJson("plan", "-c", config.toString(), "--branch", "develop", "--changed", "be/a.py", "--format", "json");
        JsonNode feature = planJson("plan", "-c", config.toString(), "--branch", "feature/x", "--changed", "be/a.py", "--format", "json");

        assertThat(staging.get("team").toString()).isEqualTo("[\"qa-team\",\"carol\"]");
        assertThat(develop.get("team").toString()).as("no team: anyone").isEqualTo("[]");
        assertThat(feature.get("team").toString()).as("no environment").isEqualTo("[]");
    }

    @Test
    void shouldTreatAChangeToTheConfigGivenFromTheRepositoryRootAsAffectingAll() throws Exception {
        JsonNode plan = planJson("plan", "-c", CliRun.EXAMPLE, "--branch", "develop",
                "--changed", "examples/monorepo/korea.yaml", "--format", "json");

        assertThat(plan.get("components")).extracting(c -> c.get("name").asText()).containsExactly("frontend", "backend");
    }

    @Test
    void shouldTakeChangedFilesFromGitBetweenBaseAndHead() throws Exception {
        Path repo = dir.resolve("repo");
        Path app = repo.resolve("services");
        Files.createDirectories(app.resolve("fe"));
        Files.createDirectories(app.resolve("be"));
        Files.writeString(app.resolve("korea.yaml"), """
                project: shop
                components:
                  frontend: {paths: [fe/**]}
                  backend: {paths: [be/**]}
                environments:
                  development: {branches: [develop]}
                """);
        Files.writeString(app.resolve("fe/a.js"), "1");
        Files.writeString(app.resolve("be/a.py"), "1");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("develop").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setSign(false).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
            Files.writeString(app.resolve("be/a.py"), "2");
            Files.writeString(repo.resolve("OUTSIDE.md"), "x");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("second").setSign(false).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }

        CliRun run = CliRun.in(repo, Map.of(), "plan", "-c", "services/korea.yaml", "--base", "HEAD~1", "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = json.readTree(run.out());
        assertThat(plan.get("branch").asText()).isEqualTo("develop");
        assertThat(plan.get("environment").asText()).isEqualTo("development");
        assertThat(plan.get("commit").asText()).hasSize(40);
        assertThat(plan.get("components")).extracting(c -> c.get("name").asText()).containsExactly("backend");
        assertThat(plan.at("/components/0/changes").toString()).isEqualTo("[\"be/a.py\"]");

        CliRun badBase = CliRun.in(repo, Map.of(), "plan", "-c", "services/korea.yaml", "--base", "nope");
        assertThat(badBase.exitCode()).isEqualTo(2);
        assertThat(badBase.err()).contains("--base nope: no such revision");
    }

    @Test
    void shouldRefuseChangedTogetherWithBaseAndAMissingBranchOutsideGit() throws Exception {
        CliRun both = CliRun.run("plan", "-c", CliRun.EXAMPLE, "--branch", "main", "--changed", "x", "--base", "HEAD");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--changed and --base exclude each other");

        Files.copy(CliRun.PROJECT.resolve(CliRun.EXAMPLE), dir.resolve("korea.yaml"));
        CliRun noBranch = CliRun.in(dir, Map.of(), "plan");
        assertThat(noBranch.exitCode()).isEqualTo(2);
        assertThat(noBranch.err()).contains("--branch is required");
    }

    @Test
    void shouldPrintAReadableTextPlan() {
        CliRun run = CliRun.run("plan", "-c", CliRun.EXAMPLE, "--branch", "main", "--changed", "fe/src/server.js");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("environment: production", "component:   frontend (node) -> bluegreen via kubernetes in korea-prod",
                "approval:    required from ops-team", "stages:      test -> build -> scan -> approve -> deploy");
    }

    @Test
    void shouldWriteTheResultToOutputFile() throws Exception {
        Path target = dir.resolve("out/plan.json");
        CliRun run = CliRun.run("plan", "-c", CliRun.EXAMPLE, "--branch", "main", "--format", "json", "--output", target.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(json.readTree(target.toFile()).get("environment").asText()).isEqualTo("production");
    }

    @Test
    void shouldRejectAnUnknownFormatWithExit2() {
        CliRun run = CliRun.run("plan", "-c", CliRun.EXAMPLE, "--branch", "main", "--format", "yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--format", "text, json");
    }

    static List<String> names(JsonNode components) {
        return java.util.stream.StreamSupport.stream(components.spliterator(), false).map(c -> c.get("name").asText()).toList();
    }
}
