package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/** korea promote, status, history and rollback on an environment with waves, through Main.run and a kubeconfig. */
class WavesCliTest {
    static final String OLD = WavePromotionEndToEndTest.OLD;
    static final String NEW = WavePromotionEndToEndTest.NEW;

    @TempDir
    Path dir;
    WaveFixture f;
    Map<String, String> env;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        f = new WaveFixture(dir, WavePromotionEndToEndTest.yaml("- eu-1\n- us-1\n"), "eu-1", "us-1");
        f.deployEverywhere("web", OLD);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: eu
                  cluster: {server: "%s"}
                - name: us
                  cluster: {server: "%s"}
                contexts:
                - name: eu-1
                  context: {cluster: eu, user: tester}
                - name: us-1
                  context: {cluster: us, user: tester}
                current-context: eu-1
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(f.cluster("eu-1").kube().client.getMasterUrl(), f.cluster("us-1").kube().client.getMasterUrl()));
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.systemUTC(), false), args);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void shouldPromoteShowPerClusterStateAndRollBackEveryCluster() throws Exception {
        int code = run("promote", "--component", "web", "--environment", "production", "--image", NEW, "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = json();
        assertThat(result.path("outcome").asText()).isEqualTo("deployed");
        assertThat(result.path("exitCode").asInt()).isZero();
        assertThat(result.path("changed").asBoolean()).isTrue();
        assertThat(result.path("waves")).hasSize(2);
        assertThat(result.path("waves").get(1).path("clusters").get(0).asText()).isEqualTo("us-1");
        assertThat(result.path("clusters").get(0).path("cluster").asText()).isEqualTo("eu-1");
        assertThat(result.path("clusters").get(0).path("wave").asInt()).isEqualTo(1);
        assertThat(result.path("clusters").get(1).path("outcome").asText()).isEqualTo("deployed");
        assertThat(result.path("clusters").get(1).path("revision").asText()).isEqualTo("2");
        assertThat(err.toString()).contains("[us-1] ").contains("Wave 2/2: us-1");

        assertThat(run("status", "--environment", "production", "--format", "json")).isZero();
        JsonNode status = json();
        assertThat(status).hasSize(2);
        assertThat(status.get(0).path("cluster").asText()).isEqualTo("eu-1");
        assertThat(status.get(1).path("cluster").asText()).isEqualTo("us-1");
        assertThat(status.get(1).path("image").asText()).isEqualTo(NEW);
        assertThat(status.get(1).path("health").asText()).isEqualTo("healthy");
        assertThat(status.get(1).path("lastRecord").path("cluster").asText()).isEqualTo("us-1");
        assertThat(run("status", "--environment", "production")).isZero();
        assertThat(out.toString()).contains("production/web @eu-1: healthy").contains("production/web @us-1: healthy");

        assertThat(run("history", "--environment", "production")).isZero();
        assertThat(out.toString()).contains("production/web @us-1 (wave 2)").contains("production/web @eu-1 (wave 1)");

        code = run("rollback", "--component", "web", "--environment", "production", "--format", "json");
        assertThat(code).as(err.toString() + out).isZero();
        JsonNode rollback = json();
        assertThat(rollback.path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(rollback.path("clusters").get(0).path("cluster").asText()).as("newest wave first").isEqualTo("us-1");
        assertThat(rollback.path("clusters").get(1).path("cluster").asText()).isEqualTo("eu-1");
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("us-1").image("web")).isEqualTo(OLD);

        assertThat(run("rollback", "--component", "web", "--environment", "production", "--format", "json")).isEqualTo(2);
        assertThat(json().path("message").asText()).contains("nothing to roll back");
        assertThat(run("rollback", "--component", "web", "--environment", "production", "--cluster", "ap-9")).isEqualTo(2);
        assertThat(err.toString()).contains("--cluster ap-9: not a cluster").contains("eu-1, us-1");
    }

    @Test
    void shouldRollOneClusterBackWithCluster() throws Exception {
        assertThat(run("promote", "--component", "web", "--environment", "production", "--image", NEW)).isZero();

        int code = run("rollback", "--component", "web", "--environment", "production", "--cluster", "eu-1", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(json().path("clusters")).hasSize(1);
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
        assertThat(f.cluster("us-1").image("web")).isEqualTo(NEW);
    }

    @Test
    void shouldRestoreWaveOneWhenWaveTwosPreDeployCheckFails() throws Exception {
        f.cluster("us-1").kube().controllerClient.apps().deployments().inNamespace(WaveFixture.NS).withName("web")
                .edit(d -> {
                    d.getSpec().setPaused(true);
                    return d;
                });

        int code = run("promote", "--component", "web", "--environment", "production", "--image", NEW, "--format", "json");

        assertThat(code).as(err.toString()).isEqualTo(20);
        JsonNode result = json();
        assertThat(result.path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(result.path("exitCode").asInt()).isEqualTo(20);
        assertThat(result.path("clusters").get(0).path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(result.path("clusters").get(0).path("changed").asBoolean()).isTrue();
        assertThat(result.path("clusters").get(1).path("outcome").asText()).isEqualTo("failed");
        assertThat(result.path("clusters").get(1).path("changed").asBoolean()).isFalse();
        assertThat(result.path("clusters").get(1).path("message").asText()).contains("paused");
        assertThat(f.cluster("eu-1").image("web")).isEqualTo(OLD);
    }
}
