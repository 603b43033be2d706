package com.koreapublicdata.pipeline.jenkins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher koreaCli writes to the agent, run for real with /bin/sh (fake korea and java on PATH). */
class KoreaLauncherTest {
    private static final Path LAUNCHER = Canned.libraryRoot()
            .resolve("resources/com/koreapublicdata/pipeline/korea-launcher.sh");

    @TempDir
    Path dir;
    private Path bin;

    @BeforeEach
    void fakeJava() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("java"), "echo \"java $*\"");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", LAUNCHER.toString(), "plan", "--branch", "$(id)");
        pb.environment().clear();
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("HOME", dir.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out.trim());
    }

    private record Result(int exit, String output) {
    }

    @Test
    void shouldPreferKoreaCliAndPassArgumentsUnchanged() throws Exception {
        Path cli = dir.resolve("my-korea");
        script(cli, "printf '[%s]' \"$@\"");
        script(bin.resolve("korea"), "echo from-path");

        assertThat(run(Map.of("KOREA_CLI", cli.toString()))).isEqualTo(new Result(0, "[plan][--branch][$(id)]"));
    }

    @Test
    void shouldUseKoreaFromPathAndClearAStaleResult() throws Exception {
        script(bin.resolve("korea"), "echo from-path");
        Path stale = Files.writeString(dir.resolve("old.json"), "{}");

        assertThat(run(Map.of("KOREA_OUTPUT", stale.toString()))).isEqualTo(new Result(0, "from-path"));
        assertThat(stale).doesNotExist();
    }

    @Test
    void shouldFailClearlyWhenThereIsNoCliAndNoUrl() throws Exception {
        Result result = run(Map.of());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("korea: no CLI on this agent", "KOREA_CLI_URL", "0.1.0");
    }

    @Test
    void shouldFetchTheLibrarysVersionAndRunItOnlyWhenTheChecksumMatches() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("repo/0.1.0")).resolve("korea.jar");
        Files.writeString(jar, "not really a jar");
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        String url = dir.toUri() + "repo/{version}/korea.jar";

        Result ok = run(Map.of("KOREA_CLI_URL", url, "KOREA_CLI_SHA256", sum.toUpperCase()));
        assertThat(ok.exit()).isZero();
        assertThat(ok.output()).isEqualTo("java -jar " + dir.resolve(".cache/korea/korea-0.1.0.jar") + " plan --branch $(id)");

        Files.delete(dir.resolve(".cache/korea/korea-0.1.0.jar"));
        Result refused = run(Map.of("KOREA_CLI_URL", url, "KOREA_CLI_SHA256", "00".repeat(32)));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("korea: refusing", "SHA-256 is " + sum);
        assertThat(dir.resolve(".cache/korea/korea-0.1.0.jar")).doesNotExist();
        assertThat(List.of(dir.resolve(".cache/korea").toFile().list())).isEmpty();
    }
}
