package com.koreapublicdata.pipeline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The shape issue 12 asked for stays: Promoter reads as gates, lock, strategy, verify, record (under 200 lines) and
 * no class directly in deploy grows past 350 lines (a class that does is doing a second job: give it its own type).
 */
class DeploySizeTest {
    private static final Path DEPLOY = Path.of("src/main/java/com/koreapublicdata/pipeline/deploy");

    @Test
    void shouldKeepPromoterShortAndEveryDeployClassUnder350Lines() throws IOException {
        Map<String, Integer> lines = new TreeMap<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                lines.put(f.getFileName().toString(), Files.readAllLines(f).size());
            }
        }
        assertThat(lines).containsKey("Promoter.java");
        assertThat(lines.get("Promoter.java")).as("Promoter.java lines").isLessThan(200);
        List<String> tooLong = lines.entrySet().stream().filter(e -> e.getValue() > 350)
                .map(e -> e.getKey() + " (" + e.getValue() + " lines)").toList();
        assertThat(tooLong).as("classes in deploy over 350 lines").isEmpty();
    }
}
