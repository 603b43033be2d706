package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.ConfigProblem;

/** components.C.services around the test commands: started, in the environment, stopped whatever happened. */
class TestServicesTest {
    private static final String COMMIT = "3f9c2ab1d4e5f60718293a4b5c6d7e8f90123456";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);
    // a real server from the standard library: any machine with Python 3 has it
    private static final String HTTP_SERVER = "[python3, -m, http.server, \"{port}\", --bind, 127.0.0.1]";

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private BuildResult build(Path dir, String services, String tests, Map<String, String> env) throws IOException {
        Files.createDirectories(dir.resolve("web"));
        ConfigFile config = Fixtures.config(dir, """
                project: demo
                components:
                  web:
                    paths: [web/**]
                    test: %s
                    services:
                %s
                """.formatted(tests, services.indent(6)) + Fixtures.ENVIRONMENTS);
        return new ComponentBuilder(config, env, progress::add, new ProcessCommandRunner(), CLOCK)
                .build(new BuildRequest("web", "develop", COMMIT, null, false, true));
    }

    private static Map<String, String> env() {
        return Fixtures.envWithPath("/usr/bin:/bin");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shouldGiveTheTestsHostPortAndUrlOfAServiceStartedFromItsCommandAndStopItAfter(@TempDir Path dir)
            throws Exception {
        BuildResult result = build(dir, """
                web-cache:
                  port: 8000
                  command: %s
                  url: "http://{host}:{port}/"
                """.formatted(HTTP_SERVER),
                "[\"echo $WEB_CACHE_PORT > port.txt; echo $WEB_CACHE_HOST $WEB_CACHE_URL > seen.txt\", "
                        + "\"python3 -c 'import urllib.request,os; urllib.request.urlopen(os.environ[\\\"WEB_CACHE_URL\\\"])'\"]",
                env());

        assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
        int port = Integer.parseInt(Files.readString(dir.resolve("web/port.txt")).strip());
        assertThat(Files.readString(dir.resolve("web/seen.txt")).strip())
                .isEqualTo("127.0.0.1 http://127.0.0.1:" + port + "/");
        assertThat(accepts(port)).as("stopped after the tests").isFalse();
    }

    @Test
    void shouldStopTheServiceWhenATestFails(@TempDir Path dir) throws Exception {
        BuildResult result = build(dir, """
                cache:
                  port: 8000
                  command: %s
                """.formatted(HTTP_SERVER), "[\"echo $CACHE_PORT > port.txt\", \"exit 4\"]", env());

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.failedCommand()).isEqualTo("exit 4");
        int port = Integer.parseInt(Files.readString(dir.resolve("web/port.txt")).strip());
        assertThat(accepts(port)).isFalse();
        assertThat(progress).contains("[services] cache: stopped");
    }

    @Test
    void shouldFailTheTestStageNamingAServiceThatNeverOpensItsPortWithinItsTimeout(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        BuildResult result = build(dir, """
                mongodb:
                  port: 27017
                  timeout: 2s
                  command: [sh, -c, "echo waiting for nothing; sleep 60"]
                """, "[\"touch ran.txt\"]", env());

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.failedStage()).isEqualTo("test");
        assertThat(result.failedCommand()).isEqualTo("service mongodb");
        assertThat(result.message()).contains("service mongodb").contains("within 2s").contains("waiting for nothing");
        assertThat(System.nanoTime() - started).isLessThan(20_000_000_000L);
        assertThat(dir.resolve("web/ran.txt")).doesNotExist();
    }

    @Test
    void shouldReportAServiceWhoseCommandExitsWithItsLastLines(@TempDir Path dir) throws Exception {
        BuildResult result = build(dir, """
                redis:
                  port: 6379
                  command: [sh, -c, "echo bad config line 3 >&2; exit 5"]
                """, "[\"true\"]", env());

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).contains("service redis exited with code 5").contains("bad config line 3");
    }

    @Test
    void shouldFallBackToTheCommandWhenDockerIsInstalledButHasNoDaemon(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        Path calls = dir.resolve("docker-calls.txt");
        Fixtures.program(bin, "docker", "echo \"$@\" >> " + calls + "\necho 'Cannot connect to the Docker daemon' >&2\nexit 1");
        BuildResult result = build(dir, """
                cache:
                  image: python:3-alpine
                  port: 8000
                  command: %s
                """.formatted(HTTP_SERVER), "[\"test -n \\\"$CACHE_PORT\\\"\"]", Fixtures.envWithPath(bin + ":/usr/bin:/bin"));

        assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
        assertThat(Files.readAllLines(calls)).containsExactly("info");
        assertThat(progress).anyMatch(l -> l.contains("no working docker or podman"));
    }

    @Test
    void shouldRunTheImageWithAWorkingContainerRuntimePublishedOnLoopbackWithEnvValuesOffTheCommandLine(
            @TempDir Path dir) throws Exception {
        // the runtime is docker's stand-in: 'run' starts the real server on the published host port
        Path bin = dir.resolve("bin");
        Path calls = dir.resolve("docker-calls.txt");
        Fixtures.program(bin, "docker", """
                echo "$@" >> %s
                case "$1" in
                  info) exit 0 ;;
                  run) port=$(echo "$@" | sed 's/.*127.0.0.1:\\([0-9]*\\):.*/\\1/')
                       echo "password=$REDIS_PASSWORD" >> %s
                       nohup python3 -m http.server "$port" --bind 127.0.0.1 > /dev/null 2>&1 &
                       echo $! > %s
                       echo container-1234 ;;
                  stop) kill "$(cat %s)"; exit 0 ;;
                esac
                """.formatted(calls, calls, dir.resolve("pid"), dir.resolve("pid")));
        BuildResult result = build(dir, """
                redis:
                  image: redis:7-alpine
                  port: 6379
                  env: {REDIS_PASSWORD: s3cret}
                """, "[\"echo $REDIS_URL > url.txt\"]", Fixtures.envWithPath(bin + ":/usr/bin:/bin"));

        assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines.get(1)).matches("run -d --rm -p 127\\.0\\.0\\.1:\\d+:6379 -e REDIS_PASSWORD redis:7-alpine");
        assertThat(lines).contains("password=s3cret", "stop container-1234");
        assertThat(Files.readString(dir.resolve("web/url.txt")).strip()).matches("redis://127\\.0\\.0\\.1:\\d+");
        assertThat(String.join("\n", progress)).doesNotContain("s3cret");
    }

    @Test
    void shouldTalkToARealRedisStartedFromItsCommand(@TempDir Path dir) throws Exception {
        assumeThat(new Binaries(System.getenv()).find("redis-server")).as("redis-server (.ci/run installs it)")
                .isPresent();
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("web/ping.py"), """
                import os, socket, urllib.parse
                url = urllib.parse.urlparse(os.environ["REDIS_URL"])
                with socket.create_connection((url.hostname, url.port)) as s:
                    s.sendall(b"SET korea-key v1\\r\\n")
                    assert s.recv(64) == b"+OK\\r\\n"
                    s.sendall(b"GET korea-key\\r\\n")
                    assert s.recv(64) == b"$2\\r\\nv1\\r\\n"
                """);
        BuildResult result = build(dir, """
                redis:
                  image: redis:7-alpine
                  port: 6379
                  command: [redis-server, --port, "{port}", --bind, 127.0.0.1, --save, "", --appendonly, "no"]
                """, "[\"python3 ping.py\"]",
                Fixtures.envWithPath(System.getenv("PATH")));

        assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
    }

    @Test
    void shouldLeaveAPodOnlyServiceToTheJenkinsPod(@TempDir Path dir) throws Exception {
        BuildResult result = build(dir, """
                mongodb:
                  image: mongo:6.0
                  port: 27017
                  onlyInPod: true
                """, "[\"test -z \\\"$MONGODB_URL\\\"\"]", env());

        assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
        assertThat(progress).anyMatch(l -> l.contains("mongodb: not started (onlyInPod"));
    }

    @Test
    void shouldUseThePodsSidecarOnItsOwnPortInsteadOfStartingOne(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket sidecar = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new java.util.HashMap<>(env());
            env.put("KOREA_POD_SERVICES", "mongodb");
            BuildResult result = build(dir, """
                    mongodb:
                      image: mongo:6.0
                      port: %d
                      onlyInPod: true
                    """.formatted(sidecar.getLocalPort()), "[\"echo $MONGODB_URL > url.txt\"]", env);

            assertThat(result.outcome()).as(String.join("\n", progress)).isEqualTo(Outcome.PASSED);
            assertThat(Files.readString(dir.resolve("web/url.txt")).strip())
                    .isEqualTo("mongodb://127.0.0.1:" + sidecar.getLocalPort());
        }
    }

    @Test
    void shouldRejectAServiceWithNeitherImageNorCommandNamingItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: demo
                components:
                  web:
                    paths: [web/**]
                    services:
                      redis:
                        port: 70000
                      Bad_Name: {image: x, port: 1}
                """ + Fixtures.ENVIRONMENTS);
        List<ConfigProblem> problems = new ConfigLoader().problems(file);

        assertThat(problems).extracting(ConfigProblem::field).contains("components.web.services.redis",
                "components.web.services.redis.port", "components.web.services.Bad_Name");
        assertThat(problems).filteredOn(p -> p.field().equals("components.web.services.redis"))
                .singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(7);
                    assertThat(p.message()).contains("needs image").contains("command");
                });
    }
}
