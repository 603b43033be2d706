package com.koreapublicdata.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;

class ConfigLoaderTest {
    static final Path EXAMPLE = Path.of(System.getProperty("korea.project.dir", ".")).resolve("examples/monorepo/korea.yaml");

    @TempDir
    Path dir;

    private static final String MINIMAL = """
            project: shop
            components:
              api:
                paths: [api/**]
            environments:
              development:
                branches: [develop]
            """;

    private ConfigFile load(String yaml) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file);
    }

    private List<ConfigProblem> problems(String yaml) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().problems(file);
    }

    @Test
    void shouldLoadTheExampleWithTheSeedsShape() {
        KoreaConfig config = new ConfigLoader().load(EXAMPLE).config();

        assertThat(config.components()).containsOnlyKeys("frontend", "backend");
        assertThat(config.environments()).containsOnlyKeys("development", "staging", "production");
        Environment production = config.environments().get("production");
        assertThat(production.branches()).containsExactly("main");
        assertThat(production.approval().required()).isTrue();
        assertThat(production.approval().submitters()).containsExactly("ops-team");
        assertThat(production.deployment("backend").strategy()).isEqualTo(Strategy.CANARY);
        assertThat(production.deployment("backend").canary().steps()).isEqualTo(CanarySettings.DEFAULT_STEPS);
        assertThat(production.deployment("frontend").strategy()).isEqualTo(Strategy.BLUEGREEN);
        assertThat(production.deployment("frontend").blueGreen().activeService()).isEqualTo("korea-frontend-active");
        assertThat(config.environments().get("staging").deployment("backend").strategy()).isEqualTo(Strategy.CANARY);
        assertThat(config.environments().get("development").deployment("backend").strategy()).isEqualTo(Strategy.ROLLING);
        assertThat(config.environments().get("development").isGitOps()).isTrue();
        assertThat(production.isGitOps()).isFalse();
    }

    @Test
    void shouldFillTheSeedsDefaultsIntoAShortFile() throws IOException {
        KoreaConfig config = load(MINIMAL).config();

        Component api = config.components().get("api");
        assertThat(api.name()).isEqualTo("api");
        assertThat(api.kind()).isEqualTo(ComponentKind.CUSTOM);
        assertThat(api.directory()).isEqualTo("api");
        assertThat(api.dockerfile()).isEqualTo("api/Dockerfile");
        assertThat(api.image()).isEqualTo("shop-api");
        Environment dev = config.environments().get("development");
        assertThat(dev.name()).isEqualTo("development");
        assertThat(dev.namespace()).isEqualTo("shop-development");
        assertThat(dev.approval().required()).isFalse();
        assertThat(dev.requireScan()).isTrue();
        DeploySettings deploy = dev.deployment("api");
        assertThat(deploy.strategy()).isEqualTo(Strategy.ROLLING);
        assertThat(deploy.workload()).isEqualTo("api");
        assertThat(deploy.canary().steps()).hasSize(8);
        assertThat(deploy.canary().steps().get(1).pause().duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(deploy.canary().maxSurge()).isEqualTo("25%");
        assertThat(deploy.canary().maxUnavailable()).isEqualTo("0");
        assertThat(deploy.blueGreen().autoPromotion()).isFalse();
        assertThat(deploy.blueGreen().scaleDownDelaySeconds()).isEqualTo(30);
        assertThat(config.scan().blockingSeverities()).containsExactlyInAnyOrder(Severity.CRITICAL, Severity.HIGH, Severity.UNKNOWN);
        assertThat(config.analysis().errorRate().ratio()).isEqualTo(0.05);
        assertThat(config.analysis().errorRate().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.analysis().latency().threshold()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.analysis().latency().window()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.analysis().healthCheck().failures()).isEqualTo(3);
        assertThat(config.notifications().channels()).containsEntry("started", "#deployments")
                .containsEntry("success", "#deployments").containsEntry("failed", "#alerts").containsEntry("rollback", "#alerts");
        assertThat(config.rollback().automatic()).isTrue();
        assertThat(config.stateDir()).isEqualTo(".korea");
    }

    @Test
    void shouldAllowUnknownWhenAsked() throws IOException {
        KoreaConfig config = load(MINIMAL + "scan:\n  allowUnknown: true\n  failOn: [CRITICAL]\n").config();

        assertThat(config.scan().blockingSeverities()).containsExactly(Severity.CRITICAL);
    }

    @Test
    void shouldNameLineColumnAndFieldOfAMisspelledKeyAndSuggestTheRightOne() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL.replace("    branches: [develop]", "    branchs: [develop]"));

        assertThat(problems).hasSize(2);
        ConfigProblem unknown = problems.get(0);
        assertThat(unknown.line()).isEqualTo(7);
        assertThat(unknown.column()).isEqualTo(5);
        assertThat(unknown.field()).isEqualTo("environments.development.branchs");
        assertThat(unknown.message()).contains("unknown key 'branchs'", "did you mean 'branches'?", "allowed here: branches,");
        assertThat(problems.get(1).field()).isEqualTo("environments.development.branches");
        assertThat(problems.get(1).message()).contains("required key is missing");
        assertThat(unknown.toString()).startsWith(dir.resolve("korea.yaml") + ":7:5: environments.development.branchs: ");
    }

    @Test
    void shouldReportAWrongTypeWithWhatIsExpected() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                    approval:
                      required: maybe
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(9);
            assertThat(p.field()).isEqualTo("environments.development.approval.required");
            assertThat(p.message()).isEqualTo("expected true or false, found 'maybe'");
        });
    }

    /** A number the records cannot hold is the user's error, with its line, not a failure to read the file. */
    @Test
    void shouldNameANumberTooLargeOrWrittenTheYaml11Way() throws IOException {
        List<ConfigProblem> problems = problems("""
                project: shop
                components:
                  api:
                    paths: [api/**]
                    port: 99999999999
                  web:
                    paths: [web/**]
                    port: 8_080
                environments:
                  development:
                    branches: [develop]
                """);

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::field, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "components.api.port",
                        "expected a whole number from -2147483648 to 2147483647 written in digits, found 99999999999"),
                org.assertj.core.groups.Tuple.tuple(8, "components.web.port",
                        "expected a whole number from -2147483648 to 2147483647 written in digits, found 8_080"));
    }

    /** Values that used to slip through: an empty list item, YAML 1.1's yes (read as false), a huge duration. */
    @Test
    void shouldNameAnEmptyListItemAYesAndADurationTooLong() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                    team: [alice, ~]
                    timeout: 99999999999999999999
                    approval:
                      required: yes
                """);

        assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("environments.development.team[1]", "an empty item; give it a value or remove it"),
                org.assertj.core.groups.Tuple.tuple("environments.development.timeout",
                        "expected a duration such as 30s, 10m, 1h30m or whole seconds, found 99999999999999999999"),
                org.assertj.core.groups.Tuple.tuple("environments.development.approval.required",
                        "expected true or false, found yes"));
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPositive());
    }

    @Test
    void shouldRejectZeroTimeoutsAndIntervalsBeforeAnythingRuns() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                    timeout: 0s
                build:
                  timeout: 0
                scan:
                  timeout: 0m
                analysis:
                  interval: 0s
                  verification: 0s
                  healthCheck:
                    timeout: 0ms
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "environments.development.timeout", "build.timeout", "scan.timeout", "analysis.interval",
                "analysis.healthCheck.timeout");
        assertThat(problems).filteredOn(p -> p.field().equals("analysis.interval")).singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(14);
                    assertThat(p.message()).isEqualTo("must be longer than 0s, found '0s'");
                });
    }

    @Test
    void shouldListEveryProblemAtOnce() throws IOException {
        List<ConfigProblem> problems = problems("""
                project: shop
                components:
                  api:
                    paths: [api/**]
                    kind: nodejs
                    port: eighty
                environments:
                  development:
                    branches: [develop]
                    strategy: canry
                    timeout: soon
                scan:
                  failOn: [HIGHEST]
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly(
                "components.api.kind", "components.api.port", "environments.development.strategy",
                "environments.development.timeout", "scan.failOn[0]");
        assertThat(problems.get(0).message()).contains("'nodejs' is not allowed", "did you mean 'node'?",
                "allowed: node, python, maven, custom");
        assertThat(problems.get(1).message()).isEqualTo("expected a whole number, found 'eighty'");
        assertThat(problems.get(2).message()).contains("did you mean 'canary'?");
        assertThat(problems.get(3).message()).contains("a duration such as 30s, 10m");
        assertThat(problems.get(4).message()).contains("allowed: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL");
    }

    @Test
    void shouldRejectDanglingComponentReferencesAndDuplicateBranches() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                    components:
                      apii:
                        strategy: canary
                  staging:
                    branches: [develop]
                """);

        assertThat(problems).extracting(ConfigProblem::field)
                .containsExactly("environments.development.components.apii", "environments.staging.branches");
        assertThat(problems.get(0).message()).contains("no component named 'apii'", "did you mean 'api'?");
        assertThat(problems.get(1).message()).contains("branch 'develop' already deploys to development");
    }

    @Test
    void shouldCheckCanaryStepsAndSmokeTests() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                    components:
                      api:
                        strategy: canary
                        canary:
                          steps:
                            - setWeight: 50
                            - setWeight: 20
                            - setWeight: 120
                            - {setWeight: 60, pause: {duration: 1m}}
                        smokeTests:
                          - url: http://api/health
                            command: curl api
                """);

        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "weight 20 is below the previous step's 50; weights only grow",
                "weight 120 is outside 1..100",
                "a step is exactly one of setWeight: N or pause: {duration: D}",
                "a smoke test has exactly one of url or command");
    }

    @Test
    void shouldRejectNamesThatCannotBecomeKubernetesNames() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL.replace("  api:", "  My_API:").replace("api/**", "x/**"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("components.My_API");
            assertThat(p.message()).contains("lower-case letters, digits and '-'");
        });
    }

    @Test
    void shouldRejectMissingTopLevelKeys() throws IOException {
        List<ConfigProblem> problems = problems("project: shop\n");

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("components", "environments");
    }

    @Test
    void shouldRejectAnEmptyFileAMissingFileAndBrokenYaml() throws IOException {
        assertThat(problems("  \n")).singleElement().extracting(ConfigProblem::message).asString().contains("is empty");
        assertThat(problems("project: [unclosed\n")).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("is not valid YAML");
            assertThat(p.line()).isPositive();
        });
        assertThat(problems("project: a\nproject: b\ncomponents: {}\n")).singleElement()
                .extracting(ConfigProblem::message).asString().contains("duplicate key 'project'");
        assertThat(problems("- just\n- a list\n")).singleElement().extracting(ConfigProblem::message).asString()
                .contains("must be a mapping");
        assertThatThrownBy(() -> new ConfigLoader().load(dir.resolve("absent.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.yaml: no such file")
                .satisfies(e -> assertThat(((ConfigException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void shouldRejectEmptyListsAndMappings() throws IOException {
        List<ConfigProblem> problems = problems("""
                project: shop
                components:
                  api:
                    paths: []
                environments:
                  development:
                    branches: []
                """);

        assertThat(problems).extracting(ConfigProblem::field)
                .containsExactly("components.api.paths", "environments.development.branches");
    }

    @Test
    void shouldCheckScanStatusesAnalysisRangesChannelsAndPatterns() throws IOException {
        List<ConfigProblem> problems = problems(MINIMAL + """
                scan:
                  ignoreStatuses: [fixed, wontfix]
                analysis:
                  errorRate: {threshold: five}
                  latency: {quantile: 1.5}
                  custom:
                    - name: cpu
                      query: up
                notifications:
                  channels:
                    sucess: "#ok"
                project2: x
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly(
                "analysis.errorRate.threshold", "project2", "scan.ignoreStatuses", "analysis.custom[0]",
                "analysis.latency.quantile", "notifications.channels.sucess");
        assertThat(problems.get(1).message()).contains("did you mean 'project'?");
        assertThat(problems.get(5).message()).contains("did you mean 'success'?");
    }

    @Test
    void shouldAcceptASingleValueForAList() throws IOException {
        KoreaConfig config = load(MINIMAL.replace("[api/**]", "api/**").replace("[develop]", "develop")).config();

        assertThat(config.components().get("api").paths()).containsExactly("api/**");
        assertThat(config.environments().get("development").branches()).containsExactly("develop");
    }
}
