package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * Runs the {@code snyk} CLI: {@code snyk container test} for an image or an image tarball ({@code docker-archive:}),
 * {@code snyk test --all-projects} for a directory, with {@code --json-file-output} so the report is a file korea
 * streams. Snyk exits 1 when it found issues; that is a finished scan, because the gate is korea's. Exit 2 (failure)
 * and 3 (no supported projects) are a scan that did not run. The token is {@code SNYK_TOKEN} in the environment.
 */
final class SnykRunner {
    static final String TOKEN = "SNYK_TOKEN";

    private final ScannerProcess process;
    private final Map<String, String> env;
    private final Path workDir;

    SnykRunner(Map<String, String> env, Path workDir) {
        this.process = new ScannerProcess(env, workDir);
        this.env = env;
        this.workDir = workDir;
    }

    /** Why Snyk cannot run here, or empty when it can. */
    Optional<String> unavailable() {
        if (process.locate("snyk").isEmpty()) {
            return Optional.of("snyk is not installed (no snyk on PATH)");
        }
        String token = env.get(TOKEN);
        if (token == null || token.isBlank()) {
            return Optional.of("snyk has no token (" + TOKEN + " is not set)");
        }
        return Optional.empty();
    }

    /** Runs the scan and returns the JSON report it wrote, inside {@code tempDir}. */
    Path test(TrivyRunner.Target target, String org, Duration timeout, Path tempDir) {
        Path report = tempDir.resolve("snyk-report.json");
        Path log = tempDir.resolve("snyk.log");
        List<String> command = command(target, "test", org);
        command.add("--json-file-output=" + report);
        try {
            int exit = process.execute(command, runIn(target), log, timeout);
            if (exit != 0 && exit != 1) {
                throw new KoreaException(ExitCode.FAILURE, describe(target, "test") + " failed (exit " + exit
                        + (exit == 3 ? ": no supported project found" : "") + "): " + ScannerProcess.tail(log));
            }
            if (!Files.exists(report) || Files.size(report) == 0) {
                throw new KoreaException(ExitCode.FAILURE, describe(target, "test") + " exited " + exit
                        + " but wrote no report: " + ScannerProcess.tail(log));
            }
            return report;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot run snyk: " + e.getMessage(), e);
        }
    }

    /** {@code snyk monitor} after a pass; returns a warning when it did not work, null when it did. */
    String monitor(TrivyRunner.Target target, String org, Duration timeout, Path tempDir) {
        Path log = tempDir.resolve("snyk-monitor.log");
        try {
            int exit = process.execute(command(target, "monitor", org), runIn(target), log, timeout);
            return exit == 0 ? null : describe(target, "monitor") + " failed (exit " + exit + "); the scan passed "
                    + "and stands, but Snyk is not watching this image:" + ScannerProcess.tail(log);
        } catch (IOException | KoreaException e) {
            return describe(target, "monitor") + " did not run (" + e.getMessage() + "); the scan passed and stands";
        }
    }

    private List<String> command(TrivyRunner.Target target, String verb, String org) {
        List<String> command = new ArrayList<>();
        command.add(process.locate("snyk").orElseThrow(() -> new KoreaException(ExitCode.FAILURE,
                "snyk is not installed (no snyk on PATH)")).toString());
        if (target.dir() != null) {
            command.add(verb);
            command.add("--all-projects");
        } else {
            command.add("container");
            command.add(verb);
            command.add(target.tarball() != null ? "docker-archive:" + target.tarball() : target.image());
        }
        if (org != null && !org.isBlank()) {
            command.add("--org=" + org);
        }
        return command;
    }

    /** {@code --all-projects} looks in the directory it runs in. */
    private Path runIn(TrivyRunner.Target target) {
        return target.dir() != null ? target.dir() : workDir;
    }

    static String describe(TrivyRunner.Target target, String verb) {
        if (target.dir() != null) {
            return "snyk " + verb + " --all-projects (" + target.dir() + ")";
        }
        return "snyk container " + verb + " " + (target.tarball() != null ? "docker-archive:" + target.tarball()
                : target.image());
    }
}
