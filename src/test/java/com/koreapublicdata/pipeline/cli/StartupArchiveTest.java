package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/korea with a real JVM and a real class-data-sharing archive: a good one is used, and a missing, garbage,
 * cut-off (the JVM would crash on it) or stale one still runs the command, with nothing on stderr.
 */
class StartupArchiveTest {
    private static final Path SCRIPT = CliRun.PROJECT.resolve("bin/korea");
    private static final Path MAKER = CliRun.PROJECT.resolve("bin/korea-cds-archive");

    @TempDir
    Path dir;
    private Path jar;
    private Path jsa;

    /** A jar of this build's classes whose manifest points at the test class path (the shaded jar comes later). */
    @BeforeEach
    void jar() throws IOException {
        jar = dir.resolve("korea.jar");
        jsa = dir.resolve("korea.jsa");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).filter(p -> p.endsWith(".jar")).map(p -> Path.of(p).toUri().toString())
                .collect(Collectors.joining(" ")));
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result korea(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString());
        pb.command().addAll(java.util.List.of(args));
        pb.environment().put("KOREA_JAR", jar.toString());
        pb.environment().remove("KOREA_CDS");
        pb.environment().put("KOREA_JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:class+load=info:file="
                + dir.resolve("classes.log"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    /** korea's own classes mapped from an archive (without ours, only the JDK's come from its default one). */
    private long sharedClasses() throws IOException {
        try (Stream<String> lines = Files.lines(dir.resolve("classes.log"))) {
            return lines.filter(l -> l.contains(" com.koreapublicdata.") && l.contains("source: shared objects file"))
                    .count();
        }
    }

    private void assertRunsPlainly() throws Exception {
        Result r = korea("version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("korea ");
        assertThat(r.err()).isEmpty();
        assertThat(sharedClasses()).isZero();
    }

    @Test
    void shouldUseAGoodArchiveAndRunWithoutAMissingCutOffGarbageOrStaleOne() throws Exception {
        assertRunsPlainly();

        Process make = new ProcessBuilder("sh", MAKER.toString(), jar.toString(), jsa.toString()).inheritIO().start();
        assertThat(make.waitFor()).isZero();
        assertThat(jsa).exists();
        assertThat(Files.readString(dir.resolve("korea.jsa.size")).trim()).isEqualTo(String.valueOf(Files.size(jsa)));
        Result good = korea("version");
        assertThat(good.exit()).isZero();
        assertThat(good.err()).isEmpty();
        assertThat(sharedClasses()).as("classes mapped from the archive").isPositive();

        byte[] whole = Files.readAllBytes(jsa);
        try (OutputStream out = Files.newOutputStream(jsa)) {
            out.write(whole, 0, whole.length / 3);
        }
        assertRunsPlainly();

        Files.writeString(jsa, "garbage");
        Files.writeString(dir.resolve("korea.jsa.size"), "7\n");
        assertRunsPlainly();

        Files.write(jsa, whole);
        Files.writeString(dir.resolve("korea.jsa.size"), whole.length + "\n");
        assertThat(jar.toFile().setLastModified(jsa.toFile().lastModified() + 2000)).isTrue();
        assertRunsPlainly();

        Files.delete(jsa);
        assertRunsPlainly();
    }
}
