package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BuildCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Path dir, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.systemUTC(), false);
        return Main.run(context, args);
    }

    private static void write(Path dir, String tests) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("korea.yaml"), """
                project: demo
                components:
                  web:
                    paths: [web/**]
                    test: %s
                environments:
                  development:
                    branches: [develop]
                    strategy: rolling
                """.formatted(tests));
    }

    @Test
    void shouldExitOneAndNameTheFailingCommandInJson(@TempDir Path dir) throws Exception {
        write(dir, "[\"echo building\", \"exit 7\"]");
        int code = run(dir, "build", "--component", "web", "--branch", "develop", "--commit", "abcdef0123",
                "--skip-image", "--format", "json");

        assertThat(code).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("outcome").asText()).isEqualTo("failed");
        assertThat(json.path("failedStage").asText()).isEqualTo("test");
        assertThat(json.path("failedCommand").asText()).isEqualTo("exit 7");
        assertThat(json.path("failedExitCode").asInt()).isEqualTo(7);
        assertThat(json.path("tests").path("commands")).hasSize(2);
        assertThat(err.toString()).contains("[web test] building").contains("korea: web: test command 'exit 7' failed "
                + "with exit code 7");
    }

    @Test
    void shouldPassWithTestsOnlyAndPrintText(@TempDir Path dir) throws Exception {
        write(dir, "[\"true\"]");
        int code = run(dir, "build", "--component", "web", "--branch", "develop", "--skip-image");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Build of web: passed").contains("test: true -> exit 0");
    }

    @Test
    void shouldRefuseAnUnknownComponentAsBadInput(@TempDir Path dir) throws Exception {
        write(dir, "[\"true\"]");
        int code = run(dir, "build", "--component", "nope");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--component nope").contains("components: web");
    }
}
