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
        @Doc(value = "Scanner timeout.", defaultValue = "10m") java.time.Duration timeout,
        @Doc(value = "Scanners that run and gate, each with this policy; Snyk runs only with snyk on PATH and "
                + "SNYK_TOKEN set, otherwise the environment's allowMissingScanner decides, as for Trivy.",
                defaultValue = "[trivy]") List<ScanTool> tools,
        @Doc("Snyk settings, used when tools lists snyk.") SnykSettings snyk) {

    public ScanSettings {
        failOn = failOn == null ? List.of(Severity.CRITICAL, Severity.HIGH) : List.copyOf(failOn);
        allowUnknown = allowUnknown != null && allowUnknown;
        ignoreUnfixed = ignoreUnfixed != null && ignoreUnfixed;
        ignoreStatuses = ignoreStatuses == null ? List.of() : List.copyOf(ignoreStatuses);
        secrets = secrets == null || secrets;
        misconfigurations = misconfigurations == null || misconfigurations;
        timeout = timeout == null ? java.time.Duration.ofMinutes(10) : timeout;
        tools = tools == null || tools.isEmpty() ? List.of(ScanTool.TRIVY) : List.copyOf(tools);
        snyk = snyk == null ? SnykSettings.defaults() : snyk;
    }

    /** The settings as before Snyk: Trivy alone. */
    public ScanSettings(List<Severity> failOn, Boolean allowUnknown, Boolean ignoreUnfixed, List<String> ignoreStatuses,
            String ignoreFile, Boolean secrets, Boolean misconfigurations, java.time.Duration timeout) {
        this(failOn, allowUnknown, ignoreUnfixed, ignoreStatuses, ignoreFile, secrets, misconfigurations, timeout,
                null, null);
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
        return new ScanSettings(null, null, null, null, null, null, null, null, null, null);
    }
}
