package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.config.BuildSettings.Builder;

class BuilderDetectorTest {
    private static final String NO_DAEMON = "echo 'Client: Docker Engine'\n"
            + "[ \"$1\" = info ] && { echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; exit 1; }\nexit 0";

    private static BuilderDetector detector(Path bin) {
        return new BuilderDetector(Fixtures.envWithPath(bin + ":/usr/bin:/bin"), new ProcessCommandRunner(), bin);
    }

    @Test
    void shouldTreatADockerClientWithoutDaemonAsAbsent(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", NO_DAEMON);
        BuilderDetector.Detection detection = detector(bin).detect(Builder.AUTO);
        assertThat(detection.builder()).isEqualTo(Builder.JIB);
        assertThat(detection.usable()).isTrue();
        assertThat(detection.notes()).anyMatch(n -> n.startsWith("docker:") && n.contains("counts as absent")
                && n.contains("Cannot connect to the Docker daemon"));
    }

    @Test
    void shouldPickTheFirstWorkingBuilder(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", NO_DAEMON);
        Fixtures.program(bin, "podman", "exit 0");
        Fixtures.program(bin, "buildah", "exit 0");
        BuilderDetector.Detection detection = detector(bin).detect(Builder.AUTO);
        assertThat(detection.builder()).isEqualTo(Builder.PODMAN);
        assertThat(detection.binary()).isEqualTo(bin.resolve("podman"));
    }

    @Test
    void shouldPreferAWorkingDocker(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", "exit 0");
        Fixtures.program(bin, "podman", "exit 0");
        assertThat(detector(bin).detect(Builder.AUTO).builder()).isEqualTo(Builder.DOCKER);
    }

    @Test
    void shouldFindKanikosExecutor(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "executor", "[ \"$1\" = version ] && echo 'Kaniko version : v1.23.2'");
        assertThat(detector(bin).detect(Builder.AUTO).builder()).isEqualTo(Builder.KANIKO);
    }

    @Test
    void shouldFallBackToJibWithNothingOnPath(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        BuilderDetector.Detection detection = detector(bin).detect(Builder.AUTO);
        assertThat(detection.builder()).isEqualTo(Builder.JIB);
        assertThat(detection.notes()).contains("docker: not found on PATH", "kaniko: not found on PATH");
    }

    @Test
    void shouldNotFallBackWhenTheConfiguredBuilderCannotWork(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", NO_DAEMON);
        BuilderDetector.Detection detection = detector(bin).detect(Builder.DOCKER);
        assertThat(detection.builder()).isEqualTo(Builder.DOCKER);
        assertThat(detection.usable()).isFalse();
    }

    @Test
    void shouldUseJibWhenConfiguredWithoutProbing(@TempDir Path dir) {
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", "exit 0");
        assertThat(detector(bin).detect(Builder.JIB).builder()).isEqualTo(Builder.JIB);
    }
}
