package com.koreapublicdata.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.cli.CliContext;
import com.koreapublicdata.pipeline.cli.Main;

/** korea approval record|verify and korea promote's change-control options end to end through Main.run. */
class ApprovalCliTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String OTHER = "sha256:" + "cd".repeat(32);

    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>(Map.of("KOREA_APPROVAL_KEY", "s3cr3t-approval-key", "HOME", "/nonexistent"));
    Instant now = Instant.parse("2026-12-01T10:00:00Z"); // a Tuesday
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("korea.yaml"), """
                project: shop
                components:
                  backend: {paths: [be/**], kind: python}
                environments:
                  production:
                    branches: [main]
                    cluster: production
                    approval: {required: true, submitters: [alice, bob], usersOnly: true, quorum: 2,
                               signingKeyRequired: true}
                    freeze:
                      - {cron: '0 18 * * 5', duration: 62h, timezone: Asia/Seoul, reason: weekend, breakGlass: [alice]}
                """);
    }

    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, dir, Clock.fixed(now, ZoneOffset.UTC),
                false), args);
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    int record(String requester) {
        return run("approval", "record", "--environment", "production", "--image", "backend=" + DIGEST,
                "--approved-by", "alice", "--reason", "CAB-42", "--approved-by", "alice", "--reason", "again",
                "--approved-by", "bob", "--reason", "ok", "--requested-by", requester, "--format", "json");
    }

    @Test
    void shouldWriteASignedRecordThatVerifiesOnlyForItsDigest() throws Exception {
        assertThat(record("carol")).isEqualTo(0);
        JsonNode result = json();
        Path file = Path.of(result.path("file").asText());

        assertThat(result.path("outcome").asText()).isEqualTo("passed");
        assertThat(result.path("approvers").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(file).isEqualTo(dir.resolve(".korea/approvals/production-20261201T100000Z.json"));
        assertThat(Files.readString(file)).doesNotContain("s3cr3t").contains("CAB-42");
        assertThat(out.toString() + err).doesNotContain("s3cr3t");

        assertThat(run("approval", "verify", file.toString(), "--component", "backend", "--digest", DIGEST, "--format", "json"))
                .isEqualTo(0);
        assertThat(run("approval", "verify", file.toString(), "--component", "backend", "--digest", OTHER, "--format", "json"))
                .isEqualTo(10);
        assertThat(json().path("message").asText()).contains("approves backend " + DIGEST + ", not " + OTHER);
        env.put("KOREA_APPROVAL_KEY", "another-key");
        assertThat(run("approval", "verify", file.toString(), "--format", "json")).isEqualTo(10);
        assertThat(json().path("message").asText()).contains("invalid signature");
    }

    @Test
    void shouldRefuseToRecordASelfApprovalWithExit10AndWriteNothing() throws Exception {
        assertThat(record("bob")).isEqualTo(10);

        assertThat(json().path("outcome").asText()).isEqualTo("refused");
        assertThat(json().path("message").asText()).contains("'bob' started this run and may not approve it")
                .contains("environments.production.approval.allowSelfApproval");
        assertThat(dir.resolve(".korea/approvals")).doesNotExist();
    }

    @Test
    void shouldPromoteOnlyWithTheSignedRecordBeforeAnyClusterCall() throws Exception {
        assertThat(record("carol")).isEqualTo(0);
        String file = json().path("file").asText();
        String image = "registry.example/backend@" + DIGEST;

        assertThat(run("promote", "--component", "backend", "--environment", "production", "--image", image,
                "--approved-by", "alice", "--approved-by", "bob", "--reason", "CAB-42", "--format", "json")).isEqualTo(10);
        assertThat(json().path("message").asText()).contains("accepts only a signed approval record")
                .contains("approval.signingKeyRequired");

        // with the record, change control passes: the next gate (no scan record for the digest) is what refuses
        assertThat(run("promote", "--component", "backend", "--environment", "production", "--image", image,
                "--approval", file, "--format", "json")).isEqualTo(10);
        assertThat(json().path("message").asText()).contains("requires a passing scan").doesNotContain("approval");
        assertThat(json().path("approver").asText()).isEqualTo("alice, bob");
    }

    @Test
    void shouldRefuseDuringAFreezeUnlessABreakGlassUserApproved() throws Exception {
        now = Instant.parse("2026-12-05T01:00:00Z"); // Saturday 10:00 in Seoul
        assertThat(record("carol")).isEqualTo(10);
        assertThat(json().path("message").asText()).contains("production is frozen until 2026-12-07T08:00+09:00")
                .contains("environments.production.freeze[0]");

        assertThat(run("approval", "record", "--environment", "production", "--image", "backend=" + DIGEST,
                "--approved-by", "alice", "--reason", "outage", "--approved-by", "bob", "--reason", "outage",
                "--requested-by", "carol", "--break-glass", "payments down", "--format", "json")).isEqualTo(0);
        assertThat(json().path("message").asText()).contains("break-glass: payments down");
    }
}
