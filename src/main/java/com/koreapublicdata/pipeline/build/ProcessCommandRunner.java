package com.koreapublicdata.pipeline.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs programs with {@link ProcessBuilder}, streaming their output line by line. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final int MAX_CAPTURE = 32 * 1024 * 1024;

    @Override
    public Execution run(List<String> argv, Path dir, Map<String, String> env, Duration timeout, Consumer<String> lines) {
        List<String> command = new ArrayList<>(argv);
        // ProcessBuilder looks programs up on the JVM's PATH, not on the child's: resolve against the given one
        new Binaries(env).find(command.get(0)).ifPresent(p -> command.set(0, p.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            String message = argv.get(0) + ": cannot start: " + e.getMessage();
            lines.accept(message);
            return new Execution(127, "", message);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the program does not read its input anyway
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outReader = pump(process.getInputStream(), out, lines);
        Thread errReader = pump(process.getErrorStream(), err, lines);
        try {
            boolean finished;
            if (timeout == null) {
                process.waitFor();
                finished = true;
            } else {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            outReader.join(5000);
            errReader.join(5000);
            synchronized (out) {
                synchronized (err) {
                    if (!finished) {
                        String message = argv.get(0) + ": timed out after " + timeout.toSeconds() + "s";
                        lines.accept(message);
                        return new Execution(124, out.toString(), err + message);
                    }
                    return new Execution(process.exitValue(), out.toString(), err.toString());
                }
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Execution(130, out.toString(), "interrupted");
        }
    }

    private static Thread pump(InputStream stream, StringBuilder capture, Consumer<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (capture) {
                        if (capture.length() < MAX_CAPTURE) {
                            capture.append(line).append('\n');
                        }
                    }
                    synchronized (lines) {
                        lines.accept(line);
                    }
                }
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }, "korea-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
