package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * {@code korea promote --image} through the real CLI entry against a GitOps environment (the local overlay repository)
 * and a Kubernetes one (the mock cluster): an invalid reference is refused with exit 2 and the JSON result before
 * either is touched; a valid one of every grammar branch is committed to the overlay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageReferenceCliTest {
    private static final String INVALID = "com.koreapublicdata.pipeline.ImageReferenceTest#invalid";
    private static final String VALID = "com.koreapublicdata.pipeline.ImageReferenceTest#valid";
    private static final String RUNNING = DeployFixture.image("1.0", null);

    Path dir;
    DeployFixture f;
    Map<String, String> env;
    StringWriter out;
    StringWriter err;

    @BeforeAll
    void setUp(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        f = new DeployFixture(dir);
        f.deployment("web", RUNNING, 1);
        Path kubeconfig = f.kubeconfig();
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
        // the overlay repository exists with one deploy, so a refused one has a HEAD to leave alone
        assertThat(run("promote", "--component", "web", "--environment", "development", "--image", RUNNING)).as(err.toString())
                .isZero();
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.systemUTC(), false);
        return Main.run(context, args);
    }

    private String overlayHead() throws Exception {
        try (Git git = Git.open(dir.resolve(".korea/gitops").toFile())) {
            assertThat(git.status().call().isClean()).as("the overlay's working tree is clean").isTrue();
            return git.getRepository().resolve("HEAD").name();
        }
    }

    private String log() throws Exception {
        Path log = dir.resolve(".korea/deployments.jsonl");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource(INVALID)
    void shouldRefuseAnInvalidImageBeforeTouchingTheOverlayOrTheCluster(String image) throws Exception {
        String head = overlayHead();
        String records = log();
        f.kube.requests.clear();

        for (String environment : new String[] {"development", "staging"}) {
            // --image=REF: a reference starting with '-' is a value, not an option picocli should try to read
            int code = run("promote", "--component", "web", "--environment", environment, "--image=" + image, "--format", "json");

            assertThat(code).as(environment + ": " + err).isEqualTo(2);
            if (image.startsWith("-h")) {
                // picocli reads '-h...' as the -h option cluster and refuses it while parsing, before the command runs
                // (so before any result of its own); the JSON result for a parse error is the command base's
                assertThat(err.toString()).contains("option '--image'").contains(image);
                continue;
            }
            JsonNode result = new ObjectMapper().readTree(out.toString());
            assertThat(result.path("outcome").asText()).isEqualTo("invalid-input");
            assertThat(result.path("changed").asBoolean(true)).isFalse();
            assertThat(result.path("exitCode").asInt()).isEqualTo(2);
            assertThat(result.path("environment").asText()).isEqualTo(environment);
            assertThat(result.path("message").asText()).startsWith("--image '").contains("is not a valid image reference");
            assertThat(err.toString()).contains("korea: --image '");
        }
        assertThat(overlayHead()).as("the overlay's HEAD").isEqualTo(head);
        assertThat(f.kube.requests()).as("no request reached the cluster").isEmpty();
        assertThat(f.image("web")).isEqualTo(RUNNING);
        assertThat(log()).as("no deployment record").isEqualTo(records);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource(VALID)
    void shouldCommitAValidImageOfEveryGrammarBranchToTheOverlay(String image, String repository, String tag, String digest)
            throws Exception {
        String head = overlayHead();

        int code = run("promote", "--component", "web", "--environment", "development", "--image", image, "--format", "json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.path("outcome").asText()).isEqualTo("deployed");
        assertThat(result.path("image").asText()).isEqualTo(image);
        // app:1.0@sha256:x after app@sha256:x: kustomize pins by digest alone, so the overlay already holds it
        assertThat(overlayHead().equals(head)).isEqualTo(!result.path("changed").asBoolean());
        String overlay = Files.readString(dir.resolve(".korea/gitops/environments/development/kustomization.yaml"));
        assertThat(overlay).contains(repository).contains(digest != null ? digest : tag != null ? tag : repository);
    }
}
