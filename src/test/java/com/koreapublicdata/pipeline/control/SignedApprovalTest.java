package com.koreapublicdata.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.KoreaConfig;

class SignedApprovalTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String OTHER = "sha256:" + "cd".repeat(32);
    static final Map<String, String> KEYS = Map.of("KOREA_APPROVAL_KEY", "k2026-secret", "KOREA_APPROVAL_KEY_ID", "k2026",
            "KOREA_APPROVAL_KEY_K2025", "k2025-secret");
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    KoreaConfig config() throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: shop
                components:
                  backend: {paths: [be/**], kind: python}
                environments:
                  staging: {branches: [staging]}
                  production:
                    branches: [main]
                    approval:
                      required: true
                      submitters: [alice, bob]
                      usersOnly: true
                      quorum: 2
                      signingKeyRequired: true
                      signingKeys: [{id: k2026}, {id: k2025, notAfter: '2026-06-30'}]
                """);
        return new ConfigLoader().load(file).config();
    }

    static ApprovalRecord unsigned(String environment, String digest) {
        return new ApprovalRecord("production-20261201T095500Z", environment,
                List.of(new ApprovalRecord.ApprovedImage("backend", digest)),
                List.of(new ApprovalRecord.Approver("alice", "CAB-42", "2026-12-01T09:50:00Z"),
                        new ApprovalRecord.Approver("bob", "looks good", "2026-12-01T09:55:00Z")),
                "carol", null, "backend 1.2.3 (" + digest + ")", "https://jenkins.example/job/demo/42/",
                "2026-12-01T09:55:00Z", null, null);
    }

    Decision promote(ApprovalRecord record, Authorization hand) throws IOException {
        Authorization auth = record == null ? hand : new Authorization(List.of(), "carol", null, record, null, false);
        return new ChangeControl(config(), List::of, Clock.fixed(NOW, ZoneOffset.UTC), new ApprovalRecords(new ApprovalKeys(KEYS)))
                .check(new ChangeRequest("production", "backend", DIGEST, auth));
    }

    final ApprovalRecords records = new ApprovalRecords(new ApprovalKeys(KEYS));

    @Test
    void shouldAcceptAValidSignatureWrittenAndReadBack() throws IOException {
        ApprovalRecord signed = records.sign(unsigned("production", DIGEST));
        Path file = records.write(dir, signed);

        ApprovalRecord read = records.read(file);
        Decision d = promote(read, null);

        assertThat(file).isEqualTo(dir.resolve("approvals/production-20261201T095500Z.json"));
        assertThat(Files.readString(file)).doesNotContain("k2026-secret").contains("\"keyId\" : \"k2026\"");
        assertThat(read.signature()).hasSize(64).isEqualTo(signed.signature());
        assertThat(d.allowed()).isTrue();
        assertThat(d.approvers()).containsExactly("alice", "bob");
        assertThat(d.reasons()).containsExactly("CAB-42", "looks good");
    }

    @Test
    void shouldRefuseATamperedRecord() throws IOException {
        ApprovalRecord signed = records.sign(unsigned("production", DIGEST));
        ApprovalRecord tampered = new ApprovalRecord(signed.id(), signed.environment(), signed.components(),
                List.of(new ApprovalRecord.Approver("alice", "CAB-42", "2026-12-01T09:50:00Z"),
                        new ApprovalRecord.Approver("bob", "I never said that", "2026-12-01T09:55:00Z")),
                signed.requestedBy(), null, signed.plan(), signed.buildUrl(), signed.createdAt(), signed.keyId(), signed.signature());

        Decision d = promote(tampered, null);

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("--approval");
        assertThat(d.message()).contains("has an invalid signature: it was changed after signing");
    }

    @Test
    void shouldRefuseARecordOfAnotherDigestOrEnvironment() throws IOException {
        assertThat(promote(records.sign(unsigned("production", OTHER)), null).message())
                .contains("approves backend " + OTHER + ", not " + DIGEST);
        assertThat(promote(records.sign(unsigned("staging", DIGEST)), null).message())
                .contains("approves environment staging, not production");
    }

    @Test
    void shouldRefuseAnExpiredOrUnlistedKeyId() throws IOException {
        ApprovalRecords old = new ApprovalRecords(new ApprovalKeys(Map.of("KOREA_APPROVAL_KEY", "k2025-secret",
                "KOREA_APPROVAL_KEY_ID", "k2025")));
        ApprovalRecords rogue = new ApprovalRecords(new ApprovalKeys(Map.of("KOREA_APPROVAL_KEY", "whatever",
                "KOREA_APPROVAL_KEY_ID", "mine")));

        assertThat(promote(old.sign(unsigned("production", DIGEST)), null).message())
                .contains("is signed with key 'k2025', which expired after 2026-06-30 (approval.signingKeys)");
        assertThat(promote(rogue.sign(unsigned("production", DIGEST)), null).message())
                .contains("signed with key 'mine', which approval.signingKeys does not list (accepted: [k2026, k2025])");
    }

    @Test
    void shouldRefuseAHandTypedApprovalWhereASignedRecordIsRequired() throws IOException {
        Decision d = promote(null, new Authorization(List.of("alice", "bob"), "carol", "CAB-42", null, null, false));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.signingKeyRequired");
        assertThat(d.message()).contains("accepts only a signed approval record: pass --approval FILE")
                .contains("a hand-typed --approved-by [alice, bob] is not enough");
    }

    @Test
    void shouldApplyQuorumAndSelfApprovalToTheSignedApprovers() throws IOException {
        ApprovalRecord one = records.sign(new ApprovalRecord("p-1", "production",
                List.of(new ApprovalRecord.ApprovedImage("backend", DIGEST)),
                List.of(new ApprovalRecord.Approver("alice", "ok", "2026-12-01T09:50:00Z")), "alice", null, null, null,
                "2026-12-01T09:55:00Z", null, null));

        Decision d = promote(one, null);

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.quorum",
                "environments.production.approval.allowSelfApproval");
    }

    @Test
    void shouldRefuseToSignWithoutAKeyAndNeverPrintTheKey() {
        assertThatThrownBy(() -> new ApprovalRecords(ApprovalKeys.none()).sign(unsigned("production", DIGEST)))
                .isInstanceOf(KoreaException.class).hasMessageContaining("KOREA_APPROVAL_KEY is not set");
        assertThat(new ApprovalKeys(KEYS).toString()).doesNotContain("secret");
    }
}
