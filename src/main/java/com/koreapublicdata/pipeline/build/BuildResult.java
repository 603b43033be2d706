package com.koreapublicdata.pipeline.build;

import com.koreapublicdata.pipeline.Outcome;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;

/**
 * The outcome of building one component. Failures are data, not exceptions, so {@code korea run} can carry on
 * with the other components.
 *
 * @param component       the component
 * @param outcome         passed, failed (a command or the image build failed) or refused (an audit gate said no)
 * @param failedStage     test, e2e, build, audit or image; null when passed
 * @param failedCommand   the command that failed (as written in korea.yaml, or the builder's command); may be null
 * @param failedExitCode  that command's exit code; null when not a command
 * @param message         one line for people
 * @param tests           the test, e2e and build commands run
 * @param audits          each dependency auditor with its status and findings
 * @param image           the image built; null when not built
 * @param durationSeconds wall time of the whole build
 */
public record BuildResult(String component, Outcome outcome, String failedStage, String failedCommand,
        Integer failedExitCode, String message, Tests tests, List<AuditResult> audits, ImageResult image,
        double durationSeconds) {

    public BuildResult {
        audits = audits == null ? List.of() : List.copyOf(audits);
    }

    /** The same result with the failing tests named in its message (at most five, then a count). */
    BuildResult withFailedTests(List<String> failedTests) {
        if (failedTests.isEmpty()) {
            return this;
        }
        String names = String.join("; ", failedTests.subList(0, Math.min(5, failedTests.size())))
                + (failedTests.size() > 5 ? "; and " + (failedTests.size() - 5) + " more" : "");
        return new BuildResult(component, outcome, failedStage, failedCommand, failedExitCode,
                message + "; failing tests: " + names, tests, audits, image, durationSeconds);
    }

    /** How the CLI exits for this result: 0 passed, 1 a command failed, 10 an audit gate refused. */
    public ExitCode exitCode() {
        return outcome.exitCode();
    }

    /** One command run: its stage (test, e2e, build), the command line, exit code and duration. */
    public record CommandRun(String stage, String command, int exitCode, double durationSeconds) {
    }

    /**
     * @param commands   every command run, in order
     * @param junitDir   where JUnit XML reports were collected ({@code <stateDir>/reports/<component>})
     * @param junitFiles the report files collected there
     */
    public record Tests(List<CommandRun> commands, String junitDir, List<String> junitFiles) {
        public Tests {
            commands = commands == null ? List.of() : List.copyOf(commands);
            junitFiles = junitFiles == null ? List.of() : List.copyOf(junitFiles);
        }
    }

    /**
     * One dependency auditor.
     *
     * @param auditor  npm-audit, bandit, pip-audit or safety
     * @param status   ran, missing (not installed) or unavailable (installed but could not answer, e.g. offline)
     * @param findings counts by severity (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN); empty unless ran
     * @param blocking whether the findings refuse the build (severities in scan.failOn, UNKNOWN unless allowed)
     * @param message  what happened, for people
     */
    public record AuditResult(String auditor, String status, Map<String, Integer> findings, boolean blocking,
            String message) {
        public AuditResult {
            findings = findings == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(findings));
        }
    }

    /**
     * The image built.
     *
     * @param repository image repository without tag
     * @param tags       tags given
     * @param digest     sha256:... of the image manifest (the docker/podman/buildah local image id when not pushed)
     * @param reference  {@code repository@digest}, what scan and promote use
     * @param tarball    the image tarball, when one was written; may be null
     * @param builder    jib, docker, podman, buildah or kaniko
     * @param pushed     whether the image was pushed to the registry
     * @param warnings   what the image is not (base image missing, skipped RUN instructions, ...)
     * @param skipped    Dockerfile instructions the daemonless builder could not carry out, with their lines
     * @param notes      how the builder was chosen
     */
    public record ImageResult(String repository, List<String> tags, String digest, String reference, String tarball,
            String builder, boolean pushed, List<String> warnings, List<String> skipped, List<String> notes) {
        public ImageResult {
            tags = tags == null ? List.of() : List.copyOf(tags);
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
            skipped = skipped == null ? List.of() : List.copyOf(skipped);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }
    }
}
