package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigFile;

class ComponentBuilderTest {
    private static final String COMMIT = "3f9c2ab1d4e5f60718293a4b5c6d7e8f90123456";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private ComponentBuilder builder(ConfigFile config, Map<String, String> env) {
        return new ComponentBuilder(config, env, progress::add, new ProcessCommandRunner(), CLOCK);
    }

    private static ConfigFile custom(Path dir, String tests) throws IOException {
        Files.createDirectories(dir.resolve("web"));
        return Fixtures.config(dir, """
                project: demo
                build:
                  builder: jib
                components:
                  web:
                    paths: [web/**]
                    kind: custom
                    test: %s
                """.formatted(tests) + Fixtures.ENVIRONMENTS);
    }

    @Test
    void shouldNameTheFailingTestCommandAndStop(@TempDir Path dir) throws Exception {
        ConfigFile config = custom(dir, "[\"echo hello from the tests\", \"exit 3\", \"touch ran-after-failure\"]");
        BuildResult result = builder(config, Fixtures.envWithPath("/usr/bin:/bin")).build(BuildRequest.of("web", "develop", COMMIT));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.failedStage()).isEqualTo("test");
        assertThat(result.failedCommand()).isEqualTo("exit 3");
        assertThat(result.failedExitCode()).isEqualTo(3);
        assertThat(result.message()).contains("'exit 3'").contains("exit code 3");
        assertThat(result.tests().commands()).extracting(BuildResult.CommandRun::exitCode).containsExactly(0, 3);
        assertThat(result.image()).isNull();
        assertThat(dir.resolve("web/ran-after-failure")).doesNotExist();
        assertThat(progress).contains("[web test] hello from the tests", "[web test] $ exit 3");
        assertThat(dir.resolve(".korea/builds")).doesNotExist();
    }

    @Test
    void shouldStopATestCommandThatRunsPastBuildTimeout(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        ConfigFile config = Fixtures.config(dir, """
                project: demo
                build:
                  builder: jib
                  timeout: 1s
                components:
                  web:
                    paths: [web/**]
                    kind: custom
                    test: ["sleep 30", "touch ran-after-timeout"]
                """ + Fixtures.ENVIRONMENTS);
        long started = System.nanoTime();

        BuildResult result = builder(config, Fixtures.envWithPath("/usr/bin:/bin")).build(BuildRequest.of("web", "develop", COMMIT));

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.failedStage()).isEqualTo("test");
        assertThat(result.failedCommand()).isEqualTo("sleep 30");
        assertThat(result.failedExitCode()).isEqualTo(124);
        assertThat(progress).anyMatch(l -> l.contains("timed out after 1s"));
        assertThat(dir.resolve("web/ran-after-timeout")).doesNotExist();
    }

    @Test
    void shouldStopAnExternalBuilderThatRunsPastBuildTimeout(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir.resolve("repo"));
        Path yaml = dir.resolve("repo/korea.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "\nbuild:\n  timeout: 1s\n");
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", """
                case "$1" in
                  info) exit 0 ;;
                  build) sleep 30 ;;
                  *) exit 2 ;;
                esac
                """);
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(yaml);
        assertThat(config.config().build().timeout()).isEqualTo(java.time.Duration.ofSeconds(1));
        long started = System.nanoTime();

        BuildResult result = builder(config, Fixtures.envWithPath(bin + ":/usr/bin:/bin"))
                .build(new BuildRequest("backend", "develop", COMMIT, null, true, false));

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.failedStage()).isEqualTo("image");
        assertThat(result.failedExitCode()).isEqualTo(124);
    }

    @Test
    void shouldCollectJunitReportsWrittenByTheTests(@TempDir Path dir) throws Exception {
        ConfigFile config = custom(dir, "[\"mkdir -p build/test-results && echo '<testsuite name=\\\"a\\\"/>' > "
                + "build/test-results/TEST-a.xml\"]");
        Path stale = dir.resolve("web/old/junit-stale.xml");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "<testsuite/>");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        BuildResult result = builder(config, Fixtures.envWithPath("/usr/bin:/bin"))
                .build(new BuildRequest("web", "develop", COMMIT, null, false, true));

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        Path reports = dir.resolve(".korea/reports/web");
        assertThat(result.tests().junitDir()).isEqualTo(reports.toString());
        assertThat(result.tests().junitFiles()).containsExactly("TEST-build_test-results_TEST-a.xml");
        assertThat(reports.resolve("TEST-build_test-results_TEST-a.xml")).hasContent("<testsuite name=\"a\"/>");
        assertThat(result.image()).isNull();
    }

    @Test
    void shouldRefuseWhenTheNpmAuditFindsHighVulnerabilities(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("web/package-lock.json"), "{}");
        Path report = dir.resolve("audit.json");
        Files.writeString(report, Fixtures.resource("npm-audit-high.json"));
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "npm", "[ \"$1\" = audit ] || exit 9\ncat '" + report + "'\nexit 1");
        ConfigFile config = Fixtures.config(dir, """
                project: demo
                components:
                  web:
                    paths: [web/**]
                    kind: node
                    test: ["true"]
                """ + Fixtures.ENVIRONMENTS);

        BuildResult result = builder(config, Fixtures.envWithPath(bin + ":/usr/bin:/bin")).build(BuildRequest.of("web", "main", COMMIT));

        assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(result.exitCode()).isEqualTo(ExitCode.GATE_REFUSED);
        assertThat(result.failedStage()).isEqualTo("audit");
        assertThat(result.message()).contains("npm-audit").contains("1 HIGH");
        assertThat(result.audits()).singleElement().satisfies(a -> assertThat(a.blocking()).isTrue());
        assertThat(result.image()).isNull();
        assertThat(dir.resolve(".korea/images")).doesNotExist();
    }

    @Test
    void shouldBuildTheExampleFrontendAndBackendWithJib(@TempDir Path dir) throws Exception {
        Map<String, String> exampleStateBefore = Fixtures.snapshot(Path.of("examples/monorepo/.korea"));
        Fixtures.copyTree(Path.of("examples/monorepo"), dir);
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(dir.resolve("korea.yaml"));
        ComponentBuilder builder = builder(config, Fixtures.envWithPath(Fixtures.pathWithoutBuilders()));

        BuildResult frontend = builder.build(new BuildRequest("frontend", "feature/Login", COMMIT, "1.2.0", false, false));
        BuildResult backend = builder.build(BuildRequest.of("backend", "develop", COMMIT));

        assertThat(frontend.outcome()).as(frontend.message()).isEqualTo(Outcome.PASSED);
        assertThat(backend.outcome()).as(backend.message()).isEqualTo(Outcome.PASSED);
        assertThat(frontend.tests().commands()).extracting(BuildResult.CommandRun::command).containsExactly("npm ci", "npm test");
        assertThat(frontend.tests().junitFiles()).as("node's JUnit report is collected").isNotEmpty();
        assertThat(backend.tests().commands()).isNotEmpty().allSatisfy(c -> assertThat(c.exitCode()).isZero());
        assertThat(progress).anyMatch(l -> l.startsWith("[frontend test] ") && l.contains("greets the named region"));
        assertThat(progress).anyMatch(l -> l.startsWith("[backend image] WARNING: base image python:3.12-slim"));

        BuildResult.ImageResult image = frontend.image();
        assertThat(image.builder()).isEqualTo("jib");
        assertThat(image.repository()).isEqualTo("korea-public-data-frontend");
        assertThat(image.tags()).containsExactly("3f9c2ab", "feature-login-latest", "1.2.0");
        assertThat(image.tarball()).isEqualTo(dir.resolve(".korea/images/frontend-3f9c2ab.tar").toString());
        assertThat(image.reference()).isEqualTo("korea-public-data-frontend@" + image.digest());
        assertThat(image.skipped()).anyMatch(s -> s.startsWith("line 4: RUN npm ci"));
        assertThat(image.warnings()).anyMatch(w -> w.contains("node:20-alpine could not be fetched") && w.contains("NOT runnable"));

        // the tarball's OCI index names the manifest whose sha256 is the recorded digest
        Map<String, byte[]> tar = Fixtures.untar(Path.of(image.tarball()));
        JsonNode index = JSON.readTree(tar.get("index.json"));
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(image.digest());
        byte[] manifestBytes = tar.get("blobs/sha256/" + BuildRecords.hex(image.digest()));
        assertThat(Fixtures.sha256(manifestBytes)).isEqualTo(image.digest());
        JsonNode manifest = JSON.readTree(manifestBytes);
        assertThat(manifest.path("layers")).hasSize(2);
        JsonNode imageConfig = JSON.readTree(tar.get("blobs/sha256/"
                + BuildRecords.hex(manifest.path("config").path("digest").asText())));
        assertThat(imageConfig.path("config").path("Labels").path("org.koreapublicdata.base-image-missing").asText())
                .isEqualTo("node:20-alpine");
        assertThat(imageConfig.path("config").path("ExposedPorts").has("3000/tcp")).isTrue();
        assertThat(imageConfig.path("config").path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(imageConfig.path("config").path("User").asText()).isEqualTo("node");
        assertThat(imageConfig.path("config").path("Env").toString()).contains("NODE_ENV=production", "PORT=3000");
        assertThat(imageConfig.path("config").path("Cmd").toString()).isEqualTo("[\"node\",\"src/server.js\"]");
        byte[] appLayer = tar.get("blobs/sha256/" + BuildRecords.hex(manifest.path("layers").get(1).path("digest").asText()));
        assertThat(gunzipNames(appLayer)).contains("app/src/server.js", "app/src/greeting.js");

        // the record scan and promote read names the same digest
        BuildRecords records = new BuildRecords(config.stateDir());
        BuildRecord latest = records.latest("frontend").orElseThrow();
        assertThat(latest.digest()).isEqualTo(image.digest());
        assertThat(latest.reference()).isEqualTo(image.reference());
        assertThat(latest.tarball()).isEqualTo(image.tarball());
        assertThat(latest.commit()).isEqualTo(COMMIT);
        assertThat(latest.branch()).isEqualTo("feature/Login");
        assertThat(latest.builder()).isEqualTo("jib");
        assertThat(latest.time()).isEqualTo(CLOCK.instant());
        assertThat(records.find("frontend", image.digest())).contains(latest);
        assertThat(dir.resolve(".korea/builds/frontend/" + BuildRecords.hex(image.digest()) + ".json")).exists();
        assertThat(records.latest("backend").orElseThrow().digest()).isEqualTo(backend.image().digest());
        assertThat(Fixtures.snapshot(Path.of("examples/monorepo/.korea"))).as("the example in the repository is left alone")
                .isEqualTo(exampleStateBefore);
    }

    @Test
    void shouldGiveTheSameDigestForTheSameInputs(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir);
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(dir.resolve("korea.yaml"));
        ComponentBuilder builder = builder(config, Fixtures.envWithPath(Fixtures.pathWithoutBuilders()));
        BuildRequest first = new BuildRequest("frontend", "develop", COMMIT, null, true, false);
        BuildRequest second = new BuildRequest("frontend", "main", "aaaaaaa1111", null, true, false);

        String digest1 = builder.build(first).image().digest();
        Files.setLastModifiedTime(dir.resolve("fe/src/server.js"), FileTime.from(Instant.now().plusSeconds(60)));
        String digest2 = builder.build(second).image().digest();
        assertThat(digest2).isEqualTo(digest1);

        Files.writeString(dir.resolve("fe/src/greeting.js"), "\n// changed\n", java.nio.file.StandardOpenOption.APPEND);
        String digest3 = builder.build(first).image().digest();
        assertThat(digest3).isNotEqualTo(digest1);
        assertThat(new BuildRecords(config.stateDir()).find("frontend", digest1)).isPresent();
    }

    @Test
    void shouldBuildOnABaseImageTarball(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir.resolve("repo"));
        Path baseFile = Files.writeString(dir.resolve("os-release"), "ID=test\n");
        Path baseTar = dir.resolve("base.tar");
        com.google.cloud.tools.jib.api.Jib.fromScratch()
                .addLayer(List.of(baseFile), "/etc")
                .setEntrypoint("/docker-entrypoint.sh")
                .containerize(com.google.cloud.tools.jib.api.Containerizer
                        .to(com.google.cloud.tools.jib.api.TarImage.at(baseTar).named("node:20-alpine"))
                        .setApplicationLayersCache(dir.resolve("cache")).setBaseImageLayersCache(dir.resolve("cache")));
        Path yaml = dir.resolve("repo/korea.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "\nbuild:\n  baseImage: tar:" + baseTar + "\n");
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(yaml);

        BuildResult result = builder(config, Fixtures.envWithPath(Fixtures.pathWithoutBuilders()))
                .build(new BuildRequest("frontend", "develop", COMMIT, null, true, false));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        assertThat(result.image().warnings()).noneMatch(w -> w.contains("could not be fetched"));
        Map<String, byte[]> tar = Fixtures.untar(Path.of(result.image().tarball()));
        JsonNode manifest = JSON.readTree(tar.get("blobs/sha256/" + BuildRecords.hex(result.image().digest())));
        assertThat(manifest.path("layers")).hasSize(3);
        JsonNode imageConfig = JSON.readTree(tar.get("blobs/sha256/"
                + BuildRecords.hex(manifest.path("config").path("digest").asText())));
        assertThat(imageConfig.path("config").path("Labels").has("org.koreapublicdata.base-image-missing")).isFalse();
        assertThat(imageConfig.path("config").path("Entrypoint").toString()).contains("/docker-entrypoint.sh");
    }

    @Test
    void shouldCaptureTheDigestFromAnExternalBuilder(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir.resolve("repo"));
        String id = "sha256:" + "ab".repeat(32);
        Path bin = dir.resolve("bin");
        Fixtures.program(bin, "docker", """
                echo "docker $*" >> "$(dirname "$0")/calls.log"
                case "$1" in
                  info) exit 0 ;;
                  build) while [ $# -gt 0 ]; do [ "$1" = --iidfile ] && printf '%s' '""" + id + """
                ' > "$2"; shift; done; echo 'Successfully built' ;;
                  save) printf 'tar' > "$3" ;;
                  *) exit 2 ;;
                esac
                """);
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(dir.resolve("repo/korea.yaml"));

        BuildResult result = builder(config, Fixtures.envWithPath(bin + ":/usr/bin:/bin"))
                .build(new BuildRequest("backend", "develop", COMMIT, null, true, false));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        assertThat(result.image().builder()).isEqualTo("docker");
        assertThat(result.image().digest()).isEqualTo(id);
        assertThat(result.image().warnings()).anyMatch(w -> w.contains("local image id"));
        assertThat(Path.of(result.image().tarball())).hasContent("tar");
        String calls = Files.readString(bin.resolve("calls.log"), StandardCharsets.UTF_8);
        assertThat(calls).contains("build -f " + dir.resolve("repo/be/Dockerfile"))
                .contains("-t korea-public-data-backend:3f9c2ab -t korea-public-data-backend:develop-latest");
        assertThat(new BuildRecords(config.stateDir()).find("backend", id)).isPresent();
    }

    @Test
    void shouldFailTheImageStageWhenTheConfiguredBuilderCannotWork(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir.resolve("repo"));
        Path yaml = dir.resolve("repo/korea.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "\nbuild:\n  builder: podman\n");
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(yaml);
        Path bin = Files.createDirectories(dir.resolve("bin"));

        BuildResult result = builder(config, Fixtures.envWithPath(bin + ":/usr/bin:/bin"))
                .build(new BuildRequest("backend", "develop", COMMIT, null, true, false));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.failedStage()).isEqualTo("image");
        assertThat(result.message()).contains("podman").contains("not found on PATH");
    }

    @Test
    void shouldPushToTheConfiguredRegistryAndRecordThePushedDigest(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir.resolve("repo"));
        try (FakeRegistry registry = new FakeRegistry()) {
            Path yaml = dir.resolve("repo/korea.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("project: korea-public-data",
                    "project: korea-public-data\nregistry: " + registry.address() + "/team"));
            ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(yaml);
            Map<String, String> env = new java.util.HashMap<>(Fixtures.envWithPath(Fixtures.pathWithoutBuilders()));
            env.put("KOREA_REGISTRY_USERNAME", "robot");
            env.put("KOREA_REGISTRY_PASSWORD", "s3cret-password");

            BuildResult result = builder(config, env).build(new BuildRequest("backend", "main", COMMIT, "2.0.1", true, false));

            assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
            BuildResult.ImageResult image = result.image();
            assertThat(image.pushed()).isTrue();
            assertThat(image.repository()).isEqualTo(registry.address() + "/team/korea-public-data-backend");
            assertThat(registry.manifests).containsOnlyKeys("3f9c2ab", "main-latest", "2.0.1");
            assertThat(Fixtures.sha256(registry.manifests.get("3f9c2ab"))).isEqualTo(image.digest());
            assertThat(Fixtures.untar(Path.of(image.tarball())).get("index.json")).asString(StandardCharsets.UTF_8)
                    .contains(image.digest());
            assertThat(new BuildRecords(config.stateDir()).latest("backend").orElseThrow().pushed()).isTrue();
            assertThat(String.join("\n", progress)).doesNotContain("s3cret-password");
            assertThat(Files.readString(dir.resolve("repo/.korea/builds/backend/latest.json"))).doesNotContain("s3cret");
        }
    }

    @Test
    void shouldUseTheNodeDefaultsWithAJunitReport(@TempDir Path dir) throws Exception {
        Fixtures.copyTree(Path.of("examples/monorepo"), dir);
        Path yaml = dir.resolve("korea.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("    test: [npm test]\n", ""));
        ConfigFile config = new com.koreapublicdata.pipeline.config.ConfigLoader().load(yaml);

        BuildResult result = builder(config, Fixtures.envWithPath(Fixtures.pathWithoutBuilders()))
                .build(new BuildRequest("frontend", "develop", COMMIT, null, false, true));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        assertThat(result.tests().commands()).extracting(BuildResult.CommandRun::command).containsExactly("npm ci", "npm test");
        assertThat(result.tests().junitFiles()).containsExactly("node-test.xml");
        assertThat(dir.resolve(".korea/reports/frontend/node-test.xml")).content()
                .contains("<testcase name=\"greets the named region\"");
    }

    @Test
    void shouldPickThePythonAndMavenDefaultsByWhatIsInstalled(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("be"));
        Files.createDirectories(dir.resolve("svc"));
        Files.writeString(dir.resolve("be/requirements.txt"), "");
        ConfigFile config = Fixtures.config(dir, """
                project: demo
                components:
                  backend: {paths: [be/**], kind: python}
                  service: {paths: [svc/**], kind: maven}
                """ + Fixtures.ENVIRONMENTS);
        Path withPytest = dir.resolve("bin-with");
        Fixtures.program(withPytest, "pytest", "exit 0");
        Path reports = dir.resolve(".korea/reports/backend");
        var backend = config.config().component("backend").orElseThrow();

        List<String> installed = builder(config, Fixtures.envWithPath(withPytest.toString()))
                .testCommands(backend, dir.resolve("be"), reports).stream().map(ComponentBuilder.Command::line).toList();
        List<String> absent = builder(config, Fixtures.envWithPath(dir.resolve("bin-without").toString()))
                .testCommands(backend, dir.resolve("be"), reports).stream().map(ComponentBuilder.Command::line).toList();
        List<String> maven = builder(config, Fixtures.envWithPath("/usr/bin:/bin"))
                .testCommands(config.config().component("service").orElseThrow(), dir.resolve("svc"), reports)
                .stream().map(ComponentBuilder.Command::line).toList();

        assertThat(installed).containsExactly("pip install -r requirements.txt",
                "pytest --junitxml='" + reports.resolve("pytest.xml") + "'");
        assertThat(absent).containsExactly("pip install -r requirements.txt", "python3 -m unittest discover");
        assertThat(maven).containsExactly("mvn -B verify");
    }

    private static List<String> gunzipNames(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            Path temp = Files.createTempFile("layer", ".tar");
            try {
                Files.write(temp, in.readAllBytes());
                return new ArrayList<>(Fixtures.untar(temp).keySet());
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
