package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gathers the JUnit XML a component's tests wrote ({@code TEST-*.xml}, {@code junit*.xml},
 * {@code test-results*.xml}) into {@code <stateDir>/reports/<component>/}, one place for Jenkins' junit step.
 */
final class JunitReports {
    private static final Set<String> SKIPPED_DIRS = Set.of("node_modules", ".git", ".venv", "venv", "__pycache__");

    private JunitReports() {
    }

    /** Empties the report folder so a build never shows the previous build's results. */
    static void reset(Path reportDir) {
        try {
            if (Files.isDirectory(reportDir)) {
                try (Stream<Path> stream = Files.walk(reportDir)) {
                    stream.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(reportDir)).forEach(p -> {
                        try {
                            Files.delete(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
            Files.createDirectories(reportDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + reportDir, e);
        }
    }

    static boolean isReport(String fileName) {
        return fileName.endsWith(".xml")
                && (fileName.startsWith("TEST-") || fileName.startsWith("junit") || fileName.startsWith("test-results"));
    }

    /**
     * Copies reports under {@code dir} written since {@code since} into {@code reportDir} (reports written there
     * directly, e.g. by the node and pytest defaults, are kept as they are). Returns the report files, sorted.
     */
    static List<String> collect(Path dir, Path reportDir, Path stateDir, FileTime since) {
        try {
            Files.createDirectories(reportDir);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    boolean skip = !d.equals(dir) && (SKIPPED_DIRS.contains(d.getFileName().toString())
                            || d.startsWith(stateDir) || d.startsWith(reportDir));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (isReport(file.getFileName().toString()) && attrs.lastModifiedTime().compareTo(since) >= 0) {
                        String flat = dir.relativize(file).toString().replace('\\', '/').replace('/', '_');
                        String name = isReport(flat) ? flat : "TEST-" + flat;
                        Files.copy(file, reportDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            List<String> files = new ArrayList<>();
            try (Stream<Path> stream = Files.list(reportDir)) {
                stream.filter(p -> p.getFileName().toString().endsWith(".xml"))
                        .map(p -> p.getFileName().toString()).sorted().forEach(files::add);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot collect JUnit reports into " + reportDir, e);
        }
    }
}
