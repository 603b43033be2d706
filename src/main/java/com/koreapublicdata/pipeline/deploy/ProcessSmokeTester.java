package com.koreapublicdata.pipeline.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.koreapublicdata.pipeline.config.SmokeTest;

/** Smoke tests for real: an HTTP GET that must answer the expected status, or {@code sh -c COMMAND} that must exit 0. */
public final class ProcessSmokeTester implements SmokeTester {
    private final Path workDir;

    public ProcessSmokeTester(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public Optional<String> run(SmokeTest test, Map<String, String> placeholders) {
        try {
            if (test.url() != null) {
                String url = fill(test.url(), placeholders);
                HttpClient http = HttpClient.newBuilder().connectTimeout(test.timeout()).build();
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(test.timeout()).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == test.expectedStatus() ? Optional.empty()
                        : Optional.of("smoke test " + test.name() + ": " + withoutUserInfo(url) + " answered "
                                + response.statusCode() + ", expected " + test.expectedStatus());
            }
            if (test.command() != null) {
                // values (image, version, ...) reach the shell as variables, never as code: a tag holding ';' or
                // '$(...)' stays a string
                ProcessBuilder builder = new ProcessBuilder("sh", "-c", asVariables(test.command(), placeholders))
                        .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                placeholders.forEach((key, value) -> builder.environment().put(variable(key), value == null ? "" : value));
                Process p = builder.start();
                if (!p.waitFor(test.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return Optional.of("smoke test " + test.name() + " did not finish within " + test.timeout());
                }
                return p.exitValue() == 0 ? Optional.empty()
                        : Optional.of("smoke test " + test.name() + " exited " + p.exitValue());
            }
            return Optional.of("smoke test " + test.name() + " has neither url nor command");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("smoke test " + test.name() + " failed: " + withoutUserInfo(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("smoke test " + test.name() + " was interrupted");
        }
    }

    /** {@code {image}} in a command becomes {@code "$KOREA_SMOKE_IMAGE"}, set in the command's environment. */
    static String asVariables(String command, Map<String, String> placeholders) {
        String out = command;
        for (String key : placeholders.keySet()) {
            out = out.replace("{" + key + "}", "\"$" + variable(key) + "\"");
        }
        return out;
    }

    static String variable(String placeholder) {
        return "KOREA_SMOKE_" + placeholder.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A URL may carry user:password; messages never do. */
    static String withoutUserInfo(String text) {
        return text.replaceAll("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s]*@", "$1");
    }

    static String fill(String template, Map<String, String> placeholders) {
        String out = template;
        for (var e : placeholders.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
