package com.koreapublicdata.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * environments.E.gitops: what a GitOps deploy refuses (a branch git does not accept, an overlay or values file
 * outside the repository, a values path that is not dotted keys) is reported by korea validate, every problem at
 * once with its line and field, and korea promote keeps refusing it before touching the overlay.
 */
class GitOpsConfigTest {
    @TempDir
    Path dir;

    private Path write(String gitops) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: shop
                components:
                  web:
                    paths: [web/**]
                environments:
                  development:
                    branches: [develop]
                    gitops:
                """ + gitops.indent(6));
        return file;
    }

    @Test
    void shouldReportEveryGitOpsProblemWithItsLineAndField() throws IOException {
        List<ConfigProblem> problems = new ConfigLoader().problems(write("""
                branch: "release..1"
                path: environments/../../etc
                format: helm
                valuesFile: ../values.yaml
                valuesPath: "{component}..image"
                """));

        assertThat(problems).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "environments.development.gitops.branch", "environments.development.gitops.path",
                "environments.development.gitops.valuesFile", "environments.development.gitops.valuesPath");
        assertThat(problems).extracting(ConfigProblem::line).containsExactlyInAnyOrder(9, 10, 12, 13);
        assertThat(problems).filteredOn(p -> p.field().endsWith("branch")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'release..1' is not a git branch name"));
        assertThat(problems).filteredOn(p -> p.field().endsWith(".path")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("must stay inside the repository"));
        assertThat(problems).filteredOn(p -> p.field().endsWith("valuesPath")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("must be dotted keys"));
    }

    @Test
    void shouldAcceptUsualBranchesAndPaths() throws IOException {
        for (String branch : List.of("main", "deploy/staging", "release-1.2", "env_dev")) {
            assertThat(new ConfigLoader().problems(write("branch: " + branch + "\npath: ./environments/{environment}\n"
                    + "valuesFile: values/dev.yaml\nvaluesPath: images.{component}.ref\n"))).as(branch).isEmpty();
        }
        for (String branch : List.of("a b", "-main", "main.lock", "feature/.hidden", "x~1", "main/", "a@{b}")) {
            assertThat(GitOpsTarget.branchProblem(branch)).as(branch).isPresent();
        }
    }

    @Test
    void shouldBeReportedByValidateAndRefusedByPromoteBeforeTheOverlayIsTouched() throws Exception {
        write("branch: \"bad branch\"\n");

        JsonNode validate = run(2, "validate");
        assertThat(validate.path("valid").asBoolean(true)).isFalse();
        assertThat(validate.path("problems")).singleElement().satisfies(p -> {
            assertThat(p.path("field").asText()).isEqualTo("environments.development.gitops.branch");
            assertThat(p.path("line").asInt()).isEqualTo(9);
        });

        JsonNode promote = run(2, "promote", "--component", "web", "--environment", "development", "--image",
                "registry.local/shop/web:1.1");
        assertThat(promote.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(promote.path("changed").asBoolean(true)).isFalse();
        assertThat(promote.path("message").asText()).contains("gitops.branch");
        assertThat(dir.resolve(".korea/gitops")).doesNotExist();
    }

    private JsonNode run(int expected, String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 6);
        System.arraycopy(new String[] {"-c", "korea.yaml", "--format", "json", "--output", "out.json"}, 0, all, args.length, 6);
        StringWriter err = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of("HOME",
                dir.toString()), dir, Clock.systemUTC(), false), all);
        assertThat(code).as(err.toString()).isEqualTo(expected);
        return new ObjectMapper().readTree(Files.readString(dir.resolve("out.json")));
    }
}
