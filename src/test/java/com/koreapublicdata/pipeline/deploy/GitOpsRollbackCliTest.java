package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * {@code korea rollback} on a GitOps environment through the real CLI entry and the local overlay repository (real
 * git through JGit): the undo is a revert commit on top of the promotion's commit, recorded as rolled-back.
 */
class GitOpsRollbackCliTest {
    private static final String OVERLAY = ".korea/gitops/environments/development/kustomization.yaml";

    @TempDir
    Path dir;
    DeployFixture f;
    String err;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private JsonNode run(int expected, String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 6);
        System.arraycopy(new String[] {"-c", "korea.yaml", "--format", "json", "--output", "out/result.json"}, 0, all,
                args.length, 6);
        Files.deleteIfExists(dir.resolve("out/result.json"));
        StringWriter errors = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(errors),
                Map.of("HOME", dir.toString()), dir, Clock.systemUTC(), false), all);
        err = errors.toString();
        assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(expected);
        JsonNode result = new ObjectMapper().readTree(Files.readString(dir.resolve("out/result.json")));
        if (!"history".equals(args[0]) && !"status".equals(args[0])) { // a listing, not a result
            assertThat(result.path("exitCode").asInt(-1)).isEqualTo(expected);
        }
        return result;
    }

    private JsonNode promote(String tag) throws Exception {
        JsonNode r = run(0, "promote", "--component", "web", "--environment", "development", "--image",
                DeployFixture.image(tag, null));
        assertThat(r.path("outcome").asText()).isEqualTo("deployed");
        return r;
    }

    private JsonNode rollback(int expected) throws Exception {
        return run(expected, "rollback", "--component", "web", "--environment", "development", "--reason", "error rate 7%");
    }

    private List<RevCommit> history() throws Exception {
        try (Git git = Git.open(dir.resolve(".korea/gitops").toFile())) {
            assertThat(git.status().call().isClean()).as("the overlay's working tree is clean").isTrue();
            List<RevCommit> commits = new ArrayList<>();
            git.log().call().forEach(commits::add);
            return commits;
        }
    }

    @Test
    void shouldRevertTheLastPromotionsCommitWithANewCommitOnTop() throws Exception {
        promote("1.1");
        String second = promote("1.2").path("revision").asText();
        List<RevCommit> before = history();
        assertThat(before.get(0).name()).isEqualTo(second);

        JsonNode rolledBack = rollback(0);

        assertThat(rolledBack.path("outcome").asText()).as(err).isEqualTo("rolled-back");
        assertThat(rolledBack.path("changed").asBoolean()).isTrue();
        assertThat(rolledBack.path("fromRevision").asText()).isEqualTo(second);
        assertThat(rolledBack.path("message").asText()).contains("reverted commit " + second)
                .contains("health not verified: korea did not wait for Argo CD").contains("(reason: error rate 7%)");
        assertThat(Files.readString(dir.resolve(OVERLAY))).contains("1.1").doesNotContain("1.2");
        List<RevCommit> after = history();
        assertThat(after).hasSize(before.size() + 1);
        RevCommit revert = after.get(0);
        assertThat(revert.name()).as("the revert commit id is in the result").isEqualTo(rolledBack.path("toRevision").asText());
        assertThat(revert.getParent(0).name()).as("a new commit on top, no reset").isEqualTo(second);
        assertThat(revert.getFullMessage()).contains("This reverts the image change of commit " + second);

        JsonNode history = run(0, "history", "--component", "web", "--environment", "development");
        JsonNode newest = history.isArray() ? history.get(0) : history.path("records").get(0);
        assertThat(newest.path("kind").asText()).isEqualTo("rollback");
        assertThat(newest.path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(newest.path("revision").asText()).isEqualTo(revert.name());
        assertThat(newest.path("strategy").asText()).isEqualTo("gitops");

        JsonNode status = run(0, "status", "--component", "web", "--environment", "development");
        JsonNode web = status.isArray() ? status.get(0) : status.path("workloads").get(0);
        assertThat(web.path("image").asText()).as("korea status reads the overlay").isEqualTo(DeployFixture.image("1.1", null));
        assertThat(web.path("strategy").asText()).isEqualTo("gitops");

        JsonNode again = rollback(0);
        assertThat(again.path("outcome").asText()).as("already reverted").isEqualTo("skipped");
        assertThat(again.path("changed").asBoolean()).isFalse();
        assertThat(history()).hasSize(after.size());
    }

    @Test
    void shouldRestoreThePreviousImageWhenTheCommitCannotBeRevertedCleanly() throws Exception {
        promote("1.1");
        promote("1.2");
        // someone changed the image by hand after the last promotion: its commit no longer reverts cleanly
        Path overlay = dir.resolve(OVERLAY);
        Files.writeString(overlay, Files.readString(overlay).replace("1.2", "1.3-hotfix"));
        try (Git git = Git.open(dir.resolve(".korea/gitops").toFile())) {
            git.commit().setAll(true).setMessage("hand edit").setSign(false).call();
        }
        JsonNode status = run(0, "status", "--component", "web", "--environment", "development");
        JsonNode web = status.isArray() ? status.get(0) : status.path("workloads").get(0);
        assertThat(web.path("image").asText()).as("the overlay, not the last record").endsWith("web:1.3-hotfix");
        assertThat(web.path("version").isNull() || web.path("version").isMissingNode()).as("the record's version is 1.2").isTrue();

        JsonNode rolledBack = rollback(0);

        assertThat(rolledBack.path("outcome").asText()).as(err).isEqualTo("rolled-back");
        assertThat(err).contains("restoring " + DeployFixture.image("1.1", null));
        assertThat(Files.readString(overlay)).contains("1.1").doesNotContain("1.3-hotfix");
        assertThat(history().get(0).getParent(0).getShortMessage()).isEqualTo("hand edit");
    }

    @Test
    void shouldRefuseWhenThereIsNothingToRollBack() throws Exception {
        JsonNode refused = rollback(2);

        assertThat(refused.path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(refused.path("changed").asBoolean()).isFalse();
        assertThat(refused.path("message").asText()).contains("nothing to revert");
    }
}
