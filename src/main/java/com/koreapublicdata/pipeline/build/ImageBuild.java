package com.koreapublicdata.pipeline.build;

import java.nio.file.Path;
import java.util.List;

/**
 * What an image builder produced.
 *
 * @param digest   sha256:... of the image manifest (or the local image id, see warnings)
 * @param tarball  the image tarball, or null when none was written
 * @param pushed   whether the image reached the registry
 * @param warnings what the image is not
 * @param skipped  Dockerfile instructions not carried out
 */
public record ImageBuild(String digest, Path tarball, boolean pushed, List<String> warnings, List<String> skipped) {
    public ImageBuild {
        warnings = List.copyOf(warnings);
        skipped = List.copyOf(skipped);
    }
}
