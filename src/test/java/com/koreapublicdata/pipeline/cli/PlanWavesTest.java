package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.plan.PlanRequest;
import com.koreapublicdata.pipeline.plan.Planner;

/** korea plan carries the environment's waves, so the pipeline can lay out one stage per wave. */
class PlanWavesTest {
    @TempDir
    Path dir;

    @Test
    void shouldCarryTheWavesOfTheEnvironmentThePlanDeploysTo() throws Exception {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: shop
                components:
                  web: {paths: [web/**]}
                environments:
                  staging:
                    branches: [staging]
                    cluster: test
                  production:
                    branches: [main]
                    waves:
                      - eu-1
                      - {clusters: [us-1, ap-1], soak: 30m}
                """);
        var config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(file);

        Plan production = new Planner().plan(config.config(), new PlanRequest("main", List.of("web/a.js"), "abc", "korea.yaml"));
        Plan staging = new Planner().plan(config.config(), new PlanRequest("staging", List.of("web/a.js"), "abc", "korea.yaml"));

        assertThat(production.waves()).containsExactly(new Plan.WaveStep(1, List.of("eu-1"), 0),
                new Plan.WaveStep(2, List.of("us-1", "ap-1"), 1800));
        assertThat(staging.waves()).isEmpty();
        CliRun run = CliRun.run("plan", "--config", file.toString(), "--branch", "main", "--changed", "web/a.js", "--format",
                "json");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.at("/waves/1/clusters/1").asText()).isEqualTo("ap-1");
        assertThat(json.at("/waves/1/soakSeconds").asLong()).isEqualTo(1800);
        assertThat(json.at("/waves/0/wave").asInt()).isEqualTo(1);
    }
}
