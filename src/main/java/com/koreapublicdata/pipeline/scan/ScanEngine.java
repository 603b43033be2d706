package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Version;
import com.koreapublicdata.pipeline.config.ScanTool;

/**
 * {@code korea scan}: reads the reports (or runs Trivy), puts every finding through the {@link Gate}, and on a
 * pass writes the scan record promotion requires. Fails closed: a scanner that did not run or a report that
 * cannot be read throws, it never passes.
 */
public final class ScanEngine {
    private final Map<String, String> env;
    private final Path workDir;
    private final Clock clock;
    private final Consumer<String> progress;

    /**
     * @param env      the environment (PATH is where trivy is looked up)
     * @param workDir  where trivy runs and relative paths resolve
     * @param clock    "now", for ignore-rule expiry and the record's time
     * @param progress where progress lines go (standard error)
     */
    public ScanEngine(Map<String, String> env, Path workDir, Clock clock, Consumer<String> progress) {
        this.env = env;
        this.workDir = workDir;
        this.clock = clock;
        this.progress = progress;
    }

    public ScanReport scan(ScanRequest request) {
        validate(request);
        Instant now = clock.instant();
        Gate gate = new Gate(request.policy(), now);
        List<ReportInfo> infos = new ArrayList<>();
        ReportReader reader = new ReportReader();
        if (!request.reports().isEmpty()) {
            for (Path report : request.reports()) {
                progress.accept("reading " + report);
                infos.add(reader.read(report, gate));
            }
            return recordIfPassed(request, gate.report(infos), List.of());
        }
        List<String> warnings = new ArrayList<>();
        List<ScanTool> runnable = runnable(request, warnings);
        for (ScanTool tool : runnable) {
            infos.add(tool == ScanTool.SNYK ? runSnyk(request, reader, gate) : runTrivy(request, reader, gate));
        }
        ScanReport report = recordIfPassed(request, gate.report(infos), warnings);
        if (report.passed() && runnable.contains(ScanTool.SNYK) && request.snyk().monitor()) {
            String warning = monitorSnyk(request);
            if (warning != null) {
                report = report.withDigest(report.digest(), report.record(), report.recordNote(), List.of(warning));
            }
        }
        return report;
    }

    /**
     * Why each of {@code tools} cannot run here (not installed; Snyk without SNYK_TOKEN), by tool; empty when all
     * can. The one place that decides whether a scanner is missing, for {@code korea scan} and {@code korea run}.
     */
    public Map<ScanTool, String> unavailable(List<ScanTool> tools) {
        Map<ScanTool, String> missing = new LinkedHashMap<>();
        for (ScanTool tool : tools) {
            Optional<String> why = tool == ScanTool.SNYK ? new SnykRunner(env, workDir).unavailable()
                    : new TrivyRunner(env, workDir).locate().isPresent() ? Optional.empty()
                    : Optional.of("trivy is not installed (no trivy on PATH)");
            why.ifPresent(reason -> missing.put(tool, reason));
        }
        return missing;
    }

    /**
     * Why the scan is skipped: none of {@code tools} can run here and the environment allows a missing scanner
     * ({@code allowMissingScanner}); empty when the scan must run (or fail closed). The one rule korea scan
     * --environment and korea run follow.
     */
    public Optional<String> skipped(List<ScanTool> tools, com.koreapublicdata.pipeline.config.Environment environment) {
        return skipped(tools, environment != null && environment.allowMissingScanner(),
                environment == null ? null : environment.name());
    }

    /** As above, for a caller that holds the decision already (korea run follows the plan's scan policy). */
    public Optional<String> skipped(List<ScanTool> tools, boolean maySkipWhenNoScanner, String environment) {
        Map<ScanTool, String> missing = unavailable(tools);
        if (!maySkipWhenNoScanner || missing.size() < tools.size()) {
            return Optional.empty();
        }
        return Optional.of("no scanner installed (" + String.join("; ", missing.values()) + "); environments."
                + environment + ".allowMissingScanner lets the pipeline go on; no scan record was written");
    }

    /** The configured tools that can run; a missing one fails the scan unless the environment allows it. */
    private List<ScanTool> runnable(ScanRequest request, List<String> warnings) {
        Map<ScanTool, String> missing = unavailable(request.tools());
        List<ScanTool> runnable = request.tools().stream().filter(t -> !missing.containsKey(t)).toList();
        if (missing.isEmpty()) {
            return runnable;
        }
        String reasons = String.join("; ", missing.values());
        if (!request.allowMissingScanner() || runnable.isEmpty()) {
            // a scan that did not run is never a pass; with none left there is nothing to gate on
            throw new KoreaException(ExitCode.FAILURE, reasons + ": cannot scan "
                    + describe(request) + "; install it, or pass an existing report with --report FILE");
        }
        warnings.add(reasons + ": left out (allowMissingScanner); the gate ran with "
                + runnable.stream().map(ScanTool::id).collect(java.util.stream.Collectors.joining(", ")) + " only");
        return runnable;
    }

    private static String describe(ScanRequest request) {
        return String.valueOf(request.dir() != null ? request.dir() : request.tarball() != null ? request.tarball()
                : request.image());
    }

    private ReportInfo runSnyk(ScanRequest request, ReportReader reader, Gate gate) {
        SnykRunner runner = new SnykRunner(env, workDir);
        TrivyRunner.Target target = new TrivyRunner.Target(request.image(), request.tarball(), request.dir());
        String what = SnykRunner.describe(target, "test");
        Path temp = null;
        try {
            temp = Files.createTempDirectory("korea-snyk-");
            progress.accept("running " + what);
            Path report = runner.test(target, request.snyk().org(), request.timeout(), temp);
            try {
                return reader.read(report, gate).withSource(what);
            } catch (KoreaException e) {
                throw new KoreaException(ExitCode.FAILURE, what + " wrote a report korea cannot read: "
                        + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot prepare a temporary directory for snyk: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private String monitorSnyk(ScanRequest request) {
        TrivyRunner.Target target = new TrivyRunner.Target(request.image(), request.tarball(), request.dir());
        Path temp = null;
        try {
            temp = Files.createTempDirectory("korea-snyk-");
            progress.accept("running " + SnykRunner.describe(target, "monitor"));
            return new SnykRunner(env, workDir).monitor(target, request.snyk().org(), request.timeout(), temp);
        } catch (IOException e) {
            return "snyk monitor did not run: " + e.getMessage() + "; the scan passed and stands";
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void validate(ScanRequest r) {
        if (r.digest() != null && !Digests.isDigest(r.digest())) {
            throw KoreaException.invalidInput("--digest '" + r.digest() + "' is not sha256: followed by 64 hex digits");
        }
        if (r.image() != null && r.image().contains("@") && Digests.fromReference(r.image()) == null) {
            throw KoreaException.invalidInput("--image '" + r.image() + "' has a malformed digest (expected @sha256: "
                    + "and 64 hex digits)");
        }
        if (!r.reports().isEmpty()) {
            if (r.tarball() != null || r.dir() != null) {
                throw KoreaException.invalidInput("--report reads existing reports; it excludes --input and --dir");
            }
            return;
        }
        if (r.dir() != null && (r.image() != null || r.tarball() != null)) {
            throw KoreaException.invalidInput("--dir scans a directory; it excludes --image and --input");
        }
        if (r.dir() == null && r.image() == null && r.tarball() == null) {
            throw KoreaException.invalidInput("nothing to scan: give --image REF, --input TARBALL, --dir PATH or "
                    + "--report FILE");
        }
        if (r.dir() != null && !Files.isDirectory(r.dir())) {
            throw KoreaException.invalidInput("--dir " + r.dir() + " is not a directory");
        }
        if (r.tarball() != null && !Files.isRegularFile(r.tarball())) {
            throw KoreaException.invalidInput("--input " + r.tarball() + " is not a file");
        }
    }

    private ReportInfo runTrivy(ScanRequest request, ReportReader reader, Gate gate) {
        TrivyRunner runner = new TrivyRunner(env, workDir);
        TrivyRunner.Target target = new TrivyRunner.Target(request.image(), request.tarball(), request.dir());
        Path temp = null;
        try {
            temp = Files.createTempDirectory("korea-scan-");
            progress.accept("running " + target.describe());
            Path report = runner.run(target, request.policy().misconfigurations(), request.timeout(), temp);
            ReportInfo info;
            try {
                info = reader.read(report, gate);
            } catch (KoreaException e) {
                // trivy wrote something korea cannot read: the scanner failed, the user's input did not
                throw new KoreaException(ExitCode.FAILURE, target.describe() + " wrote a report korea cannot read: "
                        + e.getMessage(), e);
            }
            info = info.withSource(target.describe());
            if (info.scannerVersion() == null) {
                info = info.withScannerVersion(runner.version(temp));
            }
            return info;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot prepare a temporary directory for trivy: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private ScanReport recordIfPassed(ScanRequest request, ScanReport report, List<String> earlier) {
        List<String> warnings = new ArrayList<>(earlier);
        String digest = digest(request, report.reports(), warnings);
        if (!report.passed()) {
            return report.withDigest(digest, null, "the gate failed: no scan record written", warnings);
        }
        if (digest == null) {
            return report.withDigest(null, null, "no image digest known (give --digest sha256:..., an --image "
                    + "reference with @sha256:, or a report with Metadata.RepoDigests): no scan record written, so "
                    + "promotion to an environment that requires a scan will refuse this image", warnings);
        }
        ScanRecords records = new ScanRecords(request.stateDir());
        ScanRecord record = record(request, report, digest);
        records.write(record);
        return report.withDigest(digest, records.file(digest).toString(), null, warnings);
    }

    /** The digest: --digest, then the image reference, then the reports' RepoDigests, then their ImageID. */
    private static String digest(ScanRequest request, List<ReportInfo> reports, List<String> warnings) {
        Set<String> repoDigests = new LinkedHashSet<>();
        Set<String> imageIds = new LinkedHashSet<>();
        for (ReportInfo info : reports) {
            repoDigests.addAll(info.repoDigests());
            if (info.imageId() != null) {
                imageIds.add(info.imageId());
            }
        }
        String given = request.digest() != null ? Digests.normalise(request.digest())
                : Digests.fromReference(request.image());
        if (given != null) {
            // a report that names other images must not certify this one
            if (!repoDigests.isEmpty() && !repoDigests.contains(given) && !imageIds.contains(given)) {
                throw KoreaException.invalidInput("the report is for " + String.join(", ", repoDigests) + ", not for "
                        + given + ": check --digest/--image");
            }
            return given;
        }
        if (repoDigests.size() == 1) {
            return repoDigests.iterator().next();
        }
        if (repoDigests.size() > 1) {
            warnings.add("the reports name " + repoDigests.size() + " image digests (" + String.join(", ", repoDigests)
                    + "); give --digest to say which image this scan is for");
            return null;
        }
        if (imageIds.size() == 1) {
            return imageIds.iterator().next();
        }
        if (imageIds.size() > 1) {
            warnings.add("the reports name " + imageIds.size() + " image ids; give --digest to say which image this "
                    + "scan is for");
        }
        return null;
    }

    private ScanRecord record(ScanRequest request, ScanReport report, String digest) {
        ScanPolicy p = report.policy();
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        report.counts().forEach((kind, bySeverity) -> {
            Map<String, Long> row = new LinkedHashMap<>();
            bySeverity.forEach((severity, n) -> row.put(severity.name(), n));
            counts.put(kind, row);
        });
        Set<String> scanners = new LinkedHashSet<>();
        String version = null;
        String artifact = request.image();
        for (ReportInfo info : report.reports()) {
            scanners.add(info.scanner());
            if (version == null) {
                version = info.scannerVersion();
            }
            if (artifact == null) {
                artifact = info.artifactName();
            }
        }
        long activeRules = p.ignores().rules().stream().filter(r -> r.activeAt(report.time())).count();
        ScanRecord.Policy policy = new ScanRecord.Policy(p.blockingOrdered().stream().map(Enum::name).toList(),
                p.ignoreUnfixed(), List.copyOf(p.ignoreStatuses()), p.secrets(), p.misconfigurations(),
                p.ignores().file() == null ? null : p.ignores().file().toString(), (int) activeRules);
        return new ScanRecord(digest, artifact, request.component(), ScanReport.PASS, report.time(), policy, counts,
                report.suppressedTotal(), String.join("+", scanners), version,
                report.reports().stream().map(ReportInfo::source).toList());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }

    /** The korea version, for renderers that name the tool. */
    static String koreaVersion() {
        return Version.current();
    }
}
