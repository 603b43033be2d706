package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.notify.NotificationEvent;
import com.koreapublicdata.pipeline.notify.NotificationEvents;
import com.koreapublicdata.pipeline.notify.Notifier;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.Severity;
import com.koreapublicdata.pipeline.scan.ScanEngine;
import com.koreapublicdata.pipeline.scan.ScanPolicy;
import com.koreapublicdata.pipeline.scan.ScanRenderers;
import com.koreapublicdata.pipeline.scan.ScanReport;
import com.koreapublicdata.pipeline.scan.ScanRequest;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "scan", header = "Scan an image (or read scanner reports) and apply the security gate.",
        description = {"Runs Trivy (trivy image for --image or --input, trivy fs for --dir) or reads existing reports "
                + "(--report, repeatable: Trivy JSON schema 2, pre-0.19 Trivy, trivy k8s, Grype JSON), applies the "
                + "ignore file, --ignore-unfixed and --ignore-status, then fails on any finding of a blocking severity "
                + "(default from korea.yaml scan: CRITICAL, HIGH and, unless allowUnknown, UNKNOWN).",
                "On a pass with a known image digest it writes <stateDir>/scans/<sha256-hex>.json, which promotion to "
                + "staging and production requires. A scanner that did not run or a report that cannot be read is "
                + "never a pass."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the gate passed", "1:the scanner failed, is not installed, or could not scan part of the target",
            "2:bad input: unreadable or unknown report, bad option or korea.yaml", "10:the gate failed"},
        footerHeading = "%nExamples:%n",
        footer = {"  korea scan --image registry.example.com/app@sha256:... --format json",
            "  korea scan --report trivy.json --digest sha256:... --ignore-unfixed",
            "  korea scan --report trivy.json --format sarif --output trivy.sarif",
            "  korea scan --input app.tar --format json --save junit=scan-junit.xml --save html=scan.html",
            "  korea scan --dir . --fail-on CRITICAL --ignorefile .trivyignore.yaml"})
final class ScanCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--image", paramLabel = "REF", description = "Image to scan with trivy image; with --report, "
            + "only names the image (and its digest when REF has @sha256:).")
    String image;

    @Option(names = "--input", paramLabel = "TARBALL", description = "Image tarball to scan (trivy image --input).")
    Path tarball;

    @Option(names = "--dir", paramLabel = "PATH", description = "Directory to scan (trivy fs).")
    Path dir;

    @Option(names = "--report", paramLabel = "FILE", description = "Existing report to read instead of running a "
            + "scanner; repeatable, all reports go through one gate.")
    List<Path> reports;

    @Option(names = "--digest", paramLabel = "sha256:HEX", description = "The image digest this scan is for "
            + "(default: from --image REF@sha256:..., else the report's Metadata.RepoDigests or ImageID).")
    String digest;

    @Option(names = "--component", paramLabel = "NAME", description = "korea.yaml component, noted in the scan record.")
    String component;

    @Option(names = "--fail-on", paramLabel = "SEV", split = ",", converter = SeverityConverter.class,
            description = "The exact set of blocking severities (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN); default: "
                    + "korea.yaml scan.failOn plus UNKNOWN unless scan.allowUnknown.")
    List<Severity> failOn;

    @Option(names = "--ignore-unfixed", negatable = true, description = "Ignore vulnerabilities without a fix "
            + "(default: korea.yaml scan.ignoreUnfixed).")
    Boolean ignoreUnfixed;

    @Option(names = "--ignore-status", paramLabel = "STATUS", split = ",", description = "Ignore vulnerabilities "
            + "with this Trivy status (unknown, not_affected, affected, fixed, under_investigation, will_not_fix, "
            + "fix_deferred, end_of_life); repeatable; replaces korea.yaml scan.ignoreStatuses.")
    List<String> ignoreStatuses;

    @Option(names = "--ignorefile", paramLabel = "FILE", description = ".trivyignore or .trivyignore.yaml "
            + "(default: korea.yaml scan.ignoreFile, else .trivyignore next to korea.yaml when present).")
    Path ignoreFile;

    @Option(names = "--gate-secrets", negatable = true, description = "Gate on secrets (default: korea.yaml scan.secrets).")
    Boolean secrets;

    @Option(names = "--gate-misconfigurations", negatable = true,
            description = "Gate on failed misconfiguration checks (default: korea.yaml scan.misconfigurations).")
    Boolean misconfigurations;

    @Option(names = "--max-details", paramLabel = "N", description = "Blocking and suppressed findings listed in "
            + "detail (default: ${DEFAULT-VALUE}); all are counted.", defaultValue = "1000")
    int maxDetails;

    @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
    ScanFormat format;

    @Option(names = "--save", paramLabel = "FORMAT=FILE", description = "Also write the result in FORMAT to FILE "
            + "(repeatable), so one scan gives e.g. JUnit for the test view, HTML to archive and SARIF to upload.")
    Map<ScanFormat, Path> save;

    @Option(names = "--environment", paramLabel = "ENV", description = "The environment the image is scanned for: "
            + "its allowMissingScanner decides whether a scanner that cannot run here fails the scan or is left out "
            + "(outcome skipped when none can run), as korea run decides.")
    String environment;

    @Mixin
    OutputOptions output;

    enum ScanFormat {
        text, json, sarif, junit, html
    }

    ScanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try {
            return scan();
        } catch (KoreaException e) {
            // every exit writes its JSON result: nothing was scanned into a record, nothing changed
            if (format == ScanFormat.json) {
                emitResult(Outcome.of(e.exitCode()), e.getMessage());
            }
            throw e;
        }
    }

    private void emitResult(Outcome outcome, String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("component", component);
        result.put("environment", environment);
        result.put("outcome", outcome);
        result.put("changed", false);
        result.put("exitCode", outcome.exitCode().code());
        result.put("message", message);
        output.emit(context, out -> Json.write(out, result));
    }

    private Integer scan() {
        Path configPath = config.path(context);
        boolean implicitConfig = config.config.toString().equals("korea.yaml") && !Files.exists(configPath);
        ConfigFile file = implicitConfig ? null : config.load(context);
        ScanSettings settings = file == null ? ScanSettings.defaults() : file.config().scan();
        Path baseDir = file == null ? context.workDir() : file.baseDir();
        Path stateDir = file == null ? context.workDir().resolve(".korea") : file.stateDir();
        if (implicitConfig) {
            context.err().println("korea: no korea.yaml here: using the default scan policy and state in " + stateDir);
        }
        ScanPolicy policy = ScanPolicy.from(settings, new ScanPolicy.Overrides(failOn, ignoreUnfixed, ignoreStatuses,
                ignoreFile == null ? null : context.resolve(ignoreFile.toString()), secrets, misconfigurations,
                maxDetails), baseDir);
        List<Path> reportPaths = new ArrayList<>();
        if (reports != null) {
            reports.forEach(r -> reportPaths.add(context.resolve(r.toString())));
        }
        Environment env = null;
        if (environment != null) {
            if (file == null) {
                throw KoreaException.invalidInput("--environment " + environment + " needs a korea.yaml (none at "
                        + configPath + ")");
            }
            env = file.config().environment(environment).orElseThrow(() -> KoreaException.invalidInput("--environment "
                    + environment + ": no such environment in " + file.path() + "; environments: "
                    + String.join(", ", file.config().environments().keySet())));
        }
        boolean allowMissing = env != null && env.allowMissingScanner();
        ScanEngine engine = new ScanEngine(context.env(), context.workDir(), context.clock(),
                line -> context.err().println("korea: " + line));
        java.util.Optional<String> skipped = reportPaths.isEmpty() ? engine.skipped(settings.tools(), env)
                : java.util.Optional.empty();
        if (skipped.isPresent()) {
            // shown in plain sight, no scan record written
            context.err().println("korea: scan skipped: " + skipped.get());
            if (format == ScanFormat.json) {
                emitResult(Outcome.SKIPPED, skipped.get());
            }
            return ExitCode.OK.code();
        }
        ScanRequest request = new ScanRequest(reportPaths, image, tarball == null ? null : context.resolve(tarball.toString()),
                dir == null ? null : context.resolve(dir.toString()), digest, component, policy, stateDir,
                settings.timeout(), settings.tools(), allowMissing, settings.snyk());
        ScanReport report = engine.scan(request);
        if (save != null) {
            save.forEach((saveFormat, target) -> write(report, saveFormat, context.resolve(target.toString())));
        }
        output.emit(context, out -> ScanRenderers.get(format.name()).render(report, out, output.color(context)));
        if (!report.scanErrors().isEmpty()) {
            context.err().println("korea: the scanner could not scan " + report.scanErrors().size()
                    + " part(s), so the gate cannot pass: " + report.scanErrors().get(0));
            context.err().flush();
            return ExitCode.FAILURE.code();
        }
        if (!report.passed()) {
            if (file != null) {
                notifyScanFailed(file, report);
            }
            context.err().println("korea: security gate failed: " + report.blockingTotal() + " blocking finding"
                    + (report.blockingTotal() == 1 ? "" : "s") + " of " + String.join(", ",
                            policy.blockingOrdered().stream().map(Enum::name).toList()));
            context.err().flush();
            return ExitCode.GATE_REFUSED.code();
        }
        return ExitCode.OK.code();
    }

    /** The seed's alert for a refused image: #alerts by default; Slack trouble is only a warning. */
    private void notifyScanFailed(ConfigFile file, ScanReport report) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        report.counts().values().forEach(counts -> counts.forEach((severity, n) ->
                bySeverity.merge(severity.name(), n.intValue(), Integer::sum)));
        List<String> blocking = report.blocking().stream().map(f -> f.id()).distinct().toList();
        String subject = image != null ? image : digest != null ? digest : tarball != null ? tarball.toString() : "the scanned image";
        Notifier notifier = new Notifier(file, context.env(), w -> context.err().println("korea: warning: " + w));
        if (!notifier.configured()) {
            return;
        }
        NotificationEvents.forResult(NotificationEvents.Source.SCAN, com.koreapublicdata.pipeline.Outcome.REFUSED)
                .ifPresent(kind -> notifier.send(NotificationEvent.builder(kind)
                        .component(component)
                        .version(subject)
                        .digest(report.digest())
                        .scanSummary(NotificationEvent.scanSummary(bySeverity, blocking))
                        .reason(report.blockingTotal() + " blocking finding(s)")
                        .buildUrl(context.env().get("BUILD_URL"))
                        .build()));
    }

    private static void write(ScanReport report, ScanFormat saveFormat, Path file) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            ScanRenderers.get(saveFormat.name()).render(report, out, false);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KoreaException.invalidInput("--save " + saveFormat + "=" + file + ": cannot write: " + e.getMessage());
        }
    }

    /** Severities as people type them: any case. */
    static final class SeverityConverter implements ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            try {
                return Severity.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a severity; allowed: CRITICAL, HIGH, "
                        + "MEDIUM, LOW, UNKNOWN");
            }
        }
    }
}
