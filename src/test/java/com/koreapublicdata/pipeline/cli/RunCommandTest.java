package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, on a copy of the example: real tests (node --test, pytest or unittest), real images
 * (the daemonless builder), a real local GitOps repository. No Docker, cluster or Trivy.
 */
class RunCommandTest {
    @TempDir
    Path dir;

    /** The machine's environment without any scanner or Slack credentials, so the test sees what a new user sees. */
    private static Map<String, String> plainEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("KOREA_") || k.equals("BUILD_URL"));
        return env;
    }

    private Path example() throws IOException {
        Path source = CliRun.PROJECT.resolve("examples/monorepo");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.filter(p -> !source.relativize(p).toString().startsWith(".korea")
                    && !p.toString().contains("node_modules") && !p.toString().contains("__pycache__")).toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir.resolve("korea.yaml");
    }

    @Test
    void shouldRunTheReadmesMainCommandAndCommitBothImagesByDigest() throws Exception {
        Path config = example();

        CliRun run = CliRun.in(dir, plainEnvironment(), "run", "--config", config.toString(), "--branch", "develop");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Summary: success, development")
                .containsPattern("frontend +passed +passed +skipped +passed")
                .containsPattern("backend +passed +passed +skipped +passed")
                .contains("no scanner installed");
        try (Git git = Git.open(dir.resolve(".korea/gitops").toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            git.log().setMaxCount(2).call().forEach(commits::add);
            String patches = patch(git, commits.get(0)) + patch(git, commits.get(1));
            assertThat(patches).containsPattern("\\+ +digest: sha256:[0-9a-f]{64}");
            assertThat(commits).extracting(RevCommit::getFullMessage).anyMatch(m -> m.contains("frontend"))
                    .anyMatch(m -> m.contains("backend")).allMatch(m -> m.contains("development"));
            // the newest commit's overlay sets both images, each by digest
            String kustomization = Files.readString(dir.resolve(".korea/gitops/environments/development/kustomization.yaml"));
            assertThat(git.status().call().isClean()).isTrue();
            assertThat(kustomization).containsPattern(
                    "- name: korea-public-data-frontend\\n  digest: sha256:[0-9a-f]{64}\\n")
                    .containsPattern("- name: korea-public-data-backend\\n  digest: sha256:[0-9a-f]{64}\\n");
        }
    }

    @Test
    void shouldStopAComponentWithAFailingTestAtTheTestStageAndNameTheTest() throws Exception {
        Path config = example();
        Path test = dir.resolve("fe/test/greeting.test.js");
        Files.writeString(test, Files.readString(test).replace("'Public data for Seoul'", "'Public data for Busan'"));

        CliRun run = CliRun.in(dir, plainEnvironment(), "run", "--config", config.toString(), "--branch", "develop",
                "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("greets the named region");
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        com.fasterxml.jackson.databind.JsonNode frontend = result.at("/components/0");
        assertThat(frontend.get("component").asText()).isEqualTo("frontend");
        assertThat(frontend.at("/stages/0/status").asText()).isEqualTo("FAILED");
        assertThat(frontend.at("/stages/0/detail").asText()).contains("npm test", "failing tests", "greets the named region");
        assertThat(frontend.at("/stages/3/status").asText()).isEqualTo("NOT_RUN");
        assertThat(result.at("/components/1/stages/3/status").asText()).as("backend is unaffected").isEqualTo("PASSED");
    }

    @Test
    void shouldBuildOnlyTheChangedComponent() throws Exception {
        Path config = example();

        CliRun run = CliRun.in(dir, plainEnvironment(), "run", "--config", config.toString(), "--branch", "develop",
                "--changed", "fe/src/server.js");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("frontend").doesNotContain("backend");
        assertThat(dir.resolve(".korea/builds/frontend")).isDirectory();
        assertThat(dir.resolve(".korea/builds/backend")).doesNotExist();
    }

    @Test
    void shouldFailClosedWithoutAScannerWhereTheEnvironmentDoesNotAllowIt() throws Exception {
        Path config = example();

        CliRun run = CliRun.in(dir, plainEnvironment(), "run", "--config", config.toString(), "--branch", "main",
                "--changed", "fe/src/server.js");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).containsPattern("frontend +passed +passed +failed +not run")
                .contains("trivy is not installed", "the gate fails closed");
    }

    @Test
    void shouldRefuseProductionWithoutApprovalWhenNobodyCanBeAsked() throws Exception {
        Path config = example();
        // a stand-in for the Trivy binary (not installable here) that finds nothing, so the gate passes
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path trivy = bin.resolve("trivy");
        Files.writeString(trivy, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "Version: 0.58.0"; exit 0; fi
                while [ $# -gt 0 ]; do
                  if [ "$1" = "--output" ]; then shift; out="$1"; fi
                  shift
                done
                printf '{"SchemaVersion":2,"ArtifactName":"fake","ArtifactType":"container_image","Results":[]}' > "$out"
                """);
        trivy.toFile().setExecutable(true);
        Map<String, String> env = plainEnvironment();
        env.put("PATH", bin + ":" + env.get("PATH"));

        CliRun run = CliRun.in(dir, env, "run", "--config", config.toString(), "--branch", "main", "--changed", "fe/src/server.js");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(10);
        assertThat(run.out()).containsPattern("frontend +passed +passed +passed +refused").contains("needs approval from ops-team");
        assertThat(dir.resolve(".korea/scans")).isDirectoryContaining(p -> p.toString().endsWith(".json"));
    }

    private static String patch(Git git, RevCommit commit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setRepository(git.getRepository());
            formatter.format(commit.getParentCount() == 0 ? null : commit.getParent(0).getTree(), commit.getTree());
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
