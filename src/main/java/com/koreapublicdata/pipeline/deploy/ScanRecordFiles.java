package com.koreapublicdata.pipeline.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The scan gate over the scan records {@code korea scan} writes: {@code <stateDir>/scans/<sha256-hex>.json}. */
public final class ScanRecordFiles implements ScanGate {
    private static final Pattern DIGEST = Pattern.compile("^sha256:([0-9a-f]{64})$");
    private final Path scans;

    public ScanRecordFiles(Path stateDir) {
        this.scans = stateDir.resolve("scans");
    }

    @Override
    public Optional<String> refusal(String digest) {
        var m = DIGEST.matcher(digest == null ? "" : digest);
        if (!m.matches()) {
            return Optional.of("the image digest is unknown, so no scan record can vouch for it (deploy by digest)");
        }
        Path file = scans.resolve(m.group(1) + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.of("no scan record for " + digest + " (expected " + file + "; run korea scan first)");
        }
        try {
            JsonNode record = new ObjectMapper().readTree(file.toFile());
            String verdict = record.path("verdict").asText("");
            // fail closed: anything but an explicit pass refuses
            return "pass".equals(verdict) ? Optional.empty()
                    : Optional.of("the scan record " + file + " has verdict '" + verdict + "', not 'pass'");
        } catch (IOException e) {
            return Optional.of("the scan record " + file + " is unreadable: " + e.getMessage());
        }
    }
}
