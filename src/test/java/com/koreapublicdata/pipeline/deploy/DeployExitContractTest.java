package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

/**
 * The command contract of promote and rollback through {@code Main.run} against the mock cluster: the JSON result is
 * written with --output on exits 0, 1, 2, 10, 11 and 20, with the outcome, changed and exitCode each exit means (the
 * read-only commands: cli/ExitContractTest).
 */
class DeployExitContractTest {
    @TempDir
    Path dir;
    DeployFixture f;
    Map<String, String> env;
    String err;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
        f.deployment("web", DeployFixture.image("1.0", null), 2);
        Path kubeconfig = f.kubeconfig();
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private JsonNode exits(int expected, boolean changed, String... args) throws Exception {
        Files.deleteIfExists(dir.resolve("out/result.json"));
        String[] all = java.util.Arrays.copyOf(args, args.length + 6);
        System.arraycopy(new String[] {"-c", "korea.yaml", "--format", "json", "--output", "out/result.json"}, 0, all,
                args.length, 6);
        StringWriter out = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(errors), env, dir, Clock.systemUTC(), false), all);
        err = errors.toString();
        assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(expected);
        JsonNode result = new ObjectMapper().readTree(Files.readString(dir.resolve("out/result.json")));
        assertThat(result.path("exitCode").asInt(-1)).isEqualTo(expected);
        assertThat(result.path("changed").isBoolean()).isTrue();
        assertThat(result.path("changed").asBoolean()).as("changed").isEqualTo(changed);
        assertThat(result.path("component").asText()).isEqualTo("web");
        assertThat(result.path("message").isTextual()).isTrue();
        return result;
    }

    private static String[] promote(String environment, String image, String... more) {
        String[] args = {"promote", "--component", "web", "--environment", environment, "--image", image};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void shouldWriteDeployedThenRolledBackOnExit0() throws Exception {
        JsonNode deployed = exits(0, true, promote("staging", DeployFixture.image("1.1", DeployFixture.DIGEST_B)));
        assertThat(deployed.path("outcome").asText()).isEqualTo("deployed");

        JsonNode rolledBack = exits(0, true, "rollback", "--component", "web", "--environment", "staging");
        assertThat(rolledBack.path("outcome").asText()).isEqualTo("rolled-back");
    }

    @Test
    void shouldWriteFailedOnExit1WhenTheKubeContextIsMissing() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), Files.readString(dir.resolve("korea.yaml"))
                .replace("    cluster: test\n    requireScan: false\n    lockTimeout: 1s", "    cluster: nowhere\n    requireScan: false\n    lockTimeout: 1s"));
        JsonNode failed = exits(1, false, promote("staging", DeployFixture.image("1.1", DeployFixture.DIGEST_B)));
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("message").asText()).contains("no kube context 'nowhere'");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldWriteInvalidInputOnExit2() throws Exception {
        JsonNode badTimeout = exits(2, false, promote("staging", DeployFixture.image("1.1", DeployFixture.DIGEST_B),
                "--timeout", "soon"));
        assertThat(badTimeout.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(badTimeout.path("message").asText()).contains("--timeout soon");

        JsonNode badRevision = exits(2, false, "rollback", "--component", "web", "--environment", "staging",
                "--to-revision", "9");
        assertThat(badRevision.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(badRevision.path("message").asText()).contains("revision 9");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldWriteRefusedOnExit10() throws Exception {
        JsonNode refused = exits(10, false, promote("production", DeployFixture.image("1.1", DeployFixture.DIGEST_A)));
        assertThat(refused.path("outcome").asText()).isEqualTo("refused");
        assertThat(refused.path("message").asText()).contains("requires approval");
    }

    @Test
    void shouldWriteLockedNamingTheHolderOnExit11() throws Exception {
        f.kube.controllerClient.leases().inNamespace("shop").resource(new LeaseBuilder().withNewMetadata()
                .withName("korea-promote-web").endMetadata().withNewSpec().withHolderIdentity("https://ci.example/job/shop/41/")
                .withLeaseDurationSeconds(30).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()).create();

        JsonNode locked = exits(11, false, promote("staging", DeployFixture.image("1.1", DeployFixture.DIGEST_B)));
        assertThat(locked.path("outcome").asText()).isEqualTo("locked");
        assertThat(locked.path("holder").asText()).isEqualTo("https://ci.example/job/shop/41/");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldWriteRolledBackOnExit20() throws Exception {
        JsonNode rolledBack = exits(20, true, promote("staging", DeployFixture.image("1.1-crash", DeployFixture.DIGEST_B)));
        assertThat(rolledBack.path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(rolledBack.path("message").asText()).contains("progress deadline");
        f.awaitDeployment("web");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldWriteRollbackFailedOnExit21WhenTheAutomaticRollbackDoesNotRestore() throws Exception {
        shortRollbackTimeout();
        String stable = DeployFixture.image("1.0", null);
        // once the crashing image is applied, the restored revision no longer starts: the rollback's wait runs out
        Thread breaker = new Thread(() -> {
            try {
                while (!f.image("web").contains("crash")) {
                    Thread.sleep(5);
                }
                f.controllers.unavailable.add(stable);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        breaker.start();
        JsonNode failed = exits(21, true, promote("staging", DeployFixture.image("1.1-crash", DeployFixture.DIGEST_B)));
        assertThat(failed.path("outcome").asText()).isEqualTo("rollback-failed");
        assertThat(failed.path("message").asText()).contains("progress deadline").contains("the rollback failed too");
        breaker.join(1_000);
        assertThat(f.image("web")).as("the undo was applied, it just never became available").isEqualTo(stable);
    }

    @Test
    void shouldWriteRollbackFailedOnExit21WhenAManualRollbackDoesNotRestore() throws Exception {
        shortRollbackTimeout();
        String stable = DeployFixture.image("1.0", null);
        exits(0, true, promote("staging", DeployFixture.image("1.1", DeployFixture.DIGEST_B)));
        f.controllers.unavailable.add(stable);
        JsonNode failed = exits(21, true, "rollback", "--component", "web", "--environment", "staging");
        assertThat(failed.path("outcome").asText()).isEqualTo("rollback-failed");
        assertThat(failed.path("message").asText()).contains("rolling back to revision 1 failed");
        assertThat(f.image("web")).isEqualTo(stable);
    }

    private void shortRollbackTimeout() throws Exception {
        Path yaml = dir.resolve("korea.yaml");
        String text = Files.readString(yaml);
        assertThat(text).contains("rollback: {timeout: 30s}");
        Files.writeString(yaml, text.replace("rollback: {timeout: 30s}", "rollback: {timeout: 2s}"));
    }
}
