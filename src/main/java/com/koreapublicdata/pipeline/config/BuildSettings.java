package com.koreapublicdata.pipeline.config;

import java.util.List;

/** How images are built and tagged. */
public record BuildSettings(
        @Doc(value = "Image builder: auto, docker, podman, buildah, kaniko or jib (daemonless, writes an OCI tarball).",
                defaultValue = "auto (the first of docker, podman, buildah, kaniko found; jib otherwise)") Builder builder,
        @Doc(value = "Tags given to each image: git-sha, branch-latest, version.", defaultValue = "[git-sha, branch-latest]")
                List<String> tags,
        @Doc(value = "Push images when a registry is configured.", defaultValue = "true") Boolean push,
        @Doc(value = "Run dependency audits (npm audit, bandit, pip-audit/safety) and gate on them.", defaultValue = "true")
                Boolean audit,
        @Doc(value = "Base image for the daemonless (jib) builder instead of the Dockerfile's FROM: an image reference, "
                + "or tar:PATH for a docker-save tarball (relative to korea.yaml) when no registry can be reached.",
                defaultValue = "the Dockerfile's FROM")
                String baseImage,
        @Doc(value = "How long one test, build or image-builder command may run before it is stopped and fails the "
                + "build (exit code 124).", defaultValue = "60m") java.time.Duration timeout) {

    public enum Builder {
        AUTO, DOCKER, PODMAN, BUILDAH, KANIKO, JIB;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BuildSettings {
        builder = builder == null ? Builder.AUTO : builder;
        tags = tags == null ? List.of("git-sha", "branch-latest") : List.copyOf(tags);
        push = push == null || push;
        audit = audit == null || audit;
        timeout = timeout == null ? java.time.Duration.ofMinutes(60) : timeout;
    }

    public static BuildSettings defaults() {
        return new BuildSettings(null, null, null, null, null, null);
    }
}
