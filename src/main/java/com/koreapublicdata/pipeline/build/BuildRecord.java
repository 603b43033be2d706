package com.koreapublicdata.pipeline.build;

import java.time.Instant;
import java.util.List;

/**
 * What {@code korea build} leaves for scan and promote: the image by digest, so every environment gets the same
 * bytes (build once, promote that digest everywhere). Stored as {@code <stateDir>/builds/<component>/<hex>.json}.
 */
public record BuildRecord(String component, String repository, List<String> tags, String digest, String reference,
        String tarball, String builder, String commit, String branch, String version, boolean pushed,
        List<String> warnings, Instant time) {

    public BuildRecord {
        tags = tags == null ? List.of() : List.copyOf(tags);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The digest without its {@code sha256:} prefix: the record's file name. */
    public String digestHex() {
        return BuildRecords.hex(digest);
    }
}
