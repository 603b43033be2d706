package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.config.SmokeTest;

class ProcessSmokeTesterTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassPlaceholderValuesAsDataNeverAsShellCode() {
        String hostile = "1.0;touch pwned;$(touch pwned2)`touch pwned3`";
        SmokeTest test = new SmokeTest("version check", null, null,
                "[ {version} = '" + hostile.replace("'", "'\\''") + "' ] && [ \"{component}\" = backend ]", Duration.ofSeconds(10));

        Optional<String> failure = new ProcessSmokeTester(dir).run(test, Map.of("version", hostile, "component", "backend"));

        assertThat(failure).isEmpty();
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
        assertThat(dir.resolve("pwned3")).doesNotExist();
    }

    @Test
    void shouldStopACommandThatRunsPastItsTimeout() {
        SmokeTest test = new SmokeTest("slow", null, null, "sleep 30", Duration.ofMillis(300));
        long start = System.nanoTime();

        Optional<String> failure = new ProcessSmokeTester(dir).run(test, Map.of());

        assertThat(failure).contains("smoke test slow did not finish within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldNeverRepeatAUrlsPasswordInItsMessage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SmokeTest test = new SmokeTest(null, "http://bot:s3cr@t@127.0.0.1:" + port + "/health", null, null,
                Duration.ofSeconds(2));

        Optional<String> failure = new ProcessSmokeTester(dir).run(test, Map.of());

        assertThat(failure).isPresent();
        assertThat(failure.get()).doesNotContain("s3cr").doesNotContain("bot:");
    }
}
