package com.koreapublicdata.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

class ChangeControlTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String OTHER = "sha256:" + "cd".repeat(32);

    @TempDir
    Path dir;
    final List<DeploymentRecord> history = new ArrayList<>();

    KoreaConfig config(String environments) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, "project: shop\ncomponents:\n  backend: {paths: [be/**], kind: python}\nenvironments:\n"
                + environments);
        return new ConfigLoader().load(file).config();
    }

    ChangeControl control(KoreaConfig config, String now, Map<String, String> env) {
        return new ChangeControl(config, () -> history, Clock.fixed(Instant.parse(now), ZoneOffset.UTC),
                new ApprovalRecords(new ApprovalKeys(env)));
    }

    static Authorization approvedBy(String requester, String reason, String... approvers) {
        return new Authorization(List.of(approvers), requester, reason, null, null, false);
    }

    static final String PRODUCTION = """
              staging: {branches: [staging]}
              production:
                branches: [main]
                approval: {required: true, submitters: [alice, bob, carol], usersOnly: true, quorum: 2, requireReason: true}
            """;

    Decision check(KoreaConfig config, Authorization auth) {
        return control(config, "2026-12-01T10:00:00Z", Map.of()).check(new ChangeRequest("production", "backend", DIGEST, auth));
    }

    @Test
    void shouldAllowAQuorumOfTwoDistinctSubmittersWithAReason() throws IOException {
        Decision d = check(config(PRODUCTION), approvedBy("dave", "CAB-42", "alice", "bob"));

        assertThat(d.allowed()).isTrue();
        assertThat(d.approvedBy()).isEqualTo("alice, bob");
    }

    @Test
    void shouldRefuseAQuorumNotMetNamingWhoApproved() throws IOException {
        Decision d = check(config(PRODUCTION), approvedBy("dave", "CAB-42", "alice"));

        assertThat(d.allowed()).isFalse();
        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.quorum");
        assertThat(d.message()).startsWith("1 of 2 approvals: alice; production needs 2 distinct approvers");
    }

    @Test
    void shouldCountTheSameApproverTwiceOnce() throws IOException {
        Decision d = check(config(PRODUCTION), approvedBy("dave", "CAB-42", "alice", "Alice"));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.quorum");
        assertThat(d.message()).contains("1 of 2 approvals: alice");
    }

    @Test
    void shouldRefuseSelfApprovalNamingTheRule() throws IOException {
        Decision d = check(config(PRODUCTION), approvedBy("bob", "CAB-42", "alice", "bob"));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.allowSelfApproval");
        assertThat(d.message()).contains("'bob' started this run and may not approve it");
    }

    @Test
    void shouldAllowSelfApprovalWhenKoreaYamlDoes() throws IOException {
        KoreaConfig config = config(PRODUCTION.replace("requireReason: true", "requireReason: true, allowSelfApproval: true"));

        assertThat(check(config, approvedBy("bob", "CAB-42", "alice", "bob")).allowed()).isTrue();
    }

    @Test
    void shouldRefuseAnApprovalWithoutReason() throws IOException {
        Decision d = check(config(PRODUCTION), approvedBy("dave", null, "alice", "bob"));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.approval.requireReason");
        assertThat(d.message()).contains("an approval to production needs a reason: pass --reason TEXT");
    }

    @Test
    void shouldRefuseAnApproverWhoIsNotASubmitterAndNoApprovalAtAll() throws IOException {
        KoreaConfig config = config(PRODUCTION);

        assertThat(check(config, approvedBy("dave", "x", "alice", "mallory")).message())
                .contains("'mallory' may not approve promotions to production; submitters: [alice, bob, carol]");
        assertThat(check(config, approvedBy("dave", null)).message())
                .contains("environment production requires approval: pass --approved-by USER")
                .contains("(environments.production.approval.required)");
    }

    @Test
    void shouldRefuseADeployByHandFromSomeoneOutsideTheTeam() throws IOException {
        KoreaConfig config = config("  staging: {branches: [staging], team: [quinn, quentin]}\n");
        ChangeControl control = control(config, "2026-12-01T10:00:00Z", Map.of());

        Decision byHand = control.check(new ChangeRequest("staging", "backend", DIGEST,
                new Authorization(List.of(), "dave", null, null, null, true)));
        Decision member = control.check(new ChangeRequest("staging", "backend", DIGEST,
                new Authorization(List.of(), "quinn", null, null, null, true)));
        Decision fromCi = control.check(new ChangeRequest("staging", "backend", DIGEST,
                new Authorization(List.of(), "dave", null, null, null, false)));

        assertThat(byHand.message()).isEqualTo("'dave' is not in the team that may deploy to staging by hand: "
                + "[quinn, quentin] (environments.staging.team)");
        assertThat(member.allowed()).isTrue();
        assertThat(fromCi.allowed()).as("the pipeline's own deploy is not 'by hand'").isTrue();
    }

    // ---- promotion paths --------------------------------------------------------------------------------------

    static final String PATH = """
              staging: {branches: [staging]}
              production: {branches: [main], promoteFrom: staging, minSoak: 30m}
            """;

    DeploymentRecord deployed(String environment, String digest, String at, String outcome) {
        return DeploymentRecord.builder().id(environment + "/backend/" + at).kind(DeploymentRecord.PROMOTION)
                .time(Instant.parse(at)).startedAt(Instant.parse(at).minusSeconds(60)).environment(environment)
                .component("backend").strategy("canary").image("registry/backend@" + digest).digest(digest).version("1.0")
                .outcome(com.koreapublicdata.pipeline.Outcome.fromJson(outcome)).message(outcome).durationSeconds(60).build();
    }

    @Test
    void shouldRefuseADigestNeverVerifiedInTheSourceEnvironment() throws IOException {
        history.add(deployed("staging", DIGEST, "2026-12-01T08:00:00Z", "rolled-back"));
        history.add(deployed("staging", OTHER, "2026-12-01T08:00:00Z", "deployed"));

        Decision d = control(config(PATH), "2026-12-01T10:00:00Z", Map.of())
                .check(new ChangeRequest("production", "backend", DIGEST, null));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.promoteFrom");
        assertThat(d.message()).contains("backend " + DIGEST + " was never deployed to staging and verified there");
    }

    @Test
    void shouldRefuseADigestThatHasNotSoakedLongEnough() throws IOException {
        history.add(deployed("staging", DIGEST, "2026-12-01T09:48:00Z", "deployed"));

        Decision d = control(config(PATH), "2026-12-01T10:00:00Z", Map.of())
                .check(new ChangeRequest("production", "backend", DIGEST, null));

        assertThat(d.refusals()).extracting(Refusal::rule).containsExactly("environments.production.minSoak");
        assertThat(d.message()).contains("has run in staging for 12m of the 30m it must soak; it may be promoted from "
                + "2026-12-01T10:18:00Z");
    }

    @Test
    void shouldAllowAVerifiedSoakedDigestAndKnowWhatTheSourceRunsNow() throws IOException {
        history.add(deployed("staging", DIGEST, "2026-12-01T09:00:00Z", "deployed"));
        history.add(deployed("staging", OTHER, "2026-12-01T09:50:00Z", "rolled-back"));
        ChangeControl control = control(config(PATH), "2026-12-01T10:00:00Z", Map.of());

        assertThat(control.check(new ChangeRequest("production", "backend", DIGEST, null)).allowed()).isTrue();
        assertThat(control.current("staging", "backend")).get().extracting(DeploymentRecord::digest).isEqualTo(DIGEST);
        assertThat(control.check(new ChangeRequest("production", "backend", null, null)).message())
                .contains("the digest of this image is unknown");
    }
}
