package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.config.TestService;

/**
 * The services a component's tests need (components.C.services), started before the test commands and stopped
 * after them whatever happened. A service runs in docker or podman when one actually works (a {@code docker}
 * binary without a daemon does not), else from its {@code command}; it listens on a free port of 127.0.0.1 and is
 * ready when that port accepts a connection.
 */
final class TestServices implements AutoCloseable {
    private static final int LOG_LINES = 20;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** A service that could not be started: the test stage fails with this message. */
    static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }

    private String current; // the service being started, for the failure

    /** The service that could not start. */
    String failed() {
        return current;
    }

    private final Map<String, String> env;
    private final Consumer<String> progress;
    private final Path logDir;
    private final Binaries binaries;
    private final List<Running> running = new ArrayList<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private String runtime; // docker, podman, "" for none; probed once

    /**
     * @param env      the environment korea runs in (PATH finds docker, podman and the services' commands)
     * @param logDir   where a command service's output goes, for the last lines on failure
     */
    TestServices(Map<String, String> env, Consumer<String> progress, Path logDir) {
        this.env = Map.copyOf(env);
        this.progress = progress;
        this.logDir = logDir;
        this.binaries = new Binaries(env);
    }

    /** Starts every service in order; on the first failure stops those already started and throws. */
    void start(String component, List<TestService> services) throws StartFailure {
        for (TestService service : services) {
            current = service.name();
            if (service.onlyInPod() && !List.of(env.getOrDefault("KOREA_POD_SERVICES", "").split(",")).contains(service.name())) {
                progress.accept("[" + component + " services] " + service.name() + ": not started (onlyInPod: a sidecar "
                        + "of the Jenkins pod only)");
                continue;
            }
            try {
                startOne(component, service);
            } catch (StartFailure e) {
                close();
                throw e;
            }
        }
    }

    /** {NAME}_HOST, {NAME}_PORT and {NAME}_URL of every started service. */
    Map<String, String> variables() {
        return Collections.unmodifiableMap(variables);
    }

    private void startOne(String component, TestService service) throws StartFailure {
        String prefix = "[" + component + " services] ";
        String what = "service " + service.name();
        if (List.of(env.getOrDefault("KOREA_POD_SERVICES", "").split(",")).contains(service.name())) {
            // a sidecar of this Jenkins pod already runs it on localhost, on its own port
            progress.accept(prefix + service.name() + ": the pod's sidecar on 127.0.0.1:" + service.port());
            awaitPort(new Running(service.name(), null, null, null, null), service.port(), service.timeout(), what);
            publish(service, service.port());
            return;
        }
        int port = freePort(what);
        String runtimeName = service.image() == null ? "" : runtime();
        Running started;
        if (!runtimeName.isEmpty()) {
            progress.accept(prefix + service.name() + ": " + runtimeName + " run " + service.image() + " on 127.0.0.1:"
                    + port);
            started = startContainer(runtimeName, service, port, what);
        } else if (!service.command().isEmpty()) {
            List<String> argv = service.command().stream().map(a -> a.replace("{port}", Integer.toString(port))).toList();
            progress.accept(prefix + service.name() + ": " + (service.image() == null ? ""
                    : "no working docker or podman; ") + "running " + String.join(" ", argv) + " on 127.0.0.1:" + port);
            started = startCommand(service, argv, what);
        } else {
            throw new StartFailure(what + " cannot start: it has image " + service.image() + " but neither docker nor "
                    + "podman works here, and it has no command: to run instead (e.g. [redis-server, --port, \"{port}\"])");
        }
        running.add(started);
        awaitPort(started, port, service.timeout(), what);
        progress.accept(prefix + service.name() + ": ready on 127.0.0.1:" + port);
        publish(service, port);
    }

    private void publish(TestService service, int port) {
        String name = service.variablePrefix();
        variables.put(name + "_HOST", "127.0.0.1");
        variables.put(name + "_PORT", Integer.toString(port));
        variables.put(name + "_URL", service.urlTemplate().replace("{host}", "127.0.0.1")
                .replace("{port}", Integer.toString(port)));
    }

    // ---- container runtime ----

    /** docker or podman when {@code info} succeeds (a daemon answers), else "". */
    private String runtime() {
        if (runtime == null) {
            runtime = "";
            for (String candidate : List.of("docker", "podman")) {
                if (binaries.find(candidate).isPresent() && succeeds(List.of(candidate, "info"))) {
                    runtime = candidate;
                    break;
                }
            }
        }
        return runtime;
    }

    private boolean succeeds(List<String> argv) {
        try {
            Process p = process(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Running startContainer(String runtimeName, TestService service, int port, String what) throws StartFailure {
        List<String> argv = new ArrayList<>(List.of(runtimeName, "run", "-d", "--rm", "-p",
                "127.0.0.1:" + port + ":" + service.port()));
        Map<String, String> childEnv = new HashMap<>(env);
        service.env().forEach((k, v) -> {
            argv.add("-e");
            argv.add(k); // the value travels in the child's environment, not on the command line
            childEnv.put(k, v);
        });
        argv.add(service.image());
        try {
            Path out = Files.createTempFile("korea-service", ".out");
            try {
                ProcessBuilder pb = process(argv).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().clear();
                pb.environment().putAll(childEnv);
                Process p = pb.start();
                if (!p.waitFor(Math.max(service.timeout().toMillis(), 1000), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new StartFailure(what + ": " + runtimeName + " run " + service.image() + " did not return within "
                            + service.timeout().toSeconds() + "s");
                }
                List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0 || lines.isEmpty()) {
                    throw new StartFailure(what + ": " + runtimeName + " run " + service.image() + " failed with exit code "
                            + p.exitValue() + ": " + String.join(" / ", last(lines)));
                }
                return new Running(service.name(), null, runtimeName, lines.get(lines.size() - 1).strip(), null);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new StartFailure(what + ": cannot run " + runtimeName + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure(what + ": interrupted while starting");
        }
    }

    private Running startCommand(TestService service, List<String> argv, String what) throws StartFailure {
        if (binaries.find(argv.get(0)).isEmpty()) {
            throw new StartFailure(what + " cannot start: " + argv.get(0) + " is not on PATH"
                    + (service.image() == null ? "" : " and neither docker nor podman works here"));
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(service.name() + ".log");
            ProcessBuilder pb = process(argv).redirectErrorStream(true).redirectOutput(log.toFile()).directory(logDir.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.environment().putAll(service.env());
            return new Running(service.name(), pb.start(), null, null, log);
        } catch (IOException e) {
            throw new StartFailure(what + " cannot start " + argv.get(0) + ": " + e.getMessage());
        }
    }

    private ProcessBuilder process(List<String> argv) {
        List<String> resolved = new ArrayList<>(argv);
        binaries.find(argv.get(0)).ifPresent(p -> resolved.set(0, p.toString()));
        return new ProcessBuilder(resolved);
    }

    private void awaitPort(Running service, int port, Duration timeout, String what) throws StartFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (service.process() != null && !service.process().isAlive()) {
                throw new StartFailure(what + " exited with code " + service.process().exitValue()
                        + " before accepting connections on 127.0.0.1:" + port + ": " + String.join(" / ",
                        last(service.logLines())));
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(what + " did not accept connections on 127.0.0.1:" + port + " within "
                        + timeout.toSeconds() + "s (timeout); last output: " + String.join(" / ",
                        last(logsOf(service))));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartFailure(what + ": interrupted while waiting for its port");
            }
        }
    }

    private List<String> logsOf(Running service) {
        if (service.process() != null || service.runtime() == null) {
            return service.logLines();
        }
        try {
            Process p = process(List.of(service.runtime(), "logs", "--tail", Integer.toString(LOG_LINES), service.containerId()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return out.lines().toList();
        } catch (IOException e) {
            return List.of("(no logs: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static List<String> last(List<String> lines) {
        List<String> kept = lines.stream().filter(l -> !l.isBlank()).toList();
        return kept.isEmpty() ? List.of("(no output)") : kept.subList(Math.max(0, kept.size() - LOG_LINES), kept.size());
    }

    private static int freePort(String what) throws StartFailure {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartFailure(what + ": no free port on 127.0.0.1: " + e.getMessage());
        }
    }

    /** Stops every started service, last first. */
    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            Running service = running.get(i);
            if (service.process() != null) {
                service.process().destroy();
                try {
                    if (!service.process().waitFor(10, TimeUnit.SECONDS)) {
                        service.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    service.process().destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            } else {
                succeeds(List.of(service.runtime(), "stop", service.containerId())); // --rm removes it
            }
            progress.accept("[services] " + service.name() + ": stopped");
        }
        running.clear();
    }

    /** A started service: a local process with its log, or a container of a runtime. */
    private record Running(String name, Process process, String runtime, String containerId, Path log) {
        List<String> logLines() {
            try {
                return log == null ? List.of() : Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        }
    }
}
