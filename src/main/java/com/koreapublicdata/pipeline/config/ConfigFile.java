package com.koreapublicdata.pipeline.config;

import java.nio.file.Path;

/**
 * A loaded korea.yaml: the model and where it came from, so relative paths in it resolve against its folder.
 *
 * @param path   the file, absolute and normalised
 * @param config the validated model
 */
public record ConfigFile(Path path, KoreaConfig config) {

    /** The folder of korea.yaml: the root that component paths and state are relative to. */
    public Path baseDir() {
        Path parent = path.getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    /** Where build, scan and deployment records live. */
    public Path stateDir() {
        return baseDir().resolve(config.stateDir()).normalize();
    }

    /** Resolves a path written in korea.yaml. */
    public Path resolve(String relative) {
        return baseDir().resolve(relative).normalize();
    }
}
