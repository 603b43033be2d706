package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.config.BuildSettings;
import com.koreapublicdata.pipeline.config.BuildSettings.Builder;

/**
 * Builds with an installed builder (docker, podman, buildah, kaniko). The digest is the manifest digest its push
 * reports; without a push it is the local image id from {@code --iidfile} (kaniko: its {@code --digest-file}).
 */
public final class ExternalImageBuilder {
    private static final Pattern PUSH_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Builder builder;
    private final Path binary;
    private final CommandRunner runner;
    private final Map<String, String> env;
    private final Consumer<String> progress;
    private final Duration timeout;

    public ExternalImageBuilder(Builder builder, Path binary, CommandRunner runner, Map<String, String> env,
            Consumer<String> progress) {
        this(builder, binary, runner, env, progress, BuildSettings.defaults().timeout());
    }

    /** @param timeout how long each builder command (build, push, save) may run */
    public ExternalImageBuilder(Builder builder, Path binary, CommandRunner runner, Map<String, String> env,
            Consumer<String> progress, Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        this.builder = builder;
        this.binary = binary;
        this.runner = runner;
        this.env = env;
        this.progress = progress;
    }

    public ImageBuild build(ImageSpec spec) throws ImageBuildException {
        List<String> warnings = new ArrayList<>();
        Path work;
        try {
            Files.createDirectories(spec.tarball().getParent());
            work = Files.createTempDirectory(spec.tarball().getParent(), ".build");
        } catch (IOException e) {
            throw new ImageBuildException("cannot create " + spec.tarball().getParent() + ": " + e.getMessage(), e);
        }
        Path idFile = work.resolve("iid");
        Path digestFile = work.resolve("digest");
        List<String> references = spec.tags().stream().map(t -> spec.repository() + ":" + t).toList();
        if (spec.baseImage() != null && !spec.baseImage().isBlank()) {
            warnings.add("build.baseImage applies to the jib builder only; " + builder.id() + " uses the Dockerfile's FROM");
        }
        try {
            if (builder == Builder.KANIKO) {
                List<String> argv = new ArrayList<>(List.of(binary.toString(),
                        "--dockerfile=" + spec.dockerfile(), "--context=dir://" + spec.context(),
                        "--digest-file=" + digestFile, "--reproducible"));
                references.forEach(r -> argv.add("--destination=" + r));
                if (!spec.push()) {
                    argv.add("--no-push");
                    argv.add("--tar-path=" + spec.tarball());
                }
                exec(spec, argv);
                String digest = readDigest(digestFile, "kaniko --digest-file");
                return new ImageBuild(digest, spec.push() ? null : spec.tarball(), spec.push(), warnings, List.of());
            }
            List<String> argv = new ArrayList<>(List.of(binary.toString(), builder == Builder.BUILDAH ? "bud" : "build",
                    "-f", spec.dockerfile().toString(), "--iidfile", idFile.toString()));
            references.forEach(r -> {
                argv.add("-t");
                argv.add(r);
            });
            argv.add(spec.context().toString());
            exec(spec, argv);
            String digest = readDigest(idFile, builder.id() + " --iidfile");
            boolean pushed = false;
            if (spec.push()) {
                String pushedDigest = null;
                for (String reference : references) {
                    List<String> push = new ArrayList<>(List.of(binary.toString(), "push"));
                    if (builder != Builder.DOCKER) {
                        push.add("--digestfile");
                        push.add(digestFile.toString());
                    }
                    push.add(reference);
                    CommandRunner.Execution run = exec(spec, push);
                    if (pushedDigest == null) {
                        pushedDigest = builder == Builder.DOCKER ? pushDigest(run.stdout() + run.stderr())
                                : readDigest(digestFile, builder.id() + " push --digestfile");
                    }
                }
                digest = pushedDigest;
                pushed = true;
            } else {
                warnings.add("not pushed: the digest is the local image id (" + builder.id()
                        + " --iidfile); a registry reports the manifest digest on push");
            }
            List<String> save = switch (builder) {
                case DOCKER -> List.of(binary.toString(), "save", "-o", spec.tarball().toString(), references.get(0));
                case PODMAN -> List.of(binary.toString(), "save", "--format", "oci-archive", "-o",
                        spec.tarball().toString(), references.get(0));
                default -> List.of(binary.toString(), "push", references.get(0), "oci-archive:" + spec.tarball());
            };
            exec(spec, save);
            return new ImageBuild(digest, spec.tarball(), pushed, warnings, List.of());
        } finally {
            deleteQuietly(work);
        }
    }

    private CommandRunner.Execution exec(ImageSpec spec, List<String> argv) throws ImageBuildException {
        String shown = builder.id() + " " + String.join(" ", argv.subList(1, argv.size()));
        progress.accept(spec.prefix() + "$ " + shown);
        CommandRunner.Execution run = runner.run(argv, spec.context(), env, timeout,
                line -> progress.accept(spec.prefix() + line));
        if (run.exitCode() != 0) {
            throw new ImageBuildException("'" + shown + "' failed with exit code " + run.exitCode(), shown, run.exitCode());
        }
        return run;
    }

    static String pushDigest(String output) throws ImageBuildException {
        Matcher m = PUSH_DIGEST.matcher(output);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        if (found == null) {
            throw new ImageBuildException("docker push printed no 'digest: sha256:...' line", "docker push", null);
        }
        return found;
    }

    private static String readDigest(Path file, String what) throws ImageBuildException {
        Optional<String> digest = Optional.empty();
        try {
            if (Files.isRegularFile(file)) {
                Matcher m = DIGEST.matcher(Files.readString(file, StandardCharsets.UTF_8));
                digest = m.find() ? Optional.of(m.group()) : Optional.empty();
            }
        } catch (IOException e) {
            // reported below
        }
        return digest.orElseThrow(() -> new ImageBuildException(what + " wrote no sha256 digest", what, null));
    }

    private static void deleteQuietly(Path dir) {
        try (var stream = Files.walk(dir)) {
            stream.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
