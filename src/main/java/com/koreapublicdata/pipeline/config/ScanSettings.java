package com.koreapublicdata.pipeline.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The security gate's policy (the seed: fail on HIGH and CRITICAL, unknown severities not allowed). */
public record ScanSettings(
        @Doc(value = "Severities that fail the gate (exact set, not a threshold).", defaultValue = "[CRITICAL, HIGH]")
                List<Severity> failOn,
        @Doc(value = "Whether findings of UNKNOWN severity may pass; when false, UNKNOWN joins failOn.",
                defaultValue = "false") Boolean allowUnknown,
        @Doc(value = "Ignore vulnerabilities without a fixed version.", defaultValue = "false") Boolean ignoreUnfixed,
        @Doc("Vulnerability statuses to ignore (Trivy's: unknown, not_affected, affected, fixed, under_investigation, "
                + "will_not_fix, fix_deferred, end_of_life).") List<String> ignoreStatuses,
        @Doc(value = "Trivy ignore file (.trivyignore or .trivyignore.yaml), relative to korea.yaml.",
                defaultValue = ".trivyignore when present") String ignoreFile,
        @Doc(value = "Gate on secrets found in the image.", defaultValue = "true") Boolean secrets,
        @Doc(value = "Gate on failed misconfiguration checks.", defaultValue = "true") Boolean misconfigurations,
        @Doc(value = "Scanner timeout.", defaultValue = "10m") java.time.Duration timeout) {

    public ScanSettings {
        failOn = failOn == null ? List.of(Severity.CRITICAL, Severity.HIGH) : List.copyOf(failOn);
        allowUnknown = allowUnknown != null && allowUnknown;
        ignoreUnfixed = ignoreUnfixed != null && ignoreUnfixed;
        ignoreStatuses = ignoreStatuses == null ? List.of() : List.copyOf(ignoreStatuses);
        secrets = secrets == null || secrets;
        misconfigurations = misconfigurations == null || misconfigurations;
        timeout = timeout == null ? java.time.Duration.ofMinutes(10) : timeout;
    }

    /** The exact set of blocking severities: failOn, plus UNKNOWN unless allowUnknown. */
    public Set<Severity> blockingSeverities() {
        EnumSet<Severity> blocking = failOn.isEmpty() ? EnumSet.noneOf(Severity.class) : EnumSet.copyOf(failOn);
        if (!allowUnknown) {
            blocking.add(Severity.UNKNOWN);
        }
        return blocking;
    }

    /** The ignore file resolved against the config's directory, or null when none is configured. */
    public Path ignoreFile(Path baseDir) {
        return ignoreFile == null ? null : baseDir.resolve(ignoreFile).normalize();
    }

    public static ScanSettings defaults() {
        return new ScanSettings(null, null, null, null, null, null, null, null);
    }
}
