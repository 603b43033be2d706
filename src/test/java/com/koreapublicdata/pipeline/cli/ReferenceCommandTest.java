package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class ReferenceCommandTest {
    @Test
    void shouldKeepTheCommittedCliReferenceUpToDate() throws Exception {
        CliRun run = CliRun.run("reference");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("## `korea plan`", "## `korea validate`", "Exit codes:");
        assertThat(Files.readString(CliRun.PROJECT.resolve("docs/cli-reference.md")))
                .as("docs/cli-reference.md is stale: run bin/korea reference --output docs/cli-reference.md")
                .isEqualTo(run.out());
    }
}
