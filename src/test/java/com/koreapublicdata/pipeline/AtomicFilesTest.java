package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void createsTheParentDirectoriesAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("builds/web/latest.json");

        AtomicFiles.write(file, "{\"a\":1}\n");

        assertThat(file).hasContent("{\"a\":1}");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("metrics.prom");
        AtomicFiles.write(file, "old\n");

        AtomicFiles.write(file, "new\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("approvals/a.json");
        AtomicFiles.write(file, "the old record\n");

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half a new rec".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(file).hasContent("the old record");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("the temporary file is removed").containsExactly(file);
        }
    }

    @Test
    void concurrentReadersSeeTheOldOrTheNewFileNeverPartOfOne() throws Exception {
        Path file = dir.resolve("scans/x.json");
        // large enough that a plain write would be observed half-done
        String a = "a".repeat(256 * 1024);
        String b = "b".repeat(256 * 1024);
        AtomicFiles.write(file, a);
        AtomicBoolean done = new AtomicBoolean();
        Set<String> bad = ConcurrentHashMap.newKeySet();
        Set<Character> seen = ConcurrentHashMap.newKeySet();
        Runnable reader = () -> {
            while (!done.get()) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (!text.equals(a) && !text.equals(b)) {
                        bad.add("length " + text.length());
                    } else {
                        seen.add(text.charAt(0));
                    }
                } catch (NoSuchFileException e) {
                    bad.add("the file was missing");
                } catch (IOException e) {
                    bad.add(e.toString());
                }
            }
        };
        Thread r1 = new Thread(reader);
        Thread r2 = new Thread(reader);
        r1.start();
        r2.start();
        for (int i = 0; i < 200; i++) {
            AtomicFiles.write(file, i % 2 == 0 ? b : a);
        }
        done.set(true);
        r1.join();
        r2.join();

        assertThat(bad).isEmpty();
        assertThat(seen).as("the readers read the file").isNotEmpty();
    }
}
