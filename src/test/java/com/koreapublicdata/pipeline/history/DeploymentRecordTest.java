package com.koreapublicdata.pipeline.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.Outcome;

class DeploymentRecordTest {
    static final Instant START = Instant.parse("2026-12-02T01:59:00Z");
    static final Instant END = Instant.parse("2026-12-02T02:00:00Z");

    @TempDir
    Path dir;

    private DeploymentRecord promotion() {
        return DeploymentRecord.builder().id("production/web/20261202T015900Z").kind(DeploymentRecord.PROMOTION)
                .time(END).startedAt(START).environment("production").component("web").strategy("canary")
                .image("registry/web@sha256:" + "a".repeat(64)).digest("sha256:" + "a".repeat(64)).version("2.0")
                .approver("alice").approvalSource("cli").outcome(Outcome.DEPLOYED).message("deployed")
                .durationSeconds(60).comparison(Map.of("outcome", "passed")).requestedBy("bob").build();
    }

    @Test
    void shouldLeaveWhatIsNotSetNull() {
        DeploymentRecord r = DeploymentRecord.builder().id("x").outcome(Outcome.FAILED).build();

        assertThat(r.id()).isEqualTo("x");
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.durationSeconds()).isZero();
        assertThat(r.commit()).isNull();
        assertThat(r.rollbackSeconds()).isNull();
        assertThat(r.cluster()).isNull();
        assertThat(r.wave()).isNull();
    }

    @Test
    void shouldCopyEveryFieldIntoToBuilderAndChangeOnlyWhatIsSet() {
        DeploymentRecord r = promotion();

        assertThat(r.toBuilder().build()).isEqualTo(r);
        DeploymentRecord changed = r.toBuilder().outcome(Outcome.ROLLED_BACK).rollbackSeconds(12.5).build();
        assertThat(changed.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(changed.rollbackSeconds()).isEqualTo(12.5);
        assertThat(changed.toBuilder().outcome(r.outcome()).rollbackSeconds(null).build()).isEqualTo(r);
        assertThat(r.onCluster("eu-1", 2)).isEqualTo(r.toBuilder().cluster("eu-1").wave(2).build());
    }

    @Test
    void shouldWriteTheSameLineAsBeforeTheBuilder() throws IOException {
        DeploymentLog log = new DeploymentLog(dir);
        log.append(DeploymentRecord.builder().id("staging/web/1").kind(DeploymentRecord.ROLLBACK).time(END).startedAt(START)
                .environment("staging").component("web").strategy("rolling").image("web:1").outcome(Outcome.ROLLED_BACK)
                .message("manual").durationSeconds(3.5).rollbackSeconds(3.5).revision("4").build());

        // every field, in declaration order, nulls included: the layout status, history and kpi have always read
        assertThat(Files.readString(dir.resolve("deployments.jsonl"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":\"staging/web/1\",\"kind\":\"rollback\",\"time\":\"2026-12-02T02:00:00Z\","
                        + "\"startedAt\":\"2026-12-02T01:59:00Z\",\"environment\":\"staging\",\"component\":\"web\","
                        + "\"strategy\":\"rolling\",\"image\":\"web:1\",\"digest\":null,\"version\":null,\"approver\":null,"
                        + "\"approvalSource\":null,\"buildUrl\":null,\"commit\":null,\"commitTime\":null,"
                        + "\"outcome\":\"rolled-back\",\"message\":\"manual\",\"durationSeconds\":3.5,\"rollbackSeconds\":3.5,"
                        + "\"revision\":\"4\",\"comparison\":null,\"activeSeconds\":null,\"pausedSeconds\":null,"
                        + "\"approvalSeconds\":null,\"requestedBy\":null,\"approvalReason\":null,\"breakGlass\":null,"
                        + "\"cluster\":null,\"wave\":null}\n");
    }

    @Test
    void shouldReadALineWrittenBeforeChangeControlAndWaves() throws IOException {
        Files.writeString(dir.resolve("deployments.jsonl"), "{\"id\":\"production/web/1\",\"kind\":\"promotion\","
                + "\"time\":\"2026-12-02T02:00:00Z\",\"startedAt\":\"2026-12-02T01:59:00Z\",\"environment\":\"production\","
                + "\"component\":\"web\",\"strategy\":\"canary\",\"image\":\"web:2\",\"outcome\":\"deployed\","
                + "\"durationSeconds\":60.0}\n", StandardCharsets.UTF_8);

        List<DeploymentRecord> read = new DeploymentLog(dir).read();

        assertThat(read).containsExactly(DeploymentRecord.builder().id("production/web/1").kind(DeploymentRecord.PROMOTION)
                .time(END).startedAt(START).environment("production").component("web").strategy("canary").image("web:2")
                .outcome(Outcome.DEPLOYED).durationSeconds(60).build());
    }

    @Test
    void shouldRoundTripABuiltRecordThroughTheLog() {
        DeploymentLog log = new DeploymentLog(dir);
        log.append(promotion());

        assertThat(log.read()).containsExactly(promotion());
    }
}
