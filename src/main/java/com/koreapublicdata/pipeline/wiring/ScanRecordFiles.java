package com.koreapublicdata.pipeline.wiring;

import com.koreapublicdata.pipeline.deploy.ScanGate;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.scan.ScanRecord;
import com.koreapublicdata.pipeline.scan.ScanRecords;

/** The scan gate over the scan records {@code korea scan} writes: {@code <stateDir>/scans/<sha256-hex>.json}. */
public final class ScanRecordFiles implements ScanGate {
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");
    private final ScanRecords records;

    public ScanRecordFiles(Path stateDir) {
        this.records = new ScanRecords(stateDir);
    }

    @Override
    public Optional<String> refusal(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            return Optional.of("the image digest is unknown, so no scan record can vouch for it (deploy by digest)");
        }
        try {
            Optional<ScanRecord> record = records.find(digest);
            if (record.isEmpty()) {
                return Optional.of("no scan record for " + digest + " (expected " + records.file(digest)
                        + "; run korea scan first)");
            }
            // fail closed: anything but an explicit pass refuses
            return record.get().passed() ? Optional.empty()
                    : Optional.of("the scan record " + records.file(digest) + " has verdict '" + record.get().verdict()
                            + "', not 'pass'");
        } catch (KoreaException e) {
            return Optional.of(e.getMessage()); // unreadable, or not this image's record: never a pass
        }
    }
}
