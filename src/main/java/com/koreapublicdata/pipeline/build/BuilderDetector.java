package com.koreapublicdata.pipeline.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.config.BuildSettings.Builder;

/**
 * Picks the image builder. A binary that is present but cannot work (a docker client without a daemon) counts as
 * absent; with none working, the daemonless jib builder is used.
 */
public final class BuilderDetector {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final List<Builder> ORDER = List.of(Builder.DOCKER, Builder.PODMAN, Builder.BUILDAH, Builder.KANIKO);

    private final Binaries binaries;
    private final CommandRunner runner;
    private final Map<String, String> env;
    private final Path workDir;

    public BuilderDetector(Map<String, String> env, CommandRunner runner, Path workDir) {
        this.binaries = new Binaries(env);
        this.runner = runner;
        this.env = env;
        this.workDir = workDir;
    }

    /**
     * @param builder the chosen builder, and the binary for external ones (null for jib)
     * @param notes   what was tried and why it was or was not taken
     * @param usable  false when the configured builder cannot work (the build must fail, not fall back)
     */
    public record Detection(Builder builder, Path binary, List<String> notes, boolean usable) {
    }

    public Detection detect(Builder configured) {
        List<String> notes = new ArrayList<>();
        if (configured == Builder.JIB) {
            notes.add("builder jib (configured)");
            return new Detection(Builder.JIB, null, notes, true);
        }
        if (configured != Builder.AUTO) {
            Optional<Path> binary = probe(configured, notes);
            return new Detection(configured, binary.orElse(null), notes, binary.isPresent());
        }
        for (Builder candidate : ORDER) {
            Optional<Path> binary = probe(candidate, notes);
            if (binary.isPresent()) {
                return new Detection(candidate, binary.get(), notes, true);
            }
        }
        notes.add("no working docker, podman, buildah or kaniko: using jib (daemonless, writes an OCI tarball)");
        return new Detection(Builder.JIB, null, notes, true);
    }

    private static Optional<String> lastLine(String text) {
        return text == null ? Optional.empty() : text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b);
    }

    private Optional<Path> probe(Builder builder, List<String> notes) {
        String name = builder.id();
        Optional<Path> binary = builder == Builder.KANIKO
                ? binaries.find("executor").or(() -> binaries.find("/kaniko/executor"))
                : binaries.find(name);
        if (binary.isEmpty()) {
            notes.add(name + ": not found on PATH");
            return Optional.empty();
        }
        List<String> check = switch (builder) {
            case DOCKER, PODMAN, BUILDAH -> List.of(binary.get().toString(), "info");
            case KANIKO -> List.of(binary.get().toString(), "version");
            default -> throw new IllegalArgumentException(name);
        };
        CommandRunner.Execution probe = runner.run(check, workDir, env, PROBE_TIMEOUT, line -> { });
        if (probe.exitCode() != 0) {
            String why = lastLine(probe.stderr()).or(() -> lastLine(probe.stdout())).orElse("no output");
            notes.add(name + ": " + binary.get() + " is present but '" + name + " " + check.get(1) + "' failed (exit "
                    + probe.exitCode() + ": " + why.strip() + "), so it counts as absent");
            return Optional.empty();
        }
        notes.add(name + ": " + binary.get() + " works ('" + name + " " + check.get(1) + "' succeeded)");
        return binary;
    }
}
