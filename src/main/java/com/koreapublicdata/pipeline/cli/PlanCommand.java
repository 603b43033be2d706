package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.plan.GitChanges;
import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.plan.PlanRequest;
import com.koreapublicdata.pipeline.plan.Planner;
import com.koreapublicdata.pipeline.control.Outlook;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", header = "Show what a push to a branch would test, build, scan and deploy.",
        description = {"Picks the environment from the branch, the affected components from the changed files (from "
                + "--changed, or from git between --base and HEAD; with neither, every component), each component's "
                + "strategy there, the stages, and whether approval is needed.",
                "A change to korea.yaml itself affects every component."},
        footerHeading = "%nExamples:%n",
        footer = {"  korea plan --config examples/monorepo/korea.yaml --branch main --changed be/app.py --format json",
                "  korea plan --branch develop --base origin/develop"})
final class PlanCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch being built (default: the checked-out branch).")
    String branch;

    @Option(names = "--changed", paramLabel = "PATH",
            description = "A changed file, relative to korea.yaml's folder or to the current directory; repeatable.")
    List<String> changed;

    @Option(names = "--base", paramLabel = "REV", description = "Take the changed files from git, between REV and HEAD.")
    String base;

    @Option(names = "--commit", paramLabel = "SHA", description = "Commit being built (default: git HEAD).")
    String commit;

    PlanCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("branch", branch);
        return m;
    }

    @Override
    protected Result execute() {
        ConfigFile file = config.load(context);
        GitChanges git = new GitChanges(file.baseDir());
        String theBranch = branch != null ? branch : git.currentBranch().orElseThrow(() -> KoreaException.invalidInput(
                "--branch is required: the checkout has no current branch"));
        List<String> changes = changedFiles(context, file, git, changed, base);
        String theCommit = commit != null ? commit : git.headCommit().orElse(null);
        Plan plan = new Planner().plan(file.config(),
                new PlanRequest(theBranch, changes, theCommit, file.baseDir().relativize(file.path()).toString()));
        Outlook outlook = plan.environment() == null ? null : DeployWiring.changeControl(context, file)
                .outlook(plan.environment(), plan.components().stream().map(Plan.PlannedComponent::name).toList());
        // the plan's own fields, then change control's view (freeze, promoteFrom candidates)
        Map<String, Object> json = Json.fields(plan);
        json.put("changeControl", outlook);
        // who may promote a paused rollout there (and roll back, deploy by hand): the steps' input submitter
        json.put("team", plan.environment() == null ? List.of() : file.config().environments().get(plan.environment()).team());
        if (plan.approval().required()) {
            // the requester of a push is its commit author: Jenkins passes it, change control refuses them
            json.put("commitAuthor", git.authorOf(theCommit).orElse(null));
        }
        json.putAll(contract(Outcome.PASSED, plan.reason()));
        return result(ExitCode.OK, json, out -> {
            printText(out, plan);
            printOutlook(out, outlook);
        });
    }

    /** The change list: --changed paths (made relative to korea.yaml), git's between --base and HEAD, or null. */
    static List<String> changedFiles(CliContext context, ConfigFile file, GitChanges git, List<String> changed, String base) {
        if (changed != null && base != null) {
            throw KoreaException.invalidInput("--changed and --base exclude each other: give the files, or the revision to diff against");
        }
        if (base != null) {
            return git.changedSince(base);
        }
        if (changed == null) {
            return null;
        }
        List<String> relative = new ArrayList<>();
        for (String path : changed) {
            relative.add(relativeToConfig(context, file, path));
        }
        return relative;
    }

    /** A path under korea.yaml's folder (as seen from here) is made relative to it; others are taken as written. */
    private static String relativeToConfig(CliContext context, ConfigFile file, String path) {
        Path absolute = context.workDir().resolve(path).toAbsolutePath().normalize();
        if (absolute.startsWith(file.baseDir())) {
            return file.baseDir().relativize(absolute).toString().replace('\\', '/');
        }
        return path.replace('\\', '/');
    }

    private static void printText(PrintWriter out, Plan plan) {
        out.println("Plan for branch " + plan.branch() + (plan.commit() == null ? "" : " @ " + shortSha(plan.commit())));
        out.println("  environment: " + (plan.environment() == null ? "none (no deploy)" : plan.environment()));
        if (plan.components().isEmpty()) {
            out.println("  components:  none affected");
        }
        for (Plan.PlannedComponent c : plan.components()) {
            out.println("  component:   " + c.name() + " (" + c.kind() + ")"
                    + (c.strategy() == null ? "" : " -> " + c.strategy().id() + " via " + c.target() + " in " + c.namespace()));
        }
        if (plan.approval().required()) {
            out.println("  approval:    required" + (plan.approval().submitters().isEmpty() ? ""
                    : " from " + String.join(", ", plan.approval().submitters())));
        }
        out.println("  stages:      " + (plan.stages().isEmpty() ? "none" : String.join(" -> ", plan.stages())));
        if (plan.policy() != null && !plan.components().isEmpty()) {
            out.println("  scan:        " + plan.policy().scan().policy().id() + " ("
                    + String.join(", ", plan.policy().scan().tools()) + ")"
                    + (plan.policy().scan().requiredToDeploy() ? "; deploy needs a passing scan" : ""));
        }
        out.println("  why:         " + plan.reason());
    }

    static void printOutlook(PrintWriter out, Outlook o) {
        if (o == null) {
            return;
        }
        if (o.frozen() != null) {
            out.println("  freeze:      frozen until " + o.frozen().until() + " (" + o.frozen().window() + ")");
        } else if (o.nextFreeze() != null) {
            out.println("  freeze:      none now; next " + o.nextFreeze().start() + " until " + o.nextFreeze().until()
                    + " (" + o.nextFreeze().window() + ")");
        }
        for (Outlook.Candidate c : o.candidates()) {
            out.println("  from " + o.promoteFrom() + ": " + c.component() + " " + (c.digest() == null
                    ? "nothing verified there yet" : c.digest() + " (deployed " + c.deployedAt() + (c.soaked() ? ""
                    : "; soaking, minSoak " + o.minSoak()) + ")"));
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
