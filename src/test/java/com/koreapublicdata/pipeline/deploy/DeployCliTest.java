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

/** The deploy commands end to end through {@code Main.run}, reaching the mock cluster through a kubeconfig file. */
class DeployCliTest {
    @TempDir
    Path dir;
    DeployFixture f;
    Map<String, String> env;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
        f.deployment("web", DeployFixture.image("1.0", null), 2);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: test
                  context: {cluster: mock, user: tester, namespace: default}
                - name: elsewhere
                  context: {cluster: mock, user: tester}
                current-context: elsewhere
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(f.client().getMasterUrl().toString()));
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.systemUTC(), false);
        return Main.run(context, args);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void shouldRefuseProductionWithoutApprovalWithExit10AndNoRequest() throws Exception {
        f.kube.requests.clear();

        int code = run("promote", "-c", "korea.yaml", "--component", "web", "--environment", "production", "--image",
                DeployFixture.image("1.1", DeployFixture.DIGEST_A), "--format", "json");

        assertThat(code).isEqualTo(10);
        assertThat(json().path("outcome").asText()).isEqualTo("refused");
        assertThat(json().path("message").asText()).contains("requires approval");
        assertThat(f.kube.requests()).isEmpty();
    }

    @Test
    void shouldPromoteShowStatusHistoryAndRollBack() throws Exception {
        int code = run("promote", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--image",
                DeployFixture.image("1.1", DeployFixture.DIGEST_B), "--approved-by", "alice", "--build-url",
                "https://ci.example/42", "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = json();
        assertThat(result.path("outcome").asText()).isEqualTo("deployed");
        assertThat(result.path("environment").asText()).isEqualTo("staging");
        assertThat(result.path("component").asText()).isEqualTo("web");
        assertThat(result.path("digest").asText()).isEqualTo(DeployFixture.DIGEST_B);
        assertThat(result.path("strategy").asText()).isEqualTo("rolling");
        assertThat(result.path("approver").asText()).isEqualTo("alice");
        assertThat(result.path("approvalSource").asText()).isEqualTo("cli");
        assertThat(result.has("durationSeconds")).isTrue();
        assertThat(err.toString()).contains("successfully rolled out");

        assertThat(run("status", "-c", "korea.yaml", "--environment", "staging", "--component", "web")).isZero();
        assertThat(out.toString()).contains("staging/web: healthy").contains("approved: alice via cli")
                .contains("by https://ci.example/42");

        assertThat(run("rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--to-revision", "9"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("revision 9");

        assertThat(run("rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--format", "json"))
                .isZero();
        assertThat(json().path("toRevision").asText()).isEqualTo("1");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));

        assertThat(run("history", "-c", "korea.yaml", "--limit", "5")).isZero();
        assertThat(out.toString().lines().filter(l -> l.contains("staging/web"))).hasSize(2);
        assertThat(out.toString()).contains("rollback rolled-back").contains("promotion deployed");
    }

    @Test
    void shouldRejectABadTimeoutAsBadInput() {
        assertThat(run("promote", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--image", "x/y:1",
                "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout soon");
    }

    /** korea.yaml of the fixture with a team for staging: who may deploy by hand, roll back and promote a paused rollout. */
    private void stagingTeam() throws Exception {
        Path yaml = dir.resolve("korea.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("    lockTimeout: 1s\n", "    lockTimeout: 1s\n    team: [qa-quinn]\n"));
    }

    @Test
    void shouldRefuseARollbackByAnyoneOutsideTheTeamWithExit10BeforeAnyClusterCall() throws Exception {
        stagingTeam();
        f.kube.requests.clear();

        assertThat(run("rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--requested-by",
                "dave", "--format", "json")).isEqualTo(10);
        assertThat(json().path("outcome").asText()).isEqualTo("refused");
        assertThat(json().path("changed").asBoolean()).isFalse();
        assertThat(json().path("message").asText()).isEqualTo("'dave' is not in the team that may roll back web in staging: "
                + "[qa-quinn] (environments.staging.team); nothing was changed");

        assertThat(run("rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--format", "json"))
                .isEqualTo(10);
        assertThat(json().path("message").asText()).startsWith("to roll back web in staging pass --requested-by USER, one of "
                + "[qa-quinn] (environments.staging.team)");
        assertThat(f.kube.requests()).isEmpty();
    }

    @Test
    void shouldLetATeamMemberDeployByHandAndRollBack() throws Exception {
        stagingTeam();

        assertThat(run("promote", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--image",
                DeployFixture.image("1.1", DeployFixture.DIGEST_B), "--requested-by", "dave", "--format", "json")).isEqualTo(10);
        assertThat(json().path("message").asText()).contains("'dave' is not in the team that may deploy to staging by hand: "
                + "[qa-quinn] (environments.staging.team)");
        assertThat(run("promote", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--image",
                DeployFixture.image("1.1", DeployFixture.DIGEST_B), "--requested-by", "QA-Quinn", "--format", "json"))
                .as(err.toString()).isZero();
        assertThat(run("rollback", "-c", "korea.yaml", "--component", "web", "--environment", "staging", "--requested-by",
                "qa-quinn", "--format", "json")).as(out.toString()).isZero();
        assertThat(json().path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldRefuseToPromoteAPausedRolloutForSomeoneOutsideTheTeamBeforeLookingAtIt() throws Exception {
        stagingTeam();
        f.kube.requests.clear();

        assertThat(run("rollout", "promote", "-c", "korea.yaml", "--component", "front", "--environment", "staging",
                "--requested-by", "dave", "--format", "json")).isEqualTo(10);
        assertThat(json().path("outcome").asText()).isEqualTo("refused");
        assertThat(json().path("message").asText()).isEqualTo("'dave' is not in the team that may promote the paused rollout "
                + "of front in staging: [qa-quinn] (environments.staging.team); nothing was changed");
        assertThat(f.kube.requests()).isEmpty();

        // a member gets past the team: the Rollout does not exist here, which is the next thing korea says
        assertThat(run("rollout", "promote", "-c", "korea.yaml", "--component", "front", "--environment", "staging",
                "--requested-by", "qa-quinn", "--format", "json")).isEqualTo(1);
        assertThat(json().path("message").asText()).contains("does not exist");
    }
}
