package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md, "Conventions": one atomic state-file writer, one JSON set-up, one way to make a deployment
 * record. Each exception is named with its reason, so a new copy anywhere else fails.
 */
class PlumbingConventionsTest {
    private static final Path MAIN = Path.of("src/main/java/com/koreapublicdata/pipeline");

    @Test
    void shouldWriteStateFilesOnlyThroughAtomicFiles() {
        assertThat(filesContaining("ATOMIC_MOVE")).as("temp file + rename outside AtomicFiles").containsOnly(
                "AtomicFiles.java",
                // breaking a stale GitOps lock moves the lock file aside; it writes no state
                "deploy/gitops/RepositoryLock.java");
    }

    @Test
    void shouldMakeJsonMappersOnlyInJsonMapping() {
        assertThat(filesContaining("new ObjectMapper(")).as("mappers made outside JsonMapping").containsOnly(
                // the ignore file is YAML
                "scan/IgnoreRules.java");
        assertThat(filesContaining("JsonMapper.builder(")).containsOnly("JsonMapping.java");
    }

    @Test
    void shouldMakeDeploymentRecordsOnlyWithTheBuilder() {
        assertThat(filesContaining("new DeploymentRecord(")).containsOnly("history/DeploymentRecord.java");
    }

    private static List<String> filesContaining(String text) {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> read(p).contains(text))
                    .map(p -> MAIN.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
