package com.koreapublicdata.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.notify.NotificationEvent.Kind;
import com.koreapublicdata.pipeline.notify.NotificationEvents.Source;

/** The one result-to-event mapping, and what it reads from each command's result. */
class NotificationEventsTest {

    @Test
    void shouldMapEveryOutcomeOfEverySource() {
        for (Source source : Source.values()) {
            assertThat(NotificationEvents.forResult(source, Outcome.DEPLOYED)).contains(Kind.SUCCESS);
            assertThat(NotificationEvents.forResult(source, Outcome.AWAITING_PROMOTION)).contains(Kind.AWAITING_APPROVAL);
            assertThat(NotificationEvents.forResult(source, Outcome.ROLLED_BACK)).contains(Kind.ROLLBACK);
            assertThat(NotificationEvents.forResult(source, Outcome.ROLLBACK_FAILED)).contains(Kind.ROLLBACK);
            assertThat(NotificationEvents.forResult(source, Outcome.ABORTED)).contains(Kind.ROLLBACK);
            assertThat(NotificationEvents.forResult(source, Outcome.FAILED)).contains(Kind.FAILED);
            assertThat(NotificationEvents.forResult(source, Outcome.UNKNOWN)).contains(Kind.FAILED);
            assertThat(NotificationEvents.forResult(source, Outcome.INVALID_INPUT)).contains(Kind.FAILED);
            assertThat(NotificationEvents.forResult(source, Outcome.PASSED)).isEmpty();
            assertThat(NotificationEvents.forResult(source, Outcome.SKIPPED)).isEmpty();
            assertThat(NotificationEvents.forResult(source, Outcome.LOCKED)).isEmpty();
            assertThat(NotificationEvents.forResult(source, null)).isEmpty();
            assertThat(NotificationEvents.forResult(source, Outcome.REFUSED))
                    .contains(source == Source.SCAN ? Kind.SCAN_FAILED : Kind.FAILED);
        }
    }

    @Test
    void shouldTellTheCommandFromItsFieldsAndReadWhatAMessageNeeds(@TempDir Path dir) throws Exception {
        Path rollback = dir.resolve("rollback.json");
        Files.writeString(rollback, "{\"environment\":\"staging\",\"component\":\"web\",\"fromRevision\":\"3\",\"toRevision\":\"2\","
                + "\"image\":\"registry/web:1.3@sha256:" + "c".repeat(64) + "\",\"outcome\":\"rolled-back\",\"message\":\"done\"}");
        NotificationEvents.ResultFacts facts = NotificationEvents.read(rollback);
        assertThat(facts.source()).isEqualTo(Source.ROLLBACK);
        assertThat(facts.kind()).contains(Kind.ROLLBACK);
        assertThat(facts.version()).isEqualTo("1.3");
        assertThat(facts.components()).containsExactly("web");

        Path run = dir.resolve("run.json");
        Files.writeString(run, "{\"branch\":\"develop\",\"environment\":\"development\",\"components\":[{\"component\":\"a\","
                + "\"stages\":[],\"digest\":\"sha256:" + "d".repeat(64) + "\"},{\"component\":\"b\",\"stages\":[]}],"
                + "\"outcome\":\"deployed\"}");
        NotificationEvents.ResultFacts runFacts = NotificationEvents.read(run);
        assertThat(runFacts.source()).isEqualTo(Source.RUN);
        assertThat(runFacts.components()).containsExactly("a", "b");
        assertThat(runFacts.kind()).isEqualTo(Optional.of(Kind.SUCCESS));

        Path build = dir.resolve("build.json");
        Files.writeString(build, "{\"component\":\"web\",\"outcome\":\"refused\",\"builder\":null,\"audits\":[]}");
        assertThat(NotificationEvents.read(build).source()).isEqualTo(Source.BUILD);
        assertThat(NotificationEvents.read(build).kind()).contains(Kind.FAILED);
    }
}
