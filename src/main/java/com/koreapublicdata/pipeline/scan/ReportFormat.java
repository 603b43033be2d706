package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;

/**
 * One report format. A report is read in a single streaming pass: the reader hands each top-level key to the
 * format that owns it, so detection costs nothing extra and memory does not grow with the report.
 */
interface ReportFormat {

    /** Stable kebab-case id: trivy, trivy-legacy, trivy-k8s, grype. */
    String id();

    /** What people call it. */
    String name();

    /** The scanner that writes it (trivy or grype). */
    String scanner();

    /** Top-level object keys only this format has; seeing one of them identifies the format. */
    Set<String> keys();

    /** Whether a bare top-level array is this format. */
    default boolean readsArrays() {
        return false;
    }

    /** Reads the value of top-level {@code key}; the parser is on the value's first token and ends on its last. */
    void readField(String key, JsonParser parser, ReadContext context) throws IOException;

    /** Reads a bare top-level array; the parser is on START_ARRAY and ends on its END_ARRAY. */
    default void readArray(JsonParser parser, ReadContext context) throws IOException {
        throw new UnsupportedOperationException(id() + " has no array form");
    }
}
