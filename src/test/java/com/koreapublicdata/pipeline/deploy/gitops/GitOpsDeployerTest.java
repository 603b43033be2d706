package com.koreapublicdata.pipeline.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

class GitOpsDeployerTest {

    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);
    static final String D3 = "sha256:" + "3".repeat(64);

    @TempDir
    Path dir;

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);

    private GitOpsDeployer deployer() {
        return new GitOpsDeployer(clock, progress::add, null, Map.of());
    }

    static ConfigFile config(Path dir, String environments) throws IOException {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: korea-public-data
                components:
                  frontend:
                    paths: [fe/**]
                  backend:
                    paths: [be/**]
                environments:
                """ + environments.indent(2), StandardCharsets.UTF_8);
        return new ConfigLoader().load(dir.resolve("korea.yaml"));
    }

    static GitOpsChange change(ConfigFile config, String environment, String component, String image, String version) {
        return new GitOpsChange(config, config.config().environment(environment).orElseThrow(),
                config.config().component(component).orElseThrow(), image, version, "alice", "https://jenkins.example/job/korea/42/");
    }

    /** A bare "remote" holding one overlay file, committed from a seed clone. */
    static Path remote(Path dir, String file, String content) throws Exception {
        Path bare = dir.resolve("remote.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path seed = dir.resolve("seed");
        try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(seed.resolve(file).getParent());
            Files.writeString(seed.resolve(file), content);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("seed").setAuthor(new PersonIdent("t", "t@t")).setCommitter(new PersonIdent("t", "t@t"))
                    .setSign(false).call();
            git.push().setRemote(bare.toUri().toString()).setRefSpecs(new org.eclipse.jgit.transport.RefSpec("main:main")).call();
        }
        return bare;
    }

    static String remoteFile(Path dir, Path bare, String file) throws Exception {
        Path check = dir.resolve("check-" + System.nanoTime());
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(check.toFile()).call()) {
            return Files.readString(check.resolve(file));
        }
    }

    static List<RevCommit> log(Path repo, String ref) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            git.log().add(git.getRepository().resolve(ref)).call().forEach(commits::add);
            return commits;
        }
    }

    @Test
    void shouldCreateTheLocalDefaultRepositoryAndCommitTheImageByDigest() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        GitOpsResult result = deployer().deploy(change(config, "development", "backend",
                "registry.example.com/korea-public-data-backend:1.4.2@" + D1, "1.4.2"));

        Path repo = dir.resolve(".korea/gitops");
        assertThat(result.changed()).isTrue();
        assertThat(result.repository()).isEqualTo(repo.toString());
        assertThat(result.branch()).isEqualTo("main");
        assertThat(result.path()).isEqualTo("environments/development/kustomization.yaml");
        assertThat(result.previousImage()).isNull();
        assertThat(result.syncedRevision()).isNull();
        assertThat(Files.readString(repo.resolve("environments/development/kustomization.yaml"))).contains("""
                images:
                - name: korea-public-data-backend
                  newName: registry.example.com/korea-public-data-backend
                  digest: %s
                """.formatted(D1)).contains("kind: Kustomization");
        List<RevCommit> commits = log(repo, "refs/heads/main");
        assertThat(commits).hasSize(2);
        assertThat(commits.get(0).name()).isEqualTo(result.commit());
        assertThat(commits.get(0).getFullMessage()).startsWith("deploy backend 1.4.2 to development\n")
                .contains("Component: backend", "Environment: development", "Version: 1.4.2", "Approved-by: alice",
                        "Image: registry.example.com/korea-public-data-backend:1.4.2@" + D1,
                        "Build: https://jenkins.example/job/korea/42/");
        assertThat(commits.get(0).getAuthorIdent().getWhenAsInstant()).isEqualTo(clock.instant());
        assertThat(commits.get(1).getFullMessage()).contains("Initialize");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
            assertThat(git.status().call().isClean()).isTrue();
            assertThat(Files.exists(repo.resolve("README.md"))).isTrue();
        }
        assertThat(deployer().currentImage(config, config.config().environment("development").orElseThrow(),
                config.config().component("backend").orElseThrow())).contains("registry.example.com/korea-public-data-backend@" + D1);
        assertThat(deployer().currentImage(config, config.config().environment("development").orElseThrow(),
                config.config().component("frontend").orElseThrow())).isEmpty();
    }

    @Test
    void shouldMakeNoCommitWhenTheImageIsAlreadyThere() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        GitOpsResult first = deployer().deploy(change(config, "development", "backend", "reg/korea-public-data-backend@" + D1, "1.0"));
        GitOpsResult again = deployer().deploy(change(config, "development", "backend", "reg/korea-public-data-backend@" + D1, "1.0"));
        assertThat(again.changed()).isFalse();
        assertThat(again.commit()).isEqualTo(first.commit());
        assertThat(again.previousImage()).isEqualTo("reg/korea-public-data-backend@" + D1);
        assertThat(again.message()).startsWith("unchanged");
        assertThat(log(dir.resolve(".korea/gitops"), "refs/heads/main")).hasSize(2);
    }

    @Test
    void shouldDeployANewEnvironmentIntoTheExistingLocalRepository() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\nqa:\n  branches: [qa]\n");
        deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:1.0", "1.0"));
        GitOpsResult qa = deployer().deploy(change(config, "qa", "frontend", "korea-public-data-frontend:2.0", "2.0"));
        assertThat(qa.path()).isEqualTo("environments/qa/kustomization.yaml");
        assertThat(Files.readString(dir.resolve(".korea/gitops/environments/qa/kustomization.yaml")))
                .contains("kind: Kustomization", "- name: korea-public-data-frontend\n  newTag: \"2.0\"");
        assertThat(log(dir.resolve(".korea/gitops"), "refs/heads/main")).hasSize(3);
    }

    @Test
    void shouldPushToARemoteKeepingTheUsersFile() throws Exception {
        String overlay = """
                # staging overlay -- keep me
                resources:
                - ../../base
                images:
                - name: korea-public-data-frontend
                  newTag: "7"  # frontend
                """;
        Path bare = remote(dir, "envs/staging/kustomization.yaml", overlay);
        ConfigFile config = config(dir, "staging:\n  branches: [staging]\n  cluster: staging\n  gitops:\n    repository: "
                + bare.toUri() + "\n    path: envs/{environment}\n");
        GitOpsResult result = deployer().deploy(change(config, "staging", "backend", "reg/korea-public-data-backend:3.1.0", "3.1.0"));
        assertThat(result.changed()).isTrue();
        assertThat(result.path()).isEqualTo("envs/staging/kustomization.yaml");
        assertThat(remoteFile(dir, bare, "envs/staging/kustomization.yaml")).isEqualTo(overlay
                + "- name: korea-public-data-backend\n  newName: reg/korea-public-data-backend\n  newTag: 3.1.0\n");
        assertThat(log(bare, "refs/heads/main").get(0).name()).isEqualTo(result.commit());
        // the clone lives in the state directory, not in the user's tree
        assertThat(Files.list(dir.resolve(".korea/gitops-remotes")).filter(Files::isDirectory).count()).isEqualTo(1);
    }

    @Test
    void shouldReapplyOnTheNewTipWhenAnotherClonePushedBetweenFetchAndPush() throws Exception {
        Path bare = remote(dir, "environments/staging/kustomization.yaml",
                "images:\n- name: korea-public-data-frontend\n  newTag: v1\n");
        ConfigFile config = config(dir, "staging:\n  branches: [staging]\n  gitops:\n    repository: remote.git\n");
        GitOpsDeployer.BeforePush racer = attempt -> {
            if (attempt == 1) {
                try {
                    // another pipeline deploys the frontend in the meantime, changing the very same file
                    Path other = dir.resolve("other-clone");
                    try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(other.toFile()).call()) {
                        Files.writeString(other.resolve("environments/staging/kustomization.yaml"),
                                "images:\n- name: korea-public-data-frontend\n  newTag: v2\n");
                        git.commit().setAll(true).setMessage("deploy frontend v2").setSign(false)
                                .setAuthor(new PersonIdent("o", "o@o")).setCommitter(new PersonIdent("o", "o@o")).call();
                        git.push().call();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        GitOpsResult result = new GitOpsDeployer(clock, progress::add, null, Map.of(), racer)
                .deploy(change(config, "staging", "backend", "korea-public-data-backend@" + D2, "2.0"));

        assertThat(progress).anyMatch(p -> p.contains("was rejected"));
        assertThat(remoteFile(dir, bare, "environments/staging/kustomization.yaml")).isEqualTo(
                "images:\n- name: korea-public-data-frontend\n  newTag: v2\n- name: korea-public-data-backend\n  digest: " + D2 + "\n");
        List<RevCommit> remoteLog = log(bare, "refs/heads/main");
        assertThat(remoteLog).extracting(RevCommit::getShortMessage)
                .containsExactly("deploy backend 2.0 to staging", "deploy frontend v2", "seed");
        assertThat(remoteLog.get(0).name()).isEqualTo(result.commit());
    }

    @Test
    void shouldLandBothCommitsWhenTwoThreadsDeployToTheLocalRepositoryAtOnce() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 3; round++) {
                CountDownLatch start = new CountDownLatch(1);
                String tag = "r" + round;
                Future<GitOpsResult> fe = pool.submit(() -> {
                    start.await();
                    return deployer().deploy(change(config, "development", "frontend", "korea-public-data-frontend:" + tag, tag));
                });
                Future<GitOpsResult> be = pool.submit(() -> {
                    start.await();
                    return deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:" + tag, tag));
                });
                start.countDown();
                assertThat(fe.get(60, TimeUnit.SECONDS).changed()).isTrue();
                assertThat(be.get(60, TimeUnit.SECONDS).changed()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        Path repo = dir.resolve(".korea/gitops");
        assertThat(log(repo, "refs/heads/main")).hasSize(1 + 6);
        String overlay = Files.readString(repo.resolve("environments/development/kustomization.yaml"));
        assertThat(overlay).contains("- name: korea-public-data-frontend\n  newTag: r3", "- name: korea-public-data-backend\n  newTag: r3");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.status().call().isClean()).isTrue();
        }
        assertThat(Files.exists(dir.resolve(".korea/gitops.lock"))).isFalse();
    }

    @Test
    void shouldRevertADeployCommitAndPushIt() throws Exception {
        Path bare = remote(dir, "environments/production/values.yaml", "# prod values\nbackend:\n  image: reg/be:1.0\n  replicas: 3\n");
        ConfigFile config = config(dir, "production:\n  branches: [main]\n  cluster: prod\n  gitops:\n    repository: "
                + bare.toUri() + "\n    format: helm\n");
        GitOpsResult v2 = deployer().deploy(change(config, "production", "backend", "reg/be@" + D2, "2.0"));
        assertThat(v2.previousImage()).isEqualTo("reg/be:1.0");
        GitOpsResult reverted = deployer().revert(change(config, "production", "backend", "reg/be@" + D2, "2.0"), v2.commit());
        assertThat(reverted.changed()).isTrue();
        assertThat(reverted.previousImage()).isEqualTo("reg/be@" + D2);
        assertThat(remoteFile(dir, bare, "environments/production/values.yaml"))
                .isEqualTo("# prod values\nbackend:\n  image: reg/be:1.0\n  replicas: 3\n");
        RevCommit revert = log(bare, "refs/heads/main").get(0);
        assertThat(revert.name()).isEqualTo(reverted.commit());
        assertThat(revert.getFullMessage()).startsWith("revert backend in production to reg/be:1.0")
                .contains("This reverts the image change of commit " + v2.commit(), "Reverted-image: reg/be@" + D2);

        // reverting again changes nothing
        assertThat(deployer().revert(change(config, "production", "backend", "reg/be@" + D2, "2.0"), v2.commit()).changed()).isFalse();

        // without a commit: the latest image change is undone
        deployer().deploy(change(config, "production", "backend", "reg/be@" + D3, "3.0"));
        GitOpsResult latest = deployer().revert(change(config, "production", "backend", "reg/be@" + D3, "3.0"), null);
        assertThat(latest.changed()).isTrue();
        assertThat(deployer().currentImage(config, config.config().environment("production").orElseThrow(),
                config.config().component("backend").orElseThrow())).contains("reg/be:1.0");
    }

    @Test
    void shouldRefuseToRevertOverANewerDeploy() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        GitOpsResult v1 = deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:1", "1"));
        GitOpsResult v2 = deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:2", "2"));
        deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:3", "3"));
        assertThatThrownBy(() -> deployer().revert(change(config, "development", "backend", "x:2", "2"), v2.commit()))
                .isInstanceOf(KoreaException.class).hasMessageContaining("a newer deploy replaced it");
        // reverting the very first deploy removes the entry (back to the base manifests' image) -- refused here too
        assertThatThrownBy(() -> deployer().revert(change(config, "development", "backend", "x:1", "1"), v1.commit()))
                .isInstanceOf(KoreaException.class);
        assertThatThrownBy(() -> deployer().revert(change(config, "development", "backend", "x:1", "1"), "0".repeat(40)))
                .isInstanceOf(KoreaException.class).extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldRevertAFirstDeployByRemovingTheEntry() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        GitOpsResult first = deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:1", "1"));
        deployer().revert(change(config, "development", "backend", "korea-public-data-backend:1", "1"), first.commit());
        assertThat(Files.readString(dir.resolve(".korea/gitops/environments/development/kustomization.yaml")))
                .doesNotContain("korea-public-data-backend").contains("kind: Kustomization");
    }

    @Test
    void shouldFailWithUsageWhenTheConfiguredOverlayDoesNotExist() throws Exception {
        Path bare = remote(dir, "README.md", "nothing here\n");
        ConfigFile config = config(dir, "staging:\n  branches: [staging]\n  gitops:\n    repository: " + bare.toUri() + "\n");
        assertThatThrownBy(() -> deployer().deploy(change(config, "staging", "backend", "a:1", "1")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("environments/staging/kustomization.yaml does not exist")
                .extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        ConfigFile wrongBranch = config(dir, "staging:\n  branches: [staging]\n  gitops:\n    repository: " + bare.toUri()
                + "\n    branch: nope\n");
        assertThatThrownBy(() -> deployer().deploy(change(wrongBranch, "staging", "backend", "a:1", "1")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("'nope' does not exist");
        ConfigFile cluster = config(dir, "staging:\n  branches: [staging]\n  cluster: staging\n");
        assertThatThrownBy(() -> deployer().deploy(change(cluster, "staging", "backend", "a:1", "1")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("not through GitOps");
    }

    @Test
    void shouldCommitDirectlyToAConfiguredLocalWorkingCopyButNotOverUncommittedEdits() throws Exception {
        Path repo = dir.resolve("ops");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(repo.resolve("environments/development"));
            Files.writeString(repo.resolve("environments/development/kustomization.yaml"), "resources: []\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("seed").setSign(false).setAuthor(new PersonIdent("t", "t@t")).setCommitter(new PersonIdent("t", "t@t")).call();
        }
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n  gitops:\n    repository: ops\n");
        GitOpsResult result = deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:5", "5"));
        assertThat(result.repository()).isEqualTo(repo.toString());
        assertThat(log(repo, "refs/heads/main")).hasSize(2);
        assertThat(Files.readString(repo.resolve("environments/development/kustomization.yaml")))
                .isEqualTo("resources: []\nimages:\n- name: korea-public-data-backend\n  newTag: \"5\"\n");

        Files.writeString(repo.resolve("environments/development/kustomization.yaml"), "resources: [mine.yaml]\n");
        assertThatThrownBy(() -> deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:6", "6")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("uncommitted changes");
        assertThat(Files.readString(repo.resolve("environments/development/kustomization.yaml"))).isEqualTo("resources: [mine.yaml]\n");

        ConfigFile missing = config(dir, "development:\n  branches: [develop]\n  gitops:\n    repository: nowhere\n");
        assertThatThrownBy(() -> deployer().deploy(change(missing, "development", "backend", "a:1", "1")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("is not a git repository")
                .extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldLandBothCommitsWhenTwoProcessesDeployToTheLocalRepositoryAtOnce() throws Exception {
        ConfigFile config = config(dir, "development:\n  branches: [develop]\n");
        deployer().deploy(change(config, "development", "backend", "korea-public-data-backend:0", "0")); // the repository exists
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (String component : List.of("frontend", "backend")) {
            processes.add(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), DeployProcess.class.getName(),
                    config.path().toString(), component, "korea-public-data-" + component + ":p1").redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).startsWith("true ");
        }
        Path repo = dir.resolve(".korea/gitops");
        assertThat(log(repo, "refs/heads/main")).hasSize(4);
        assertThat(Files.readString(repo.resolve("environments/development/kustomization.yaml")))
                .contains("- name: korea-public-data-frontend\n  newTag: p1", "- name: korea-public-data-backend\n  newTag: p1");
    }

    @Test
    void shouldRecloneWhenItsOwnCloneIsDamaged() throws Exception {
        Path bare = remote(dir, "environments/staging/kustomization.yaml", "resources: []\n");
        ConfigFile config = config(dir, "staging:\n  branches: [staging]\n  gitops:\n    repository: " + bare.toUri() + "\n");
        deployer().deploy(change(config, "staging", "backend", "korea-public-data-backend:1", "1"));
        try (var clones = Files.list(dir.resolve(".korea/gitops-remotes"))) {
            Path clone = clones.filter(Files::isDirectory).findFirst().orElseThrow();
            Files.writeString(clone.resolve(".git/index.lock"), ""); // a crash in the middle of a checkout
        }
        GitOpsResult second = deployer().deploy(change(config, "staging", "backend", "korea-public-data-backend:2", "2"));
        assertThat(second.changed()).isTrue();
        assertThat(progress).anyMatch(p -> p.contains("cloning") && p.contains("again"));
        assertThat(remoteFile(dir, bare, "environments/staging/kustomization.yaml")).contains("newTag: \"2\"");
    }

    @Test
    void shouldNeverShowCredentialsFromTheRepositoryUrl() throws Exception {
        ConfigFile config = config(dir, "staging:\n  branches: [staging]\n  gitops:\n    repository: https://bot:s3cr3t-token@127.0.0.1:1/gitops.git\n");
        assertThatThrownBy(() -> deployer().deploy(change(config, "staging", "backend", "a:1", "1")))
                .isInstanceOf(KoreaException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("https://127.0.0.1:1/gitops.git"))
                .extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(progress).noneMatch(p -> p.contains("s3cr3t"));
    }
}
