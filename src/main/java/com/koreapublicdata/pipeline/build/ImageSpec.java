package com.koreapublicdata.pipeline.build;

import java.nio.file.Path;
import java.util.List;

/**
 * What an image builder is asked to build.
 *
 * @param component   component name (for messages)
 * @param dockerfile  the Dockerfile
 * @param context     the build context directory
 * @param repository  image repository without tag ({@code registry/project-name} or {@code project-name})
 * @param tags        tags to give, first is the primary one
 * @param tarball     where to write the image tarball
 * @param baseImage   build.baseImage: null (use FROM), an image reference, or {@code tar:/path/to/image.tar}
 * @param push        push to the registry (a registry is configured and build.push is true)
 * @param prefix      prefix for streamed output lines, e.g. {@code [frontend image] }
 */
public record ImageSpec(String component, Path dockerfile, Path context, String repository, List<String> tags,
        Path tarball, String baseImage, boolean push, String prefix) {

    public ImageSpec {
        tags = List.copyOf(tags);
    }
}
