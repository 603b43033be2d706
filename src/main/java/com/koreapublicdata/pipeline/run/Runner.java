package com.koreapublicdata.pipeline.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.plan.Plan;

/**
 * The whole flow for one checkout: per component (in parallel) test, build and scan; then, when the branch has an
 * environment, approval (once) and promotion of every component that got through its gates. A component that
 * fails stops at that stage; the others are unaffected.
 */
public final class Runner {
    /** Which exit code wins when components end differently: the most alarming first. */
    private static final List<ExitCode> SEVERITY = List.of(ExitCode.ROLLBACK_FAILED, ExitCode.ROLLED_BACK,
            ExitCode.FAILURE, ExitCode.USAGE, ExitCode.LOCKED, ExitCode.GATE_REFUSED, ExitCode.OK);

    private final KoreaConfig config;
    private final ComponentSteps steps;
    private final ApprovalPrompt prompt;
    private final Consumer<String> progress;
    private final Clock clock;
    private final int parallelism;

    /** Asks a person for approval when none was given up front; empty means refused or nobody to ask. */
    public interface ApprovalPrompt {
        Optional<String> ask(Plan plan, List<ComponentRun> ready);
    }

    public Runner(KoreaConfig config, ComponentSteps steps, ApprovalPrompt prompt, Consumer<String> progress, Clock clock,
            int parallelism) {
        this.config = config;
        this.steps = steps;
        this.prompt = prompt;
        this.progress = progress;
        this.clock = clock;
        this.parallelism = Math.max(1, parallelism);
    }

    public RunResult run(Plan plan, ComponentSteps.Approval givenApproval) {
        Environment environment = plan.environment() == null ? null : config.environments().get(plan.environment());
        List<String> notes = new ArrayList<>();
        if (plan.components().isEmpty()) {
            notes.add("nothing to do: " + plan.reason());
            return new RunResult(plan.branch(), plan.environment(), List.of(), notes, ExitCode.OK);
        }
        progress.accept("plan: " + plan.reason());
        List<Partial> partials = buildAndScan(plan, environment);
        List<ComponentRun> runs = new ArrayList<>();
        if (environment == null) {
            partials.forEach(p -> runs.add(p.finish(null)));
        } else {
            List<Partial> ready = partials.stream().filter(Partial::deployable).toList();
            ComponentSteps.Approval approval = approval(plan, environment, givenApproval, ready, notes);
            for (Partial partial : partials) {
                if (!partial.deployable()) {
                    runs.add(partial.finish(StageResult.notRun("deploy", "an earlier stage did not pass")));
                } else if (approval == null) {
                    runs.add(partial.finish(StageResult.failed("deploy", 0, "production needs approval from "
                            + describeSubmitters(environment) + "; none was given (use --approved-by or answer the prompt)",
                            ExitCode.GATE_REFUSED)));
                } else {
                    runs.add(partial.finish(timed("deploy", partial.component,
                            () -> steps.promote(partial.component, partial.image, environment, approval))));
                }
            }
        }
        ExitCode code = runs.stream().flatMap(r -> r.stages().stream()).map(StageResult::exitCode)
                .min((a, b) -> SEVERITY.indexOf(a) - SEVERITY.indexOf(b)).orElse(ExitCode.OK);
        return new RunResult(plan.branch(), plan.environment(), runs, notes, code);
    }

    private List<Partial> buildAndScan(Plan plan, Environment environment) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, plan.components().size()));
        try {
            List<Future<Partial>> futures = new ArrayList<>();
            for (Plan.PlannedComponent planned : plan.components()) {
                futures.add(pool.submit(() -> buildAndScan(planned.name(), environment)));
            }
            List<Partial> partials = new ArrayList<>();
            for (Future<Partial> future : futures) {
                partials.add(future.get());
            }
            return partials;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a component step crashed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Partial buildAndScan(String component, Environment environment) {
        progress.accept(component + ": test and build");
        Instant start = clock.instant();
        ComponentSteps.BuildStep build = steps.build(component);
        build.stages().forEach(s -> report(component, s));
        List<StageResult> stages = new ArrayList<>(build.stages());
        if (build.stages().stream().anyMatch(s -> s.status().blocks()) || build.image() == null) {
            stages.add(StageResult.notRun("scan", "the image was not built"));
            return new Partial(component, stages, build.image());
        }
        stages.add(timed("scan", component, () -> steps.scan(component, build.image(), environment)));
        progress.accept(component + ": done in " + seconds(Duration.between(start, clock.instant())));
        return new Partial(component, stages, build.image());
    }

    private ComponentSteps.Approval approval(Plan plan, Environment environment, ComponentSteps.Approval given,
            List<Partial> ready, List<String> notes) {
        // the plan's approval, the one korea plan shows the Jenkins steps
        if (!plan.approval().required()) {
            return new ComponentSteps.Approval(null, null);
        }
        if (ready.isEmpty()) {
            return new ComponentSteps.Approval(null, null); // nothing to deploy: nothing to approve
        }
        if (given != null && given.approver() != null && !given.approver().isBlank()) {
            notes.add(environment.name() + " approved by " + given.approver() + " (" + given.source() + ")");
            return given;
        }
        List<ComponentRun> candidates = ready.stream().map(p -> p.finish(null)).toList();
        Optional<String> approver = prompt.ask(plan, candidates);
        approver.ifPresent(a -> notes.add(environment.name() + " approved by " + a + " at the terminal"));
        return approver.map(a -> new ComponentSteps.Approval(a, "cli")).orElse(null);
    }

    private StageResult timed(String stage, String component, java.util.function.Supplier<StageResult> work) {
        progress.accept(component + ": " + stage);
        Instant start = clock.instant();
        StageResult result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            ExitCode code = e instanceof com.koreapublicdata.pipeline.KoreaException k ? k.exitCode() : ExitCode.FAILURE;
            result = StageResult.failed(stage, 0, e.getMessage(), code);
        }
        if (result.durationSeconds() == 0 && result.status() != StageResult.Status.NOT_RUN
                && result.status() != StageResult.Status.SKIPPED) {
            double took = Duration.between(start, clock.instant()).toMillis() / 1000.0;
            result = new StageResult(result.stage(), result.status(), took, result.detail(), result.exitCode());
        }
        report(component, result);
        return result;
    }

    private void report(String component, StageResult stage) {
        progress.accept(component + ": " + stage.stage() + " " + stage.status().label()
                + (stage.durationSeconds() > 0 ? " in " + String.format(java.util.Locale.ROOT, "%.1fs", stage.durationSeconds()) : "")
                + (stage.detail() == null || stage.detail().isBlank() ? "" : " (" + stage.detail() + ")"));
    }

    private static String describeSubmitters(Environment environment) {
        return environment.approval().submitters().isEmpty() ? "a person" : String.join(", ", environment.approval().submitters());
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** A component after test, build and scan, before deploy. */
    private record Partial(String component, List<StageResult> stages, ComponentSteps.BuiltImage image) {
        boolean deployable() {
            return image != null && stages.stream().noneMatch(s -> s.status().blocks() || s.status() == StageResult.Status.NOT_RUN);
        }

        ComponentRun finish(StageResult deploy) {
            List<StageResult> all = new ArrayList<>(stages);
            if (deploy != null) {
                all.add(deploy);
            }
            return new ComponentRun(component, all, image == null ? null : image.reference(), image == null ? null : image.digest());
        }
    }
}
