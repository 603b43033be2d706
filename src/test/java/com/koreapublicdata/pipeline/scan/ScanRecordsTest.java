package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

class ScanRecordsTest {

    @TempDir
    Path state;

    @Test
    void shouldWriteAndFindARecordByDigestInEitherSpelling() throws IOException {
        ScanRecords records = new ScanRecords(state);
        ScanRecord record = record(Fixtures.DIGEST_A);
        records.write(record);

        assertThat(state.resolve("scans/" + "a".repeat(64) + ".json")).exists();
        assertThat(records.find(Fixtures.DIGEST_A)).contains(record);
        assertThat(records.find("a".repeat(64))).contains(record);
        assertThat(records.find(Fixtures.DIGEST_A.toUpperCase().replace("SHA256", "sha256"))).contains(record);
        assertThat(records.find(Fixtures.DIGEST_B)).isEmpty();
        try (var files = Files.list(state.resolve("scans"))) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void shouldReplaceAnOlderRecordOfTheSameImage() {
        ScanRecords records = new ScanRecords(state);
        records.write(record(Fixtures.DIGEST_A));
        ScanRecord newer = new ScanRecord(Fixtures.DIGEST_A, "app:2", "backend", "pass",
                Instant.parse("2026-11-21T00:00:00Z"), policy(), Map.of(), 0, "trivy", "0.58.1", List.of("r.json"));
        records.write(newer);
        assertThat(records.find(Fixtures.DIGEST_A)).contains(newer);
    }

    @Test
    void shouldNeverReadAnUnreadableOrForeignRecordAsAPass() throws IOException {
        ScanRecords records = new ScanRecords(state);
        Files.createDirectories(state.resolve("scans"));
        Files.writeString(state.resolve("scans/" + "a".repeat(64) + ".json"), "{\"digest\":");
        assertThatThrownBy(() -> records.find(Fixtures.DIGEST_A)).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("unreadable");

        records.write(record(Fixtures.DIGEST_B));
        Files.copy(state.resolve("scans/" + "b".repeat(64) + ".json"), state.resolve("scans/" + "d".repeat(64) + ".json"));
        assertThatThrownBy(() -> records.find(Fixtures.DIGEST_D)).isInstanceOf(KoreaException.class)
                .hasMessageContaining("not the record of");
    }

    @Test
    void shouldRejectSomethingThatIsNotADigest() {
        assertThatThrownBy(() -> new ScanRecords(state).find("latest")).isInstanceOfSatisfying(KoreaException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("not an image digest");
        assertThatThrownBy(() -> new ScanRecords(state).find("sha256:../../etc/passwd")).isInstanceOf(KoreaException.class);
    }

    private static ScanRecord record(String digest) {
        return new ScanRecord(digest, "registry.example.com/korea/backend:1.4.2", "backend", "pass",
                Instant.parse("2026-11-20T12:00:00Z"), policy(),
                Map.of("vulnerabilities", Map.of("CRITICAL", 0L, "HIGH", 0L, "MEDIUM", 2L, "LOW", 1L, "UNKNOWN", 0L)),
                3, "trivy", "0.58.1", List.of("trivy-report.json"));
    }

    private static ScanRecord.Policy policy() {
        return new ScanRecord.Policy(List.of("CRITICAL", "HIGH", "UNKNOWN"), false, List.of(), true, true, null, 0);
    }
}
