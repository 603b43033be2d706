package com.koreapublicdata.pipeline.scan;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * Runs a scanner binary found on the given environment's PATH: no standard input, output to a log file, killed
 * with its children past the timeout. Credentials (SNYK_TOKEN) reach it through its environment only, never its
 * command line.
 */
final class ScannerProcess {
    private final Map<String, String> env;
    private final Path workDir;

    ScannerProcess(Map<String, String> env, Path workDir) {
        this.env = env;
        this.workDir = workDir;
    }

    /** The executable {@code name} (or {@code name.exe}) on the environment's PATH. */
    Optional<Path> locate(String name) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String candidateName : List.of(name, name + ".exe")) {
                Path candidate = Path.of(dir).resolve(candidateName);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command} in the work directory, output to {@code log}; returns its exit code. */
    int execute(List<String> command, Path log, Duration timeout) throws IOException {
        return execute(command, workDir, log, timeout);
    }

    int execute(List<String> command, Path dir, Path log, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new KoreaException(ExitCode.FAILURE, String.join(" ", command.subList(0, 2))
                        + " did not finish within " + timeout.toSeconds() + "s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KoreaException(ExitCode.FAILURE, "interrupted while waiting for " + command.get(0));
        }
    }

    /** The log's last lines, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 8), lines.size());
            String text = String.join("\n  ", last).strip();
            return text.isEmpty() ? "(no output)" : "\n  " + text;
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
