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

    private static final String QUIET = "-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off";
    /** bin/korea's JVM flags, which the launcher gives too unless KOREA_JAVA_OPTS is set. */
    private static final String FLAGS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms24m";
    private static final String MAIN = com.koreapublicdata.pipeline.cli.Main.class.getName();

    /**
     * The first run on an agent makes the class-data-sharing archive, later ones use it; one whose size is not the
     * recorded one (cut off: the JVM would crash on it) is made again, and KOREA_CDS=off runs without.
     */
    @Test
    void shouldMakeTheArchiveOnceThenUseItAndNeverUseACutOffOne() throws Exception {
        script(bin.resolve("java"), """
                for a in "$@"; do case $a in -XX:ArchiveClassesAtExit=*) printf 'archive-bytes' > "${a#*=}" ;; esac; done
                echo "java $*"; exit 3""");
        Path jar = Files.createDirectories(dir.resolve("repo/0.1.0")).resolve("korea.jar");
        Files.writeString(jar, "not really a jar");
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        Map<String, String> env = Map.of("KOREA_CLI_URL", dir.toUri() + "repo/{version}/korea.jar", "KOREA_CLI_SHA256", sum);
        Path cached = dir.resolve(".cache/korea/korea-0.1.0.jar");
        Path jsa = dir.resolve(".cache/korea/korea-0.1.0.jsa");

        Result first = run(env);
        assertThat(first.exit()).as("the command's own exit code").isEqualTo(3);
        assertThat(first.output()).contains("-XX:ArchiveClassesAtExit=" + jsa + ".part.");
        assertThat(jsa).hasContent("archive-bytes");
        assertThat(dir.resolve(".cache/korea/korea-0.1.0.jsa.size")).hasContent("13\n");
        assertThat(List.of(dir.resolve(".cache/korea").toFile().list())).noneMatch(f -> f.contains(".part."));
        // the archive must be newer than the jar; file times can be coarse
        assertThat(jsa.toFile().setLastModified(cached.toFile().lastModified() + 2000)).isTrue();

        Result second = run(env);
        assertThat(second.exit()).isEqualTo(3);
        assertThat(second.output()).isEqualTo("java " + FLAGS + " -XX:SharedArchiveFile=" + jsa + " " + QUIET + " -cp " + cached
                + " " + MAIN + " plan --branch $(id)");

        Files.writeString(jsa, "archive");
        assertThat(jsa.toFile().setLastModified(cached.toFile().lastModified() + 2000)).isTrue();
        Result cutOff = run(env);
        assertThat(cutOff.output()).doesNotContain("SharedArchiveFile").contains("-XX:ArchiveClassesAtExit=");
        assertThat(jsa).hasContent("archive-bytes");

        Map<String, String> off = new java.util.HashMap<>(env);
        off.put("KOREA_CDS", "off");
        assertThat(run(off).output()).isEqualTo("java " + FLAGS + " -cp " + cached + " " + MAIN + " plan --branch $(id)");
        Map<String, String> own = new java.util.HashMap<>(off);
        own.put("KOREA_JAVA_OPTS", "-Xmx64m");
        assertThat(run(own).output()).as("the site's own JVM flags replace the defaults")
                .isEqualTo("java -Xmx64m -cp " + cached + " " + MAIN + " plan --branch $(id)");
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
        assertThat(ok.output()).isEqualTo("java " + FLAGS + " -XX:ArchiveClassesAtExit=" + dir.resolve(".cache/korea/korea-0.1.0.jsa.part.")
                + ok.output().replaceAll(".*jsa\\.part\\.([0-9]+) .*", "$1") + " " + QUIET + " -cp "
                + dir.resolve(".cache/korea/korea-0.1.0.jar") + " " + MAIN + " plan --branch $(id)");

        Files.delete(dir.resolve(".cache/korea/korea-0.1.0.jar"));
        Result refused = run(Map.of("KOREA_CLI_URL", url, "KOREA_CLI_SHA256", "00".repeat(32)));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("korea: refusing", "SHA-256 is " + sum);
        assertThat(dir.resolve(".cache/korea/korea-0.1.0.jar")).doesNotExist();
        assertThat(List.of(dir.resolve(".cache/korea").toFile().list())).isEmpty();
    }
}
