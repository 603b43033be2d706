package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * Runs the {@code trivy} binary found on PATH: {@code trivy image} for a reference or an image tarball,
 * {@code trivy fs} for a directory, always with JSON output to a file and {@code --exit-code 0}, because the gate
 * is korea's. Trivy's own ignore file handling is switched off (an empty ignore file) so every suppression is
 * korea's and listed. Any failure of the scanner is exit 1: a scan that did not run is never a pass.
 */
final class TrivyRunner {
    private static final Pattern VERSION = Pattern.compile("(?m)^Version:\\s*(\\S+)");

    private final ScannerProcess process;

    TrivyRunner(Map<String, String> env, Path workDir) {
        this.process = new ScannerProcess(env, workDir);
    }

    /** The trivy executable on the environment's PATH. */
    Optional<Path> locate() {
        return process.locate("trivy");
    }

    /** What to scan: exactly one of an image reference, an image tarball, a directory. */
    record Target(String image, Path tarball, Path dir) {
        String describe() {
            if (dir != null) {
                return "trivy fs " + dir;
            }
            return "trivy image " + (tarball != null ? "--input " + tarball : image);
        }
    }

    /**
     * Runs trivy and returns the JSON report it wrote, inside {@code tempDir}.
     */
    Path run(Target target, boolean misconfigurations, Duration timeout, Path tempDir) {
        Path trivy = locate().orElseThrow(() -> new KoreaException(ExitCode.FAILURE,
                "trivy is not installed (no trivy on PATH): cannot scan " + (target.dir() != null ? target.dir()
                        : target.tarball() != null ? target.tarball() : target.image())
                        + "; install Trivy or pass an existing report with --report FILE"));
        Path report = tempDir.resolve("trivy-report.json");
        Path emptyIgnore = tempDir.resolve("empty.trivyignore");
        Path log = tempDir.resolve("trivy.log");
        List<String> command = new ArrayList<>();
        command.add(trivy.toString());
        command.add(target.dir() != null ? "fs" : "image");
        command.addAll(List.of("--format", "json", "--output", report.toString(), "--exit-code", "0",
                "--ignorefile", emptyIgnore.toString(), "--timeout", timeout.toSeconds() + "s",
                "--scanners", misconfigurations ? "vuln,secret,misconfig" : "vuln,secret"));
        if (target.dir() != null) {
            command.add(target.dir().toString());
        } else if (target.tarball() != null) {
            command.add("--input");
            command.add(target.tarball().toString());
        } else {
            command.add(target.image());
        }
        try {
            Files.writeString(emptyIgnore, "");
            int exit = execute(command, log, timeout.plusMinutes(1));
            if (exit != 0) {
                throw new KoreaException(ExitCode.FAILURE, target.describe() + " failed (exit " + exit + "): "
                        + tail(log));
            }
            if (!Files.exists(report) || Files.size(report) == 0) {
                throw new KoreaException(ExitCode.FAILURE, target.describe() + " exited 0 but wrote no report: "
                        + tail(log));
            }
            return report;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot run " + trivy + ": " + e.getMessage(), e);
        }
    }

    /** {@code trivy --version}, or null when it does not say. */
    String version(Path tempDir) {
        Optional<Path> trivy = locate();
        if (trivy.isEmpty()) {
            return null;
        }
        Path log = tempDir.resolve("trivy-version.txt");
        try {
            if (execute(List.of(trivy.get().toString(), "--version"), log, Duration.ofSeconds(30)) != 0) {
                return null;
            }
            Matcher m = VERSION.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException | KoreaException e) {
            return null;
        }
    }

    private int execute(List<String> command, Path log, Duration timeout) throws IOException {
        return process.execute(command, log, timeout);
    }

    private static String tail(Path log) {
        return ScannerProcess.tail(log);
    }
}
