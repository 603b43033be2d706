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
                        : Optional.of("smoke test " + test.name() + ": " + url + " answered " + response.statusCode()
                                + ", expected " + test.expectedStatus());
            }
            if (test.command() != null) {
                Process p = new ProcessBuilder("sh", "-c", fill(test.command(), placeholders)).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(test.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return Optional.of("smoke test " + test.name() + " did not finish within " + test.timeout());
                }
                return p.exitValue() == 0 ? Optional.empty()
                        : Optional.of("smoke test " + test.name() + " exited " + p.exitValue());
            }
            return Optional.of("smoke test " + test.name() + " has neither url nor command");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("smoke test " + test.name() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("smoke test " + test.name() + " was interrupted");
        }
    }

    static String fill(String template, Map<String, String> placeholders) {
        String out = template;
        for (var e : placeholders.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
