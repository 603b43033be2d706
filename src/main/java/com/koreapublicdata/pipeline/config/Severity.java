package com.koreapublicdata.pipeline.config;

/** Trivy's five severities, lowest first. */
public enum Severity {
    UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL
}
