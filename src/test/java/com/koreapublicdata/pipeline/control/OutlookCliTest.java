package com.koreapublicdata.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/** korea plan's change-control view (freeze, promoteFrom digests) and korea promote --from, through Main.run. */
class OutlookCliTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-12-05T01:00:00Z"); // Saturday 10:00 in Seoul
    StringWriter out;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  backend: {paths: [be/**], kind: python}
                environments:
                  staging: {branches: [staging], cluster: staging}
                  production:
                    branches: [main]
                    cluster: production
                    promoteFrom: staging
                    minSoak: 30m
                    freeze:
                      - {cron: '0 18 * * 5', duration: 62h, timezone: Asia/Seoul, reason: weekend, breakGlass: [olivia]}
                """);
        new DeploymentLog(dir.resolve(".korea")).append(DeploymentRecord.builder().id("staging/backend/1")
                .kind(DeploymentRecord.PROMOTION).time(Instant.parse("2026-12-04T00:00:00Z"))
                .startedAt(Instant.parse("2026-12-03T23:59:00Z")).environment("staging").component("backend").strategy("canary")
                .image("registry.example/backend@" + DIGEST).digest(DIGEST).version("1.2.3")
                .outcome(com.koreapublicdata.pipeline.Outcome.DEPLOYED).message("deployed").durationSeconds(60).build());
    }

    int run(String... args) {
        out = new StringWriter();
        return Main.run(new CliContext(new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of(), dir,
                Clock.fixed(now, ZoneOffset.UTC), false), args);
    }

    @Test
    void shouldShowFrozenUntilAndTheStagingVerifiedDigestInThePlan() throws Exception {
        assertThat(run("plan", "--branch", "main", "--changed", "be/app.py", "--format", "json")).isEqualTo(0);
        JsonNode control = new ObjectMapper().readTree(out.toString()).path("changeControl");

        assertThat(control.path("frozen").path("until").asText()).isEqualTo("2026-12-07T08:00+09:00");
        assertThat(control.path("candidates").get(0).path("digest").asText()).isEqualTo(DIGEST);
        assertThat(control.path("candidates").get(0).path("soaked").asBoolean()).isTrue();

        assertThat(run("plan", "--branch", "main", "--changed", "be/app.py")).isEqualTo(0);
        assertThat(out.toString()).contains("freeze:      frozen until 2026-12-07T08:00+09:00")
                .contains("from staging: backend " + DIGEST);
    }

    @Test
    void shouldPromoteFromStagingTheDigestItRunsAndStillObeyTheFreeze() throws Exception {
        assertThat(run("promote", "--component", "backend", "--environment", "production", "--from", "staging",
                "--format", "json")).isEqualTo(10);
        JsonNode result = new ObjectMapper().readTree(out.toString());

        assertThat(result.path("digest").asText()).isEqualTo(DIGEST);
        assertThat(result.path("message").asText()).contains("production is frozen until 2026-12-07T08:00+09:00")
                .doesNotContain("promoteFrom");
    }

    @Test
    void shouldRecordABrokenFreezeInTheDeploymentRecord() throws Exception {
        // change control lets olivia through; the scan gate (no scan record) is what refuses, and the record says both
        assertThat(run("promote", "--component", "backend", "--environment", "production", "--from", "staging",
                "--requested-by", "olivia", "--break-glass", "payments down", "--format", "json")).isEqualTo(10);

        assertThat(new ObjectMapper().readTree(out.toString()).path("message").asText()).contains("requires a passing scan");
        assertThat(new DeploymentLog(dir.resolve(".korea")).read()).filteredOn(r -> "production".equals(r.environment()))
                .singleElement().satisfies(r -> assertThat(r.message()).contains("[break-glass by olivia during freeze")
                        .endsWith(": payments down]"));
    }

    @Test
    void shouldShowTheFreezeInForceAndTheNextWindowInStatus() throws Exception {
        assertThat(run("status", "--environment", "production", "--format", "json")).isEqualTo(0);
        JsonNode production = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(production.path("environment").asText()).isEqualTo("production");
        assertThat(production.path("frozen").path("until").asText()).isEqualTo("2026-12-07T08:00+09:00");
        assertThat(production.path("frozen").path("reason").asText()).isEqualTo("weekend");
        assertThat(production.path("nextFreeze").path("start").asText()).isEqualTo("2026-12-11T18:00+09:00");

        assertThat(run("status", "--environment", "production")).isEqualTo(0);
        assertThat(out.toString()).contains("production: frozen until 2026-12-07T08:00+09:00");

        now = Instant.parse("2026-12-08T01:00:00Z"); // Tuesday: outside the window
        assertThat(run("status", "--environment", "production", "--format", "json")).isEqualTo(0);
        JsonNode tuesday = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(tuesday.path("frozen").isNull()).isTrue();
        assertThat(tuesday.path("nextFreeze").path("until").asText()).isEqualTo("2026-12-14T08:00+09:00");
        assertThat(run("status", "--environment", "production")).isEqualTo(0);
        assertThat(out.toString()).contains("production: next freeze 2026-12-11T18:00+09:00 until 2026-12-14T08:00+09:00");
    }
}
