package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldAcceptTheExample() {
        CliRun run = CliRun.run("validate", "--config", CliRun.EXAMPLE);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("korea.yaml: valid");
    }

    /** Issue 13: every environment's team, koreaRollback's input submitter ([] lets anyone). */
    @Test
    void shouldListEachEnvironmentsTeamInJson() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  backend: {paths: [be/**]}
                environments:
                  development: {branches: [develop]}
                  production: {branches: [main], team: [ops-olivia, ops-oscar]}
                """);

        CliRun run = CliRun.in(dir, Map.of(), "validate", "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).get("teams").toString())
                .isEqualTo("{\"development\":[],\"production\":[\"ops-olivia\",\"ops-oscar\"]}");
    }

    @Test
    void shouldRejectAMisspelledKeyWithLineAndFieldPath() throws Exception {
        String yaml = Files.readString(CliRun.PROJECT.resolve(CliRun.EXAMPLE)).replace("    approval:\n", "    aproval:\n");
        Files.writeString(dir.resolve("korea.yaml"), yaml);
        int line = lineOf(yaml, "aproval:");

        CliRun run = CliRun.in(dir, Map.of(), "validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("korea.yaml:" + line + ":5: environments.production.aproval: unknown key 'aproval'; "
                + "did you mean 'approval'?");
    }

    @Test
    void shouldRejectAWrongTypeWithLineAndFieldPath() throws Exception {
        String yaml = Files.readString(CliRun.PROJECT.resolve(CliRun.EXAMPLE))
                .replace("scaleDownDelaySeconds: 30\n          prePromotionAnalysis", "scaleDownDelaySeconds: half a minute\n          prePromotionAnalysis");
        Files.writeString(dir.resolve("korea.yaml"), yaml);

        CliRun run = CliRun.in(dir, Map.of(), "validate", "--format", "json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("\"valid\" : false", "\"line\" : " + lineOf(yaml, "half a minute"),
                "\"field\" : \"environments.staging.components.frontend.blueGreen.scaleDownDelaySeconds\"",
                "expected a whole number, found 'half a minute'");
    }

    @Test
    void shouldFailOtherCommandsOnAnInvalidConfigWithExit2() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), "project: shop\ncomponents: []\n");

        CliRun run = CliRun.in(dir, Map.of(), "plan", "--branch", "main");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("korea.yaml:2:13: components: expected a mapping of names to settings, found a list",
                "environments: required key is missing");
    }

    @Test
    void shouldPrintVersionAndHelp() {
        assertThat(CliRun.run("version").out()).startsWith("korea ");
        CliRun help = CliRun.run("plan", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Examples:", "korea plan --config examples/monorepo/korea.yaml");
        CliRun top = CliRun.run("--help");
        assertThat(top.out()).contains("Exit codes:", "10", "a policy gate refused");
        assertThat(CliRun.run("no-such-command").exitCode()).isEqualTo(2);
    }

    private static int lineOf(String text, String needle) {
        return text.substring(0, text.indexOf(needle)).split("\n", -1).length;
    }
}
