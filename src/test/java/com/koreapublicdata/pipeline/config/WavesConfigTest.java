package com.koreapublicdata.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environments.E.waves: the three written forms, and every mistake located. */
class WavesConfigTest {
    @TempDir
    Path dir;

    private static String yaml(String production) {
        return """
                project: shop
                components:
                  api:
                    paths: [api/**]
                environments:
                  production:
                    branches: [main]
                """ + production.indent(4);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<ConfigProblem> problems(String production) throws IOException {
        return new ConfigLoader().problems(write(yaml(production)));
    }

    @Test
    void shouldReadAContextAListAndAMappingWithSoak() throws IOException {
        Environment env = new ConfigLoader().load(write(yaml("""
                waves:
                  - eu-1
                  - [eu-2, us-1]
                  - clusters: [ap-1]
                    soak: 30m
                  - {clusters: ap-2}
                """))).config().environment("production").orElseThrow();

        assertThat(env.waves()).containsExactly(new Wave(List.of("eu-1"), null), new Wave(List.of("eu-2", "us-1"), null),
                new Wave(List.of("ap-1"), Duration.ofMinutes(30)), new Wave(List.of("ap-2"), null));
        assertThat(env.hasWaves()).isTrue();
        assertThat(env.isGitOps()).as("waves deploy to clusters, not through git").isFalse();
        assertThat(env.waveClusters()).containsExactly("eu-1", "eu-2", "us-1", "ap-1", "ap-2");
        assertThat(env.waveOf("us-1")).isEqualTo(2);
        Environment one = env.onCluster("us-1");
        assertThat(one.cluster()).isEqualTo("us-1");
        assertThat(one.hasWaves()).isFalse();
        assertThat(one.namespace()).isEqualTo(env.namespace());
    }

    @Test
    void shouldLocateAnUnknownFormAnEmptyWaveAndABadKey() throws IOException {
        List<ConfigProblem> problems = problems("""
                waves:
                  - 42
                  - []
                  - clusters: []
                  - clusters: [eu-1]
                    pause: 5m
                  - [eu-2, {x: 1}]
                """);

        assertThat(problems).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "environments.production.waves[0]", "environments.production.waves[1]",
                "environments.production.waves[2].clusters", "environments.production.waves[3].pause",
                "environments.production.waves[4][1]");
        assertThat(problems).filteredOn(p -> p.field().endsWith("waves[0]")).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(9);
            assertThat(p.message()).contains("a wave is a kube context");
        });
        assertThat(problems).filteredOn(p -> p.field().endsWith("waves[1]")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("empty wave"));
        assertThat(problems).filteredOn(p -> p.field().endsWith("pause")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("unknown key 'pause'").contains("clusters, soak"));
    }

    @Test
    void shouldRefuseAClusterInTwoWavesAndWavesWithClusterOrGitops() throws IOException {
        List<ConfigProblem> problems = problems("""
                cluster: eu-1
                gitops:
                  repository: https://git.example/deploy.git
                waves:
                  - eu-1
                  - [eu-2, eu-1]
                """);

        assertThat(problems).extracting(ConfigProblem::field).contains("environments.production.cluster",
                "environments.production.gitops", "environments.production.waves[1]");
        assertThat(problems).filteredOn(p -> p.field().equals("environments.production.waves[1]")).singleElement()
                .satisfies(p -> {
                    assertThat(p.message()).contains("'eu-1' is already in wave 1");
                    assertThat(p.line()).isEqualTo(13);
                });
        assertThat(problems).filteredOn(p -> p.field().endsWith(".cluster")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("either cluster or waves"));
    }

    @Test
    void shouldRefuseAnEmptyListOfWaves() throws IOException {
        assertThat(problems("waves: []\n")).extracting(ConfigProblem::message)
                .containsExactly("needs at least one wave, or leave waves out");
    }
}
