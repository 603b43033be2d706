package com.koreapublicdata.pipeline.config;

/** Snyk beside Trivy (the seed's image scan: {@code monitor: true}, {@code fail_on_issues: true}). */
public record SnykSettings(
        @Doc(value = "After a passing scan, run snyk monitor so Snyk keeps watching the deployed dependencies; a "
                + "monitor failure is a warning, never a failed scan.", defaultValue = "false") Boolean monitor,
        @Doc("Snyk organisation (--org); the token's default organisation when absent.") String org) {

    public SnykSettings {
        monitor = monitor != null && monitor;
    }

    public static SnykSettings defaults() {
        return new SnykSettings(null, null);
    }
}
