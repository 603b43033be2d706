package com.koreapublicdata.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.KoreaConfig;

/** korea plan's pod YAML: the library's pod plus one sidecar per test service of the planned components. */
class PodTemplateTest {

    private static KoreaConfig config(Path dir, String jenkins) throws Exception {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: demo
                jenkins: %s
                components:
                  web: {paths: [web/**]}
                  api:
                    paths: [api/**]
                    services:
                      redis: {image: "redis:7-alpine", port: 6379, command: [redis-server]}
                      mongodb: {image: "mongo:6.0", port: 27017, onlyInPod: true, env: {MONGO_INITDB_DATABASE: app}}
                environments:
                  development: {branches: [develop]}
                """.formatted(jenkins));
        return new ConfigLoader().load(file).config();
    }

    private static Plan plan(KoreaConfig config, String... changed) {
        return new Planner().plan(config, new PlanRequest("develop", List.of(changed), "abc123", "korea.yaml"));
    }

    @Test
    void shouldAddASidecarPerServiceOfThePlannedComponentsAndTellTheKoreaContainer(@TempDir Path dir) throws Exception {
        Plan plan = plan(config(dir, "{kubernetesAgent: true}"), "api/main.py");

        JsonNode pod = new YAMLMapper().readTree(plan.pipeline().podYaml());
        JsonNode containers = pod.path("spec").path("containers");
        assertThat(containers).extracting(c -> c.path("name").asText())
                .containsExactly("korea", "service-redis", "service-mongodb");
        assertThat(containers.get(1).path("image").asText()).isEqualTo("redis:7-alpine");
        assertThat(containers.get(1).path("ports").get(0).path("containerPort").asInt()).isEqualTo(6379);
        assertThat(containers.get(2).path("env").get(0).path("name").asText()).isEqualTo("MONGO_INITDB_DATABASE");
        assertThat(containers.get(0).path("image").asText()).isEqualTo("eclipse-temurin:17-jdk");
        JsonNode koreaEnv = containers.get(0).path("env").get(0);
        assertThat(koreaEnv.path("name").asText()).isEqualTo("KOREA_POD_SERVICES");
        assertThat(koreaEnv.path("value").asText()).isEqualTo("redis,mongodb");
    }

    @Test
    void shouldLeaveThePodAloneWhenNoPlannedComponentHasServices(@TempDir Path dir) throws Exception {
        Plan plan = plan(config(dir, "{kubernetesAgent: true}"), "web/index.js");

        JsonNode containers = new YAMLMapper().readTree(plan.pipeline().podYaml()).path("spec").path("containers");
        assertThat(containers).extracting(c -> c.path("name").asText()).containsExactly("korea");
        assertThat(containers.get(0).has("env")).isFalse();
    }

    @Test
    void shouldEmitNoPodWithoutTheKubernetesAgent(@TempDir Path dir) throws Exception {
        assertThat(plan(config(dir, "{}"), "api/main.py").pipeline().podYaml()).isNull();
    }
}
