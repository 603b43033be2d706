package com.koreapublicdata.pipeline.build;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds programs on the PATH of a given environment (not the JVM's), so tests can offer fake binaries. */
public final class Binaries {
    private final String path;

    public Binaries(Map<String, String> env) {
        this.path = env.getOrDefault("PATH", "");
    }

    public Optional<Path> find(String name) {
        if (name.contains("/")) {
            Path direct = Path.of(name);
            return Files.isRegularFile(direct) && Files.isExecutable(direct) ? Optional.of(direct) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
