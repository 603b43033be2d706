package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.AtomicFiles;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;

/** The scan records in {@code <stateDir>/scans/}, one file per image digest. */
public final class ScanRecords {
    private final Path dir;
    private final ObjectMapper mapper = JsonMapping.pretty();

    public ScanRecords(Path stateDir) {
        this.dir = stateDir.resolve("scans");
    }

    /** Where the record for {@code digest} ({@code sha256:HEX} or HEX) lives. */
    public Path file(String digest) {
        String hex = Digests.hex(digest);
        if (hex == null) {
            throw KoreaException.invalidInput("'" + digest + "' is not an image digest (sha256: and 64 hex digits)");
        }
        return dir.resolve(hex + ".json");
    }

    /**
     * The passing scan of this image, if there is one. A record that cannot be read is an error, never a pass.
     */
    public Optional<ScanRecord> find(String digest) {
        Path file = file(digest);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ScanRecord record;
        try {
            record = mapper.readValue(file.toFile(), ScanRecord.class);
        } catch (IOException e) {
            throw KoreaException.invalidInput("scan record " + file + " is unreadable: " + e.getMessage()
                    + "; scan the image again");
        }
        if (record == null || record.digest() == null || !file(record.digest()).equals(file)) {
            throw KoreaException.invalidInput("scan record " + file + " is not the record of " + digest
                    + "; scan the image again");
        }
        return Optional.of(record);
    }

    /** Writes (or replaces) the record, atomically, so a reader never sees half a file. */
    public void write(ScanRecord record) {
        Path file = file(record.digest());
        try {
            AtomicFiles.write(file, mapper.writeValueAsString(record) + "\n");
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot write scan record " + file + ": " + e.getMessage(), e);
        }
    }
}
