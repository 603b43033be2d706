package com.koreapublicdata.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a component's new version replaces the old one in an environment. */
public enum Strategy {
    ROLLING, BLUEGREEN, CANARY, GITOPS;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
