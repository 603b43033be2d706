package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.ScanRecordFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promotion's scan gate fails closed on anything but a readable passing record of this very digest. */
class ScanRecordFilesTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @TempDir
    Path state;

    private void record(String fileDigest, String json) throws Exception {
        Files.createDirectories(state.resolve("scans"));
        Files.writeString(state.resolve("scans/" + fileDigest.substring(7) + ".json"), json);
    }

    @Test
    void shouldPassOnlyAPassingRecordOfThisDigest() throws Exception {
        ScanRecordFiles gate = new ScanRecordFiles(state);
        assertThat(gate.refusal(DIGEST)).get().asString().contains("no scan record");
        assertThat(gate.refusal(null)).get().asString().contains("digest is unknown");

        record(DIGEST, "{\"digest\":\"" + DIGEST + "\",\"verdict\":\"pass\"}");
        assertThat(gate.refusal(DIGEST)).isEmpty();

        record(DIGEST, "{\"digest\":\"" + DIGEST + "\",\"verdict\":\"fail\"}");
        assertThat(gate.refusal(DIGEST)).get().asString().contains("'fail'");

        record(DIGEST, "{\"digest\":\"" + OTHER + "\",\"verdict\":\"pass\"}");
        assertThat(gate.refusal(DIGEST)).get().asString().contains("is not the record of " + DIGEST);

        record(DIGEST, "{\"verdict\":");
        assertThat(gate.refusal(DIGEST)).get().asString().contains("unreadable");
    }
}
