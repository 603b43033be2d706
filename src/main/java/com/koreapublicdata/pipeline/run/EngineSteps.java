package com.koreapublicdata.pipeline.run;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.build.BuildRequest;
import com.koreapublicdata.pipeline.build.BuildResult;
import com.koreapublicdata.pipeline.build.ComponentBuilder;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.ScanTool;
import com.koreapublicdata.pipeline.config.Severity;
import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.scan.ScanEngine;
import com.koreapublicdata.pipeline.scan.ScanPolicy;
import com.koreapublicdata.pipeline.scan.ScanReport;
import com.koreapublicdata.pipeline.scan.ScanRequest;

/** {@link ComponentSteps} backed by the real engines: {@code korea build}, {@code korea scan} and {@code korea promote}. */
public final class EngineSteps implements ComponentSteps {

    /** Promotes one built image; the CLI supplies the deploy engine wired with its cluster, GitOps and Slack. */
    public interface Promotion {
        StageResult promote(String component, BuiltImage image, Environment environment, Approval approval);
    }

    private final ConfigFile config;
    private final Map<String, String> env;
    private final Path workDir;
    private final Clock clock;
    private final Consumer<String> progress;
    private final String branch;
    private final String commit;
    private final String version;
    private final Promotion promotion;
    private final Plan.Policy policy;

    public EngineSteps(ConfigFile config, Map<String, String> env, Path workDir, Clock clock, Consumer<String> progress,
            String branch, String commit, String version, Promotion promotion) {
        this(config, env, workDir, clock, progress, branch, commit, version, promotion, null);
    }

    /** @param policy the plan's flow policy, which the stages follow; null: the environment's own settings */
    public EngineSteps(ConfigFile config, Map<String, String> env, Path workDir, Clock clock, Consumer<String> progress,
            String branch, String commit, String version, Promotion promotion, Plan.Policy policy) {
        this.policy = policy;
        this.config = config;
        this.env = env;
        this.workDir = workDir;
        this.clock = clock;
        this.progress = progress;
        this.branch = branch;
        this.commit = commit;
        this.version = version;
        this.promotion = promotion;
    }

    @Override
    public BuildStep build(String component) {
        BuildResult result = new ComponentBuilder(config, env, progress)
                .build(new BuildRequest(component, branch, commit, version, false, false));
        double seconds = result.durationSeconds();
        String failed = result.failedStage();
        if (failed == null) {
            BuildResult.ImageResult image = result.image();
            List<String> notes = new ArrayList<>(image.warnings());
            String detail = image.reference() + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
            return new BuildStep(List.of(StageResult.passed("test", testSeconds(result), testDetail(result)),
                    StageResult.passed("build", Math.max(0, seconds - testSeconds(result)), detail)),
                    new BuiltImage(image.reference(), image.digest(), image.tarball()));
        }
        StageResult failure = StageResult.failed(failed.equals("build") || failed.equals("image") ? "build" : "test",
                seconds, result.message(), result.exitCode());
        if (failure.stage().equals("test")) {
            return new BuildStep(List.of(failure, StageResult.notRun("build", "tests did not pass")), null);
        }
        return new BuildStep(List.of(StageResult.passed("test", testSeconds(result), testDetail(result)), failure), null);
    }

    @Override
    public StageResult scan(String component, BuiltImage image, Environment environment) {
        ScanSettings settings = config.config().scan();
        ScanEngine engine = new ScanEngine(env, workDir, clock, line -> progress.accept(component + ": scan: " + line));
        // the plan decides whether a missing scanner may skip the stage; the Jenkins steps read the same plan
        boolean allowMissing = policy != null ? policy.scan().maySkipWhenNoScanner()
                : environment != null && environment.allowMissingScanner();
        Optional<String> skipped = engine.skipped(settings.tools(), allowMissing,
                environment == null ? null : environment.name());
        if (skipped.isPresent()) {
            return StageResult.skipped("scan", skipped.get());
        }
        Map<ScanTool, String> missing = engine.unavailable(settings.tools());
        if (missing.size() == settings.tools().size()) {
            String reasons = String.join("; ", missing.values());
            return StageResult.failed("scan", 0, reasons + ", so the image cannot be "
                    + "scanned and the gate fails closed" + (environment == null ? "" : "; to accept this for "
                    + environment.name() + ", set environments." + environment.name() + ".allowMissingScanner: true"),
                    ExitCode.FAILURE);
        }
        ScanPolicy policy = ScanPolicy.from(settings, ScanPolicy.Overrides.none(), config.baseDir());
        ScanReport report = engine.scan(new ScanRequest(List.of(), image.reference(),
                image.tarball() == null ? null : Path.of(image.tarball()), null, image.digest(), component, policy,
                config.stateDir(), settings.timeout(), settings.tools(), allowMissing, settings.snyk()));
        String counts = counts(report);
        return report.passed() ? StageResult.passed("scan", 0, counts)
                : StageResult.failed("scan", 0, report.blockingTotal() + " blocking finding(s): " + counts, ExitCode.GATE_REFUSED);
    }

    @Override
    public StageResult promote(String component, BuiltImage image, Environment environment, Approval approval) {
        return promotion.promote(component, image, environment, approval);
    }

    private static double testSeconds(BuildResult result) {
        return result.tests() == null ? 0 : result.tests().commands().stream()
                .filter(c -> !c.stage().equals("build")).mapToDouble(BuildResult.CommandRun::durationSeconds).sum();
    }

    private static String testDetail(BuildResult result) {
        if (result.tests() == null || result.tests().commands().isEmpty()) {
            return "no test commands";
        }
        return result.tests().commands().size() + " command(s)"
                + (result.tests().junitFiles().isEmpty() ? "" : ", JUnit in " + result.tests().junitDir());
    }

    private static String counts(ScanReport report) {
        StringBuilder sb = new StringBuilder();
        report.counts().forEach((kind, bySeverity) -> {
            long total = bySeverity.values().stream().mapToLong(Long::longValue).sum();
            if (total > 0) {
                sb.append(sb.length() == 0 ? "" : "; ").append(kind).append(' ');
                List<String> parts = new ArrayList<>();
                for (Severity severity : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)) {
                    long n = bySeverity.getOrDefault(severity, 0L);
                    if (n > 0) {
                        parts.add(severity.name().toLowerCase(Locale.ROOT) + " " + n);
                    }
                }
                sb.append(String.join(", ", parts));
            }
        });
        return sb.length() == 0 ? "no findings" : sb.toString();
    }
}
