package com.koreapublicdata.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The toolchain a component is built with; it picks the default test and build commands. */
public enum ComponentKind {
    NODE, PYTHON, MAVEN, CUSTOM;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
