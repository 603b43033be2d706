package com.koreapublicdata.pipeline.cli;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.deploy.Promoter;
import com.koreapublicdata.pipeline.deploy.PromotionRequest;
import com.koreapublicdata.pipeline.deploy.PromotionResult;
import com.koreapublicdata.pipeline.notify.NotificationEvent;
import com.koreapublicdata.pipeline.notify.NotificationEvents;
import com.koreapublicdata.pipeline.notify.Notifier;
import com.koreapublicdata.pipeline.plan.GitChanges;
import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.plan.PlanRequest;
import com.koreapublicdata.pipeline.plan.Planner;
import com.koreapublicdata.pipeline.run.ComponentRun;
import com.koreapublicdata.pipeline.run.ComponentSteps;
import com.koreapublicdata.pipeline.run.EngineSteps;
import com.koreapublicdata.pipeline.run.RunResult;
import com.koreapublicdata.pipeline.run.Runner;
import com.koreapublicdata.pipeline.run.StageResult;
import com.koreapublicdata.pipeline.run.SummaryTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", header = "Run the whole pipeline for this checkout: plan, test, build, scan, approve, deploy.",
        description = {"Plans from the branch and the changed files, then per affected component (in parallel) runs the "
                + "tests, builds the image and scans it, and promotes every component that passed to the branch's "
                + "environment. Production asks for approval at the terminal, or takes --approved-by.",
                "Progress goes to standard error; a summary table (or the JSON result) to standard output. A component "
                + "that fails stops at that stage; the others go on. The exit code is the most serious outcome."},
        footerHeading = "%nExamples:%n",
        footer = {"  korea run --config examples/monorepo/korea.yaml --branch develop",
                "  korea run --branch main --base origin/main --approved-by alice --format json --output run.json"})
final class RunCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch being built (default: the checked-out branch).")
    String branch;

    @Option(names = "--changed", paramLabel = "PATH", description = "A changed file (as for korea plan); repeatable.")
    List<String> changed;

    @Option(names = "--base", paramLabel = "REV", description = "Take the changed files from git, between REV and HEAD.")
    String base;

    @Option(names = "--commit", paramLabel = "SHA", description = "Commit being built (default: git HEAD).")
    String commit;

    @Option(names = "--version", paramLabel = "LABEL", description = "An extra image tag, e.g. 1.4.2.")
    String version;

    @Option(names = "--approved-by", paramLabel = "USER", description = "Who approved, for environments that need approval.")
    String approvedBy;

    @Option(names = "--approval-source", paramLabel = "SOURCE", defaultValue = "cli",
            description = "How approval was given: jenkins-input, github-environment or cli (default).")
    String approvalSource;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Components tested and built at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    RunCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Result execute() {
        if (parallel < 1) {
            throw KoreaException.invalidInput("--parallel " + parallel + ": must be at least 1");
        }
        ConfigFile file = config.load(context);
        GitChanges git = new GitChanges(file.baseDir());
        String theBranch = branch != null ? branch : git.currentBranch().orElseThrow(() -> KoreaException.invalidInput(
                "--branch is required: the checkout has no current branch"));
        String theCommit = commit != null ? commit : git.headCommit().orElse(null);
        List<String> changes = PlanCommand.changedFiles(context, file, git, changed, base);
        Plan plan = new Planner().plan(file.config(),
                new PlanRequest(theBranch, changes, theCommit, file.baseDir().relativize(file.path()).toString()));

        java.util.function.Consumer<String> progress = line -> {
            synchronized (context.err()) {
                context.err().println("korea: " + line);
                context.err().flush();
            }
        };
        String buildUrl = context.env().get("BUILD_URL");
        if (file.config().notifications().enabled() && !new Notifier(file, context.env(), w -> { }).configured()) {
            progress.accept("Slack notifications are off: set KOREA_SLACK_TOKEN or KOREA_SLACK_WEBHOOK_URL to send them");
        }
        java.time.Instant commitTime = git.commitTime(theCommit).orElse(null);
        EngineSteps steps = new EngineSteps(file, context.env(), context.workDir(), context.clock(), progress, theBranch,
                theCommit, version, (component, image, environment, approval) -> {
                    if (environment.hasWaves()) {
                        var waves = new com.koreapublicdata.pipeline.deploy.WavePromoter(file.config(),
                                DeployWiring.services(context, file, buildUrl)).promote(new PromotionRequest(component,
                                        environment.name(), image.reference(), approval.approver(), approval.source(), buildUrl,
                                        null, false, version, theCommit));
                        return waves.outcome() == com.koreapublicdata.pipeline.Outcome.DEPLOYED
                                ? StageResult.passed("deploy", waves.durationSeconds(), waves.message())
                                : StageResult.failed("deploy", waves.durationSeconds(), waves.message(), waves.exitCode());
                    }
                    PromotionResult result = new Promoter(file.config(), DeployWiring.services(context, file, buildUrl))
                            .promote(new PromotionRequest(component, environment.name(), image.reference(),
                                    approval.approver(), approval.source(), buildUrl, null, false, version, theCommit)
                                    .withCommitTime(commitTime));
                    String detail = result.message() + (result.revision() == null ? "" : " (" + result.revision() + ")");
                    return switch (result.outcome()) {
                        case DEPLOYED -> StageResult.passed("deploy", result.durationSeconds(), detail);
                        case AWAITING_PROMOTION -> new StageResult("deploy", StageResult.Status.AWAITING,
                                result.durationSeconds(), detail, result.exitCode());
                        default -> StageResult.failed("deploy", result.durationSeconds(), detail, result.exitCode());
                    };
                }, plan.policy());
        RunResult result = new Runner(file.config(), steps, this::askForApproval, progress, context.clock(), parallel)
                .run(plan, new ComponentSteps.Approval(approvedBy, approvedBy == null ? null : approvalSource));
        notifyStages(file, result, buildUrl, progress);
        return result(result.exitCode(), result, out -> new SummaryTable(output.color(context)).print(out, result));
    }

    /**
     * Slack for the test, build and scan stages, by the mapping korea notify --result uses (a refused scan:
     * scan-failed, a failed build: failed); deploys report themselves through the deploy listener.
     */
    private void notifyStages(ConfigFile file, RunResult result, String buildUrl, java.util.function.Consumer<String> progress) {
        Notifier notifier = new Notifier(file, context.env(), w -> progress.accept("warning: " + w));
        if (!notifier.configured()) {
            return;
        }
        for (ComponentRun run : result.components()) {
            for (StageResult stage : run.stages()) {
                if (stage.stage().equals("deploy")) {
                    continue;
                }
                NotificationEvents.Source source = stage.stage().equals("scan") ? NotificationEvents.Source.SCAN
                        : NotificationEvents.Source.BUILD;
                NotificationEvents.forResult(source, stage.outcome()).ifPresent(kind -> notifier.send(
                        NotificationEvent.builder(kind).environment(result.environment()).component(run.component())
                                .version(run.image()).digest(run.digest()).reason(stage.stage() + ": " + stage.detail())
                                .buildUrl(buildUrl).build()));
            }
        }
    }

    /** Asks at the terminal; without one (CI, pipes) there is nobody to ask, and the deploy is refused. */
    private Optional<String> askForApproval(Plan plan, List<ComponentRun> ready) {
        Console console = System.console();
        if (!context.interactive() || console == null) {
            return Optional.empty();
        }
        List<String> what = new ArrayList<>();
        ready.forEach(c -> what.add(c.component() + " " + c.digest()));
        String line = console.readLine("%nDeploy to %s: %s%nApproval needed from %s. Type your user name to approve, or "
                + "press Enter to refuse: ", plan.environment(), String.join(", ", what),
                plan.approval().submitters().isEmpty() ? "a person" : String.join(", ", plan.approval().submitters()));
        return line == null || line.isBlank() ? Optional.empty() : Optional.of(line.trim());
    }
}
