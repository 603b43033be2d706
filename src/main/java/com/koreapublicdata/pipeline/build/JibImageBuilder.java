package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

/**
 * The daemonless builder: reads the Dockerfile's simple instructions and assembles an OCI image with jib-core,
 * without a container runtime. RUN cannot run here; it is reported as skipped. Layers use jib's fixed file times
 * and creation time, so the same inputs give the same digest.
 */
public final class JibImageBuilder {
    /** Label set when the base image could not be fetched and the image was built from scratch. */
    public static final String BASE_IMAGE_MISSING_LABEL = "org.koreapublicdata.base-image-missing";
    // jib's own default file time (epoch + 1 s): kept explicit because reproducible digests depend on it
    private static final Instant FILE_TIME = Instant.ofEpochSecond(1);

    private final Map<String, String> env;
    private final Path cacheDir;
    private final Consumer<String> progress;

    /**
     * @param env      environment (registry credentials KOREA_REGISTRY_USERNAME / KOREA_REGISTRY_PASSWORD)
     * @param cacheDir jib's layer caches
     * @param progress receives prefixed progress lines
     */
    public JibImageBuilder(Map<String, String> env, Path cacheDir, Consumer<String> progress) {
        this.env = env;
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** The Dockerfile's final stage as jib settings. */
    record Plan(String from, List<FileEntriesLayer> layers, String workdir, Map<String, String> environment,
            Map<String, String> labels, Set<Port> ports, String user, List<String> entrypoint, List<String> cmd,
            Set<AbsoluteUnixPath> volumes, List<String> skipped, List<String> warnings) {
    }

    public ImageBuild build(ImageSpec spec) throws ImageBuildException {
        Dockerfile dockerfile = Dockerfile.read(spec.dockerfile());
        Plan plan = plan(dockerfile, spec.context());
        List<String> warnings = new ArrayList<>(plan.warnings());
        ImageReference target = reference(spec.repository() + ":" + spec.tags().get(0));
        String base = spec.baseImage() != null && !spec.baseImage().isBlank() ? spec.baseImage().strip() : plan.from();
        try {
            Files.createDirectories(spec.tarball().getParent());
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new ImageBuildException("cannot create " + spec.tarball().getParent() + ": " + e.getMessage(), e);
        }

        JibContainer container;
        boolean fromScratch = false;
        if (base.startsWith("tar:")) {
            Path tar = Path.of(base.substring(4));
            if (!Files.isRegularFile(tar)) {
                throw new ImageBuildException("build.baseImage " + base + ": no such file", "jib", null);
            }
            log(spec, "base image from tarball " + tar);
            container = containerize(spec, configure(Jib.from(TarImage.at(tar)), plan, Map.of()), target);
        } else if (base.equals("scratch")) {
            container = containerize(spec, configure(Jib.fromScratch(), plan, Map.of()), target);
            fromScratch = true;
        } else {
            JibContainer fetched = null;
            String why = unreachable(reference(base));
            if (why == null) {
                try {
                    log(spec, "base image " + base + " (fetching from its registry)");
                    fetched = containerize(spec, configure(Jib.from(baseImage(base)), plan, Map.of()), target);
                } catch (ImageBuildException e) {
                    why = rootMessage(e);
                }
            }
            if (fetched == null) {
                String warning = "base image " + base + " could not be fetched (" + why + "): built from scratch; "
                        + "the image holds the application layers only, for scanning and digest tracking, and is NOT "
                        + "runnable (label " + BASE_IMAGE_MISSING_LABEL + "=" + base + ")";
                warnings.add(warning);
                progress.accept(spec.prefix() + "WARNING: " + warning);
                fetched = containerize(spec, configure(Jib.fromScratch(), plan, Map.of(BASE_IMAGE_MISSING_LABEL, base)),
                        target);
                fromScratch = true;
            }
            container = fetched;
        }
        String digest = container.getDigest().toString();
        boolean pushed = false;
        if (spec.push()) {
            JibContainerBuilder again = fromScratch
                    ? configure(Jib.fromScratch(), plan, base.equals("scratch") ? Map.of() : Map.of(BASE_IMAGE_MISSING_LABEL, base))
                    : base.startsWith("tar:") ? configure(Jib.from(TarImage.at(Path.of(base.substring(4)))), plan, Map.of())
                    : configure(Jib.from(baseImage(base)), plan, Map.of());
            String pushedDigest = push(spec, again, target);
            pushed = true;
            if (!pushedDigest.equals(digest)) {
                warnings.add("the pushed manifest digest " + pushedDigest + " differs from the tarball's " + digest
                        + ": the pushed one is recorded");
                digest = pushedDigest;
            }
        }
        return new ImageBuild(digest, spec.tarball(), pushed, warnings, plan.skipped());
    }

    private JibContainer containerize(ImageSpec spec, JibContainerBuilder builder, ImageReference target)
            throws ImageBuildException {
        Containerizer containerizer = Containerizer.to(TarImage.at(spec.tarball()).named(target));
        for (String tag : spec.tags().subList(1, spec.tags().size())) {
            containerizer = containerizer.withAdditionalTag(tag);
        }
        return run(spec, builder, containerizer);
    }

    private String push(ImageSpec spec, JibContainerBuilder builder, ImageReference target) throws ImageBuildException {
        RegistryImage registryImage = RegistryImage.named(target);
        String user = env.get("KOREA_REGISTRY_USERNAME");
        String password = env.get("KOREA_REGISTRY_PASSWORD");
        if (user != null && password != null) {
            registryImage.addCredential(user, password);
        } else {
            progress.accept(spec.prefix() + "WARNING: KOREA_REGISTRY_USERNAME/KOREA_REGISTRY_PASSWORD not set: "
                    + "pushing without credentials");
        }
        // like docker, a registry on this machine may speak plain HTTP (e.g. registry: localhost:5000)
        Containerizer containerizer = Containerizer.to(registryImage).setAllowInsecureRegistries(local(target));
        for (String tag : spec.tags().subList(1, spec.tags().size())) {
            containerizer = containerizer.withAdditionalTag(tag);
        }
        log(spec, "pushing " + spec.repository() + " tags " + String.join(", ", spec.tags()));
        try {
            return run(spec, builder, containerizer).getDigest().toString();
        } catch (ImageBuildException e) {
            throw new ImageBuildException("push to " + spec.repository() + " failed: " + rootMessage(e), "jib push", null);
        }
    }

    private JibContainer run(ImageSpec spec, JibContainerBuilder builder, Containerizer containerizer)
            throws ImageBuildException {
        // the tool name stays jib's default (history says created_by jib-core:0.27.3), so digests do not change
        // with korea's own version
        containerizer = containerizer
                .setBaseImageLayersCache(cacheDir.resolve("base"))
                .setApplicationLayersCache(cacheDir.resolve("application"))
                .addEventHandler(LogEvent.class, event -> {
                    if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN
                            || event.getLevel() == LogEvent.Level.LIFECYCLE) {
                        progress.accept(spec.prefix() + "jib: " + event.getMessage().replaceAll("\u001b\\[[0-9;]*m", ""));
                    }
                });
        try {
            return builder.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted", e);
        } catch (Exception e) {
            throw new ImageBuildException(rootMessage(e), e);
        }
    }

    /**
     * Why the base image's registry cannot be reached, or null when a connection opens. Checked first because
     * jib retries an unreachable registry with back-off for about a minute.
     */
    private static String unreachable(ImageReference base) {
        String registry = base.getRegistry();
        String host = registry;
        int port = 443;
        int colon = registry.lastIndexOf(':');
        if (colon > 0 && registry.substring(colon + 1).matches("\\d+")) {
            host = registry.substring(0, colon);
            port = Integer.parseInt(registry.substring(colon + 1));
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 5000);
            return null;
        } catch (java.net.UnknownHostException e) {
            return "unknown host " + host;
        } catch (IOException e) {
            return "cannot connect to " + host + ":" + port + ": " + e.getMessage();
        }
    }

    private static boolean local(ImageReference reference) {
        String host = reference.getRegistry().replaceFirst(":\\d+$", "");
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private RegistryImage baseImage(String base) throws ImageBuildException {
        RegistryImage image = RegistryImage.named(reference(base));
        return image;
    }

    private static ImageReference reference(String ref) throws ImageBuildException {
        try {
            return ImageReference.parse(ref);
        } catch (InvalidImageReferenceException e) {
            throw new ImageBuildException("'" + ref + "' is not a valid image reference (repositories are lower case: "
                    + "[a-z0-9._/-])", "jib", null);
        }
    }

    private static JibContainerBuilder configure(JibContainerBuilder builder, Plan plan, Map<String, String> extraLabels) {
        builder.setFormat(ImageFormat.OCI)
                .setCreationTime(Instant.EPOCH)
                .setFileEntriesLayers(plan.layers());
        if (plan.workdir() != null) {
            builder.setWorkingDirectory(AbsoluteUnixPath.get(plan.workdir()));
        }
        if (!plan.environment().isEmpty()) {
            builder.setEnvironment(plan.environment());
        }
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.putAll(extraLabels);
        if (!labels.isEmpty()) {
            builder.setLabels(labels);
        }
        if (!plan.ports().isEmpty()) {
            builder.setExposedPorts(plan.ports());
        }
        if (!plan.volumes().isEmpty()) {
            builder.setVolumes(plan.volumes());
        }
        if (plan.user() != null) {
            builder.setUser(plan.user());
        }
        if (plan.entrypoint() != null) {
            builder.setEntrypoint(plan.entrypoint());
        }
        if (plan.cmd() != null) {
            builder.setProgramArguments(plan.cmd());
        }
        return builder;
    }

    private void log(ImageSpec spec, String message) {
        progress.accept(spec.prefix() + message);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\u001b\\[[0-9;]*m", "");
        if (t instanceof java.net.UnknownHostException) {
            message = "unknown host " + message;
        }
        return message.lines().findFirst().orElse(message);
    }

    // ---- Dockerfile -> plan ----

    /** Interprets the final stage; package-private for tests. */
    static Plan plan(Dockerfile dockerfile, Path context) {
        Map<String, String> vars = new LinkedHashMap<>(dockerfile.preambleArgs());
        String workdir = null;
        List<FileEntriesLayer> layers = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Set<Port> ports = new LinkedHashSet<>();
        Set<AbsoluteUnixPath> volumes = new LinkedHashSet<>();
        String user = null;
        List<String> entrypoint = null;
        List<String> cmd = null;
        List<String> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        DockerIgnore ignore = DockerIgnore.read(context);
        for (Dockerfile.Instruction earlier : dockerfile.earlier()) {
            skipped.add(earlier + " (earlier build stage)");
        }
        String where = "Dockerfile " + dockerfile.file();
        for (Dockerfile.Instruction in : dockerfile.stage()) {
            String args = in.arguments();
            switch (in.keyword()) {
                case "ARG" -> {
                    String[] kv = args.split("=", 2);
                    vars.putIfAbsent(kv[0].strip(), kv.length > 1 ? Dockerfile.unquote(kv[1]) : "");
                }
                case "ENV" -> Dockerfile.keyValues(Dockerfile.substitute(args, vars)).forEach((k, v) -> {
                    environment.put(k, v);
                    vars.put(k, v);
                });
                case "LABEL" -> labels.putAll(Dockerfile.keyValues(Dockerfile.substitute(args, vars)));
                case "WORKDIR" -> workdir = resolve(workdir == null ? "/" : workdir, Dockerfile.substitute(args, vars));
                case "USER" -> user = Dockerfile.substitute(args, vars).strip();
                case "EXPOSE" -> {
                    for (String word : Dockerfile.words(Dockerfile.substitute(args, vars))) {
                        String[] pp = word.split("/", 2);
                        try {
                            ports.add(Port.parseProtocol(Integer.parseInt(pp[0]), pp.length > 1 ? pp[1] : "tcp"));
                        } catch (NumberFormatException e) {
                            skipped.add(in + " (not a port number)");
                        }
                    }
                }
                case "CMD" -> cmd = Dockerfile.commandLine(args);
                case "ENTRYPOINT" -> {
                    entrypoint = Dockerfile.commandLine(args);
                    // Docker: ENTRYPOINT resets an inherited CMD
                    cmd = cmd == null ? List.of() : cmd;
                }
                case "VOLUME" -> {
                    List<String> paths = args.strip().startsWith("[") ? Dockerfile.commandLine(args)
                            : Dockerfile.words(Dockerfile.substitute(args, vars));
                    for (String p : paths) {
                        volumes.add(AbsoluteUnixPath.get(resolve(workdir == null ? "/" : workdir, p)));
                    }
                }
                case "COPY", "ADD" -> {
                    FileEntriesLayer layer = copy(in, Dockerfile.substitute(args, vars), workdir == null ? "/" : workdir,
                            context, ignore, skipped, warnings, where);
                    if (layer != null) {
                        layers.add(layer);
                    }
                }
                default -> skipped.add(in.toString());
            }
        }
        long runs = dockerfile.stage().stream().filter(i -> i.keyword().equals("RUN")).count();
        if (runs > 0) {
            warnings.add(runs + " RUN instruction" + (runs == 1 ? " was" : "s were")
                    + " skipped: the daemonless builder has no container runtime to run them (see skipped)");
        }
        return new Plan(dockerfile.from(), layers, workdir, environment, labels, ports, user, entrypoint, cmd, volumes,
                skipped, warnings);
    }

    private static FileEntriesLayer copy(Dockerfile.Instruction in, String args, String workdir, Path context,
            DockerIgnore ignore, List<String> skipped, List<String> warnings, String where) {
        List<String> words = new ArrayList<>(Dockerfile.words(args));
        String chown = "";
        FilePermissions chmod = null;
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--from=")) {
                skipped.add(in + " (copies from another stage or image)");
                return null;
            } else if (flag.startsWith("--chown=")) {
                chown = flag.substring("--chown=".length());
            } else if (flag.startsWith("--chmod=")) {
                chmod = octal(flag.substring("--chmod=".length()), where, in);
            }
        }
        List<String> operands = args.strip().startsWith("[") || (!words.isEmpty() && words.get(0).startsWith("["))
                ? Dockerfile.commandLine(String.join(" ", words)) : words.stream().map(Dockerfile::unquote).toList();
        if (operands.size() < 2) {
            throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.USAGE,
                    where + " line " + in.line() + ": " + in.keyword() + " needs a source and a destination");
        }
        String dest = operands.get(operands.size() - 1);
        List<Path> sources = new ArrayList<>();
        for (String source : operands.subList(0, operands.size() - 1)) {
            if (source.matches("^[a-z]+://.*") || source.startsWith("git@")) {
                skipped.add(in + " (remote source " + source + ")");
                continue;
            }
            sources.addAll(expand(source, context, ignore, where, in));
        }
        if (sources.isEmpty()) {
            return null;
        }
        if (in.keyword().equals("ADD") && sources.stream().anyMatch(p -> p.toString().matches(".*\\.(tar|tgz|tar\\.gz|tar\\.xz|tar\\.bz2)$"))) {
            warnings.add("line " + in.line() + ": ADD of an archive copies it as is (Docker would extract it)");
        }
        String destPath = resolve(workdir, dest);
        boolean destIsDir = dest.endsWith("/") || dest.equals(".") || sources.size() > 1;
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(in.keyword().toLowerCase() + "-line-" + in.line());
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                for (Path file : walk(source)) {
                    String relativeToContext = context.relativize(file).toString().replace('\\', '/');
                    if (ignore.ignored(relativeToContext)) {
                        continue;
                    }
                    String rel = source.relativize(file).toString().replace('\\', '/');
                    add(layer, file, join(destPath, rel), chown, chmod);
                }
            } else {
                add(layer, source, destIsDir ? join(destPath, source.getFileName().toString()) : destPath, chown, chmod);
            }
        }
        return layer.build();
    }

    private static FilePermissions octal(String mode, String where, Dockerfile.Instruction in) {
        if (!mode.matches("[0-7]{3,4}")) {
            throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.USAGE,
                    where + " line " + in.line() + ": --chmod=" + mode + " is not an octal mode like 755");
        }
        return FilePermissions.fromOctalString(mode.substring(mode.length() - 3));
    }

    private static void add(FileEntriesLayer.Builder layer, Path file, String target, String chown, FilePermissions chmod) {
        FilePermissions permissions = chmod != null ? chmod
                : Files.isDirectory(file) || Files.isExecutable(file) ? FilePermissions.fromOctalString("755")
                : FilePermissions.fromOctalString("644");
        layer.addEntry(file, AbsoluteUnixPath.get(target), permissions, FILE_TIME, chown);
    }

    /** The sources a COPY operand names, inside the context; wildcards match file names. */
    private static List<Path> expand(String source, Path context, DockerIgnore ignore, String where,
            Dockerfile.Instruction in) {
        String relative = source.replaceFirst("^/+", "");
        Path resolved = context.resolve(relative.isEmpty() ? "." : relative).normalize();
        if (!resolved.startsWith(context.normalize())) {
            throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.USAGE,
                    where + " line " + in.line() + ": " + source + " is outside the build context " + context);
        }
        if (!relative.matches(".*[*?\\[].*")) {
            if (!Files.exists(resolved)) {
                throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.USAGE,
                        where + " line " + in.line() + ": " + source + " does not exist in the build context " + context);
            }
            return List.of(resolved);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relative.replaceFirst("^\\./", ""));
        List<Path> matches = new ArrayList<>();
        for (Path p : walk(context)) {
            String rel = context.relativize(p).toString().replace('\\', '/');
            if (matcher.matches(Path.of(rel)) && !ignore.ignored(rel)) {
                matches.add(p);
            }
        }
        if (matches.isEmpty()) {
            throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.USAGE,
                    where + " line " + in.line() + ": " + source + " matches nothing in the build context " + context);
        }
        return matches;
    }

    /** Every file and folder below {@code dir}, sorted, so layers are the same on every machine. */
    private static List<Path> walk(Path dir) {
        try (Stream<Path> stream = Files.walk(dir)) {
            return stream.filter(p -> !p.equals(dir)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String resolve(String workdir, String path) {
        String p = path.strip();
        String joined = p.startsWith("/") ? p : join(workdir, p);
        Path normal = Path.of(joined).normalize();
        String s = normal.toString().replace('\\', '/');
        return s.isEmpty() ? "/" : s.startsWith("/") ? s : "/" + s;
    }

    private static String join(String dir, String rel) {
        if (rel.isEmpty() || rel.equals(".")) {
            return dir;
        }
        return dir.endsWith("/") ? dir + rel : dir + "/" + rel;
    }

    /** The build context's .dockerignore: glob patterns, later ones win, {@code !} re-includes. */
    record DockerIgnore(List<String> patterns) {
        static DockerIgnore read(Path context) {
            Path file = context.resolve(".dockerignore");
            if (!Files.isRegularFile(file)) {
                return new DockerIgnore(List.of());
            }
            try {
                return new DockerIgnore(Files.readAllLines(file).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        boolean ignored(String relative) {
            boolean ignored = false;
            for (String pattern : patterns) {
                boolean negate = pattern.startsWith("!");
                String glob = (negate ? pattern.substring(1) : pattern).replaceFirst("^/+", "").replaceFirst("/+$", "");
                if (glob.startsWith("./")) {
                    glob = glob.substring(2);
                }
                if (glob.isEmpty()) {
                    continue;
                }
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                // **/ also matches at the top, as in Docker
                PathMatcher top = glob.startsWith("**/")
                        ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)) : matcher;
                // a pattern naming a folder covers everything below it
                Path path = Path.of(relative);
                boolean matches = false;
                for (Path p = path; p != null && !matches; p = p.getParent()) {
                    matches = matcher.matches(p) || top.matches(p);
                }
                if (matches) {
                    ignored = !negate;
                }
            }
            return ignored;
        }
    }
}
