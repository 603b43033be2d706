package com.koreapublicdata.pipeline.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

/** The README's main flow: the example monorepo's development environment deploys to .korea/gitops. */
class ExampleMonorepoGitOpsTest {

    @TempDir
    Path dir;

    @Test
    void shouldShowTheDigestCommitInGitLogOfTheExampleLocalRepository() throws Exception {
        Files.copy(Path.of("examples/monorepo/korea.yaml"), dir.resolve("korea.yaml"));
        ConfigFile config = new ConfigLoader().load(dir.resolve("korea.yaml"));
        String digest = "sha256:" + "ab12".repeat(16);
        List<String> progress = new ArrayList<>();
        GitOpsResult result = new GitOpsDeployer(Clock.systemUTC(), progress::add, null, Map.of()).deploy(new GitOpsChange(config,
                config.config().environment("development").orElseThrow(), config.config().component("backend").orElseThrow(),
                "korea-public-data-backend@" + digest, "0.1.0+abc1234", null, null));
        assertThat(result.changed()).isTrue();
        assertThat(progress).anyMatch(p -> p.startsWith("creating the local GitOps repository"));

        String log = gitLogP(dir.resolve(".korea/gitops"));
        assertThat(log).contains("deploy backend 0.1.0+abc1234 to development", "Approved-by: (no approval required)",
                "+- name: korea-public-data-backend", "+  digest: " + digest, "Initialize the GitOps repository");
    }

    /**
     * {@code git log -p} as the README runs it: with the git CLI when installed (proving it reads what JGit wrote),
     * else the same log and patches rendered by JGit.
     */
    private static String gitLogP(Path repo) throws Exception {
        try {
            Process git = new ProcessBuilder("git", "-C", repo.toString(), "log", "-p").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(git.waitFor()).as(out).isZero();
            return out;
        } catch (java.io.IOException noGit) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(repo.toFile());
                    org.eclipse.jgit.diff.DiffFormatter diff = new org.eclipse.jgit.diff.DiffFormatter(out)) {
                diff.setRepository(git.getRepository());
                for (org.eclipse.jgit.revwalk.RevCommit c : git.log().call()) {
                    out.write((c.getFullMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    diff.format(c.getParentCount() == 0 ? null : git.getRepository().parseCommit(c.getParent(0)).getTree(), c.getTree());
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldTakeOverALockLeftByAProcessThatIsGone() throws Exception {
        Path lock = dir.resolve("gitops.lock");
        // pid 2^22+1 is above Linux's pid_max default: no such process
        Files.writeString(lock, "4194305 1 1");
        try (RepositoryLock held = RepositoryLock.acquire(lock, Duration.ofSeconds(2), m -> { })) {
            assertThat(Files.readString(lock)).startsWith(ProcessHandle.current().pid() + " ");
            assertThatThrownBy(() -> RepositoryLock.acquire(lock, Duration.ofMillis(200), m -> { }))
                    .isInstanceOf(KoreaException.class).extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.LOCKED);
        }
        assertThat(Files.exists(lock)).isFalse();
    }
}
