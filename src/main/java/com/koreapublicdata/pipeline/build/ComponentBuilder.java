package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.build.BuildResult.AuditResult;
import com.koreapublicdata.pipeline.build.BuildResult.CommandRun;
import com.koreapublicdata.pipeline.build.BuildResult.ImageResult;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.build.BuildResult.Tests;
import com.koreapublicdata.pipeline.config.BuildSettings;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.KoreaConfig;

/**
 * {@code korea build} for one component: test commands (and e2e), application build commands, dependency audits,
 * then the image, recorded by digest. Failures come back in the {@link BuildResult}; only bad input (an unknown
 * component, a missing directory, an invalid tag) is thrown.
 */
public final class ComponentBuilder {
    private final ConfigFile config;
    private final Map<String, String> env;
    private final Consumer<String> progress;
    private final CommandRunner runner;
    private final Clock clock;
    private final Binaries binaries;

    public ComponentBuilder(ConfigFile config, Map<String, String> env, Consumer<String> progress) {
        this(config, env, progress, new ProcessCommandRunner(), Clock.systemUTC());
    }

    /**
     * @param runner runs every external command (tests, auditors, external builders)
     * @param clock  build record times
     */
    public ComponentBuilder(ConfigFile config, Map<String, String> env, Consumer<String> progress, CommandRunner runner,
            Clock clock) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.progress = progress;
        this.runner = runner;
        this.clock = clock;
        this.binaries = new Binaries(env);
    }

    public BuildResult build(BuildRequest request) {
        long started = System.nanoTime();
        KoreaConfig model = config.config();
        Component component = model.component(request.component()).orElseThrow(() -> KoreaException.invalidInput(
                "--component " + request.component() + ": no such component in " + config.path() + " (components: "
                        + String.join(", ", model.components().keySet()) + ")"));
        Path dir = config.resolve(component.directory());
        if (!Files.isDirectory(dir)) {
            throw KoreaException.invalidInput(config.path() + ": components." + component.name() + ".directory "
                    + component.directory() + " is not a directory (" + dir + ")");
        }
        List<String> tagWarnings = new ArrayList<>();
        List<String> tags = ImageTags.tags(model.build().tags(), request.commit(), request.branch(), request.version(),
                tagWarnings);
        Path reportDir = config.stateDir().resolve("reports").resolve(component.name());
        List<CommandRun> runs = new ArrayList<>();
        List<String> junitFiles = List.of();
        Stage stage = new Stage(component.name(), dir, runs, started);

        if (!request.skipTests()) {
            JunitReports.reset(reportDir);
            FileTime since = FileTime.from(Instant.now().minusSeconds(2));
            Failure failure;
            // the services live exactly as long as the test and e2e commands, stopped whatever happened
            try (TestServices services = new TestServices(env, progress,
                    config.stateDir().resolve("services").resolve(component.name()))) {
                try {
                    services.start(component.name(), List.copyOf(component.services().values()));
                } catch (TestServices.StartFailure e) {
                    progress.accept(prefix(component, "test") + "FAILED: " + e.getMessage());
                    return new BuildResult(component.name(), Outcome.FAILED, "test", "service "
                            + services.failed(), null, component.name() + ": " + e.getMessage(),
                            new Tests(runs, reportDir.toString(), List.of()), List.of(), null, seconds(started));
                }
                failure = stage.run("test", testCommands(component, dir, reportDir), services.variables());
                if (failure == null) {
                    failure = stage.run("e2e", plain(component.e2e()), services.variables());
                }
            }
            junitFiles = JunitReports.collect(dir, reportDir, config.stateDir(), since);
            if (!junitFiles.isEmpty()) {
                progress.accept(prefix(component, "test") + junitFiles.size() + " JUnit report(s) in " + reportDir);
            }
            if (failure != null) {
                List<String> failedTests = JunitReports.failedTests(reportDir, junitFiles);
                return failure.result(new Tests(runs, reportDir.toString(), junitFiles), List.of(), null)
                        .withFailedTests(failedTests);
            }
        } else {
            progress.accept(prefix(component, "test") + "skipped (--skip-tests)");
        }
        Tests tests = new Tests(runs, reportDir.toString(), junitFiles);

        Failure buildFailure = stage.run("build", plain(component.build()), Map.of());
        if (buildFailure != null) {
            return buildFailure.result(tests, List.of(), null);
        }

        List<AuditResult> audits = List.of();
        if (model.build().audit()) {
            audits = new DependencyAudits(runner, env, model.scan().blockingSeverities())
                    .audit(component.kind(), dir, line -> progress.accept(prefix(component, "audit") + line));
            for (AuditResult audit : audits) {
                String line = prefix(component, "audit") + audit.auditor() + ": " + audit.status() + " - " + audit.message();
                progress.accept(audit.status().equals(DependencyAudits.RAN) ? line
                        : prefix(component, "audit") + "WARNING: " + audit.auditor() + " " + audit.status() + ": "
                        + audit.message());
            }
            List<String> blocking = audits.stream().filter(AuditResult::blocking)
                    .map(a -> a.auditor() + " (" + a.message() + ")").toList();
            if (!blocking.isEmpty()) {
                String message = "audit gate refused " + component.name() + ": " + String.join("; ", blocking);
                return new BuildResult(component.name(), Outcome.REFUSED, "audit", null, null, message, tests, audits,
                        null, seconds(started));
            }
        } else {
            progress.accept(prefix(component, "audit") + "skipped (build.audit is false)");
        }

        if (request.skipImage()) {
            progress.accept(prefix(component, "image") + "skipped (--skip-image)");
            return new BuildResult(component.name(), Outcome.PASSED, null, null, null,
                    component.name() + ": tests passed; image skipped", tests, audits, null, seconds(started));
        }
        return image(component, request, tags, tagWarnings, tests, audits, started);
    }

    private BuildResult image(Component component, BuildRequest request, List<String> tags, List<String> tagWarnings,
            Tests tests, List<AuditResult> audits, long started) {
        KoreaConfig model = config.config();
        BuildSettings settings = model.build();
        String prefix = prefix(component, "image");
        String repository = repository(model.registry(), component.image());
        boolean push = model.registry() != null && !model.registry().isBlank() && settings.push();
        String shortSha = request.commit() == null || request.commit().isBlank() ? "local" : ImageTags.shortSha(request.commit());
        Path tarball = config.stateDir().resolve("images").resolve(component.name() + "-" + shortSha + ".tar");
        Path dockerfile = config.resolve(component.dockerfile());
        Path context = config.resolve(component.context());
        if (!Files.isRegularFile(dockerfile)) {
            return new BuildResult(component.name(), Outcome.FAILED, "image", null, null, config.path()
                    + ": components." + component.name() + ".dockerfile " + component.dockerfile() + " does not exist ("
                    + dockerfile + ")", tests, audits, null, seconds(started));
        }
        tagWarnings.forEach(w -> progress.accept(prefix + "WARNING: " + w));
        BuilderDetector.Detection detection = new BuilderDetector(env, runner, context).detect(settings.builder());
        detection.notes().forEach(n -> progress.accept(prefix + n));
        String builderName = detection.builder().id();
        if (!detection.usable()) {
            String message = "build.builder " + builderName + " is configured but cannot work here: "
                    + detection.notes().get(detection.notes().size() - 1) + " (use builder: auto or jib)";
            ImageResult image = new ImageResult(repository, tags, null, null, null, builderName, false, tagWarnings,
                    List.of(), detection.notes());
            return new BuildResult(component.name(), Outcome.FAILED, "image", builderName + " info", null, message, tests,
                    audits, image, seconds(started));
        }
        String baseImage = settings.baseImage();
        if (baseImage != null && baseImage.startsWith("tar:")) {
            baseImage = "tar:" + config.resolve(baseImage.substring("tar:".length()));
        }
        ImageSpec spec = new ImageSpec(component.name(), dockerfile, context, repository, tags, tarball, baseImage, push,
                prefix);
        progress.accept(prefix + "building " + repository + " tags " + String.join(", ", tags) + " with " + builderName);
        long imageStarted = System.nanoTime();
        ImageBuild built;
        try {
            built = detection.builder() == BuildSettings.Builder.JIB
                    ? new JibImageBuilder(env, config.stateDir().resolve("cache").resolve("jib"), progress).build(spec)
                    : new ExternalImageBuilder(detection.builder(), detection.binary(), runner, env, progress,
                            settings.timeout()).build(spec);
        } catch (ImageBuildException | KoreaException | UncheckedIOException e) {
            // a bad Dockerfile fails this component only; korea run carries on with the others
            String command = e instanceof ImageBuildException ib && ib.command() != null ? ib.command() : builderName;
            Integer exitCode = e instanceof ImageBuildException ib ? ib.exitCode() : null;
            String message = component.name() + ": image build with " + builderName + " failed: " + e.getMessage();
            progress.accept(prefix + "FAILED: " + e.getMessage());
            ImageResult image = new ImageResult(repository, tags, null, null, null, builderName, false, tagWarnings,
                    List.of(), detection.notes());
            return new BuildResult(component.name(), Outcome.FAILED, "image", command, exitCode, message, tests,
                    audits, image, seconds(started));
        }
        List<String> warnings = new ArrayList<>(tagWarnings);
        warnings.addAll(built.warnings());
        String reference = repository + "@" + built.digest();
        String tarballPath = built.tarball() == null ? null : built.tarball().toString();
        BuildRecord record = new BuildRecord(component.name(), repository, tags, built.digest(), reference, tarballPath,
                builderName, request.commit(), request.branch(), request.version(), built.pushed(), warnings,
                clock.instant());
        Path recordFile = new BuildRecords(config.stateDir()).write(record);
        progress.accept(prefix + "digest " + built.digest() + " (" + String.format(java.util.Locale.ROOT, "%.1fs",
                seconds(imageStarted)) + ")" + (tarballPath == null ? "" : ", tarball " + tarballPath));
        progress.accept(prefix + "record " + recordFile);
        built.skipped().forEach(s -> progress.accept(prefix + "skipped " + s));
        ImageResult image = new ImageResult(repository, tags, built.digest(), reference, tarballPath, builderName,
                built.pushed(), warnings, built.skipped(), detection.notes());
        return new BuildResult(component.name(), Outcome.PASSED, null, null, null,
                component.name() + ": built " + reference, tests, audits, image, seconds(started));
    }

    /** {@code registry/image}, unless the image already names a registry host. */
    static String repository(String registry, String image) {
        String first = image.contains("/") ? image.substring(0, image.indexOf('/')) : "";
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (registry == null || registry.isBlank() || hasHost) {
            return image;
        }
        return registry.replaceFirst("/+$", "") + "/" + image;
    }

    // ---- commands ----

    /** A command to run and what it adds to the environment. */
    record Command(String line, Map<String, String> extraEnv) {
    }

    private static List<Command> plain(List<String> lines) {
        return lines.stream().map(l -> new Command(l, Map.of())).toList();
    }

    /** The component's test commands, or the defaults for its kind. */
    List<Command> testCommands(Component component, Path dir, Path reportDir) {
        if (!component.test().isEmpty()) {
            return plain(component.test());
        }
        List<Command> commands = new ArrayList<>();
        switch (component.kind()) {
            case NODE -> {
                commands.add(new Command("npm ci", Map.of()));
                commands.add(new Command("npm test", nodeJunit(dir, reportDir)));
            }
            case PYTHON -> {
                if (Files.exists(dir.resolve("requirements.txt"))) {
                    commands.add(new Command("pip install -r requirements.txt", Map.of()));
                }
                if (binaries.find("pytest").isPresent()) {
                    commands.add(new Command("pytest --junitxml=" + shellQuote(reportDir.resolve("pytest.xml").toString()),
                            Map.of()));
                } else {
                    commands.add(new Command("python3 -m unittest discover", Map.of()));
                }
            }
            case MAVEN -> commands.add(new Command("mvn -B verify", Map.of()));
            case CUSTOM -> progress.accept(prefix(component, "test") + "WARNING: kind custom and no test commands: "
                    + "nothing tested");
        }
        return commands;
    }

    /**
     * When the package's test script runs node's own test runner, asks it (through NODE_OPTIONS, as npm test passes
     * no options through to it) for a JUnit report beside the usual spec output.
     */
    private Map<String, String> nodeJunit(Path dir, Path reportDir) {
        try {
            JsonNode pkg = JsonMapping.mapper().readTree(Files.readString(dir.resolve("package.json"), StandardCharsets.UTF_8));
            String script = pkg.path("scripts").path("test").asText("");
            if (!script.matches("(^|.*\\s)node\\s+(.*\\s)?--test(\\s.*|$)")) {
                return Map.of();
            }
        } catch (IOException | UncheckedIOException e) {
            return Map.of();
        }
        String options = "--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit "
                + "--test-reporter-destination=" + reportDir.resolve("node-test.xml");
        String existing = env.getOrDefault("NODE_OPTIONS", "");
        return Map.of("NODE_OPTIONS", existing.isBlank() ? options : existing + " " + options);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The failing command of a stage, turned into a result. */
    private record Failure(String component, String stage, String command, int exitCode, long started) {
        BuildResult result(Tests tests, List<AuditResult> audits, ImageResult image) {
            String message = component + ": " + stage + " command '" + command + "' failed with exit code " + exitCode;
            return new BuildResult(component, Outcome.FAILED, stage, command, exitCode, message, tests, audits, image,
                    seconds(started));
        }
    }

    /** Runs a stage's commands in the component's directory, streaming with a prefix, stopping at the first failure. */
    private final class Stage {
        private final String component;
        private final Path dir;
        private final List<CommandRun> runs;
        private final long started;

        Stage(String component, Path dir, List<CommandRun> runs, long started) {
            this.component = component;
            this.dir = dir;
            this.runs = runs;
            this.started = started;
        }

        Failure run(String stage, List<Command> commands, Map<String, String> serviceEnv) {
            String prefix = "[" + component + " " + stage + "] ";
            for (Command command : commands) {
                progress.accept(prefix + "$ " + command.line());
                Map<String, String> commandEnv = new HashMap<>(env);
                commandEnv.putAll(serviceEnv);
                commandEnv.putAll(command.extraEnv());
                long start = System.nanoTime();
                CommandRunner.Execution execution = runner.run(List.of("sh", "-c", command.line()), dir, commandEnv,
                        config.config().build().timeout(),
                        line -> progress.accept(prefix + line));
                double took = seconds(start);
                runs.add(new CommandRun(stage, command.line(), execution.exitCode(), took));
                progress.accept(prefix + "exit " + execution.exitCode() + " after "
                        + String.format(java.util.Locale.ROOT, "%.1fs", took));
                if (execution.exitCode() != 0) {
                    return new Failure(component, stage, command.line(), execution.exitCode(), started);
                }
            }
            return null;
        }
    }

    private static String prefix(Component component, String stage) {
        return "[" + component.name() + " " + stage + "] ";
    }

    private static double seconds(long startNanos) {
        return Math.round(Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 100.0) / 10.0;
    }
}
