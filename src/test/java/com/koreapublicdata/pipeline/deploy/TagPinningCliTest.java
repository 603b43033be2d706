package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/**
 * docs/promote.md's promise: {@code korea build} (jib, daemonless) then {@code korea promote --image repo:tag} deploys
 * {@code repo:tag@sha256:<that build's digest>}, and a moving tag pins the newest build under it.
 */
class TagPinningCliTest {
    private static final String SHA_ONE = "1111111aaaabbbbccccddddeeeeffff000011112";
    private static final String SHA_TWO = "2222222aaaabbbbccccddddeeeeffff000011112";

    @TempDir
    Path dir;
    DeployFixture f;
    Map<String, String> env;
    StringWriter out;
    StringWriter err;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private int run(Instant at, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir,
                at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC), false);
        return Main.run(context, args);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    /** {@code korea build} of web with this page, at this time; returns the digest it recorded. */
    private String build(String page, String commit, Instant at) throws Exception {
        Files.writeString(dir.resolve("web/index.html"), page);
        int code = run(at, "build", "--component", "web", "--branch", "staging", "--commit", commit, "--skip-tests",
                "--format", "json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode result = json();
        assertThat(result.path("builder").asText()).isEqualTo("jib");
        assertThat(result.path("tags").toString()).contains("staging-latest", commit.substring(0, 7));
        String digest = result.path("digest").asText();
        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        f.scanRecord(digest, "pass");
        return digest;
    }

    private JsonNode promote(String image) throws Exception {
        int code = run(null, "promote", "--component", "web", "--environment", "staging", "--image", image, "--format", "json");
        JsonNode result = json();
        assertThat(code).as(err.toString()).isEqualTo(result.path("exitCode").asInt());
        return result;
    }

    @Test
    void shouldDeployTheDigestOfTheNewestBuildOfTheTag() throws Exception {
        f = DeployFixture.withYaml(dir, """
                project: shop
                build: {builder: jib}
                components:
                  web: {paths: [web/**], kind: custom, test: ["true"]}
                environments:
                  staging:
                    branches: [staging]
                    namespace: shop
                    cluster: test
                    requireScan: true
                    lockTimeout: 1s
                """);
        f.deployment("web", "shop-web:0.9", 1);
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("web/Dockerfile"), "FROM scratch\nCOPY index.html /srv/index.html\n");
        Path kubeconfig = f.kubeconfig();
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString(), "PATH", "/usr/bin:/bin");

        String one = build("<p>one</p>\n", SHA_ONE, Instant.parse("2026-12-01T10:00:00Z"));
        String two = build("<p>two</p>\n", SHA_TWO, Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(two).isNotEqualTo(one);

        // the moving tag is in both records: the newer build wins
        JsonNode latest = promote("shop-web:staging-latest");
        assertThat(latest.path("outcome").asText()).as(latest.path("message").asText()).isEqualTo("deployed");
        assertThat(latest.path("digest").asText()).isEqualTo(two);
        assertThat(latest.path("image").asText()).isEqualTo("shop-web:staging-latest@" + two);
        assertThat(f.image("web")).isEqualTo("shop-web:staging-latest@" + two);

        // a tag only the first build carries pins that build
        JsonNode first = promote("shop-web:" + SHA_ONE.substring(0, 7));
        assertThat(first.path("outcome").asText()).as(first.path("message").asText()).isEqualTo("deployed");
        assertThat(f.image("web")).isEqualTo("shop-web:1111111@" + one);

        // building the first page again makes its record the newest under staging-latest, whatever the file names
        assertThat(build("<p>one</p>\n", SHA_ONE, Instant.parse("2026-12-01T12:00:00Z"))).isEqualTo(one);
        JsonNode rebuilt = promote("shop-web:staging-latest");
        assertThat(rebuilt.path("digest").asText()).isEqualTo(one);

        // no build carries this tag (or this repository): no digest, so the scan gate refuses
        for (String unknown : new String[] {"shop-web:9.9", "other/web:staging-latest"}) {
            JsonNode refused = promote(unknown);
            assertThat(refused.path("outcome").asText()).isEqualTo("refused");
            assertThat(refused.path("message").asText()).contains("digest of " + unknown + " is unknown");
        }
        assertThat(f.image("web")).isEqualTo("shop-web:staging-latest@" + one);
    }
}
