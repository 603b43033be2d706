package com.koreapublicdata.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** A scanner korea runs for the security gate; each one that runs gates with the same policy. */
public enum ScanTool {
    TRIVY, SNYK;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
