package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.build.BuildRequest;
import com.koreapublicdata.pipeline.build.BuildResult;
import com.koreapublicdata.pipeline.build.ComponentBuilder;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.plan.GitChanges;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build", header = "Test a component, audit its dependencies, build its image and record the digest.",
        description = {"Runs the component's test (and e2e) commands in its directory (defaults by kind when none are "
                + "given), collects JUnit XML into <stateDir>/reports/<component>/, runs the dependency audits "
                + "(npm audit; bandit, pip-audit or safety), then builds the image with docker, podman, buildah or "
                + "kaniko when one works, else with the daemonless jib builder (an OCI tarball in <stateDir>/images/).",
                "The image digest is written to <stateDir>/builds/<component>/<digest>.json and latest.json, so "
                + "scan and promote use the same image. Output is streamed to standard error with a "
                + "[component stage] prefix. See docs/build.md.",
                "Exit 0 built, 1 a command or the image build failed (the command is named), 10 an audit gate refused."},
        footerHeading = "%nExamples:%n",
        footer = {"  korea build --config examples/monorepo/korea.yaml --component frontend --branch develop --commit 3f9c2ab",
                "  korea build --component backend --version 1.4.2 --format json --output build-backend.json"})
final class BuildCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component to build.")
    String component;

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "Branch being built, for the <branch>-latest tag (default: BRANCH_NAME, else the checked-out branch).")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "Commit being built, for the git-sha tag (default: GIT_COMMIT, else git HEAD).")
    String commit;

    @Option(names = "--version", paramLabel = "VERSION", description = "An extra image tag, e.g. 1.4.2.")
    String version;

    @Option(names = "--skip-tests", description = "Do not run the test and e2e commands.")
    boolean skipTests;

    @Option(names = "--skip-image", description = "Do not build the image (tests and audits only).")
    boolean skipImage;

    BuildCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", component);
        return m;
    }

    @Override
    protected Result execute() {
        ConfigFile file = config.load(context);
        GitChanges git = new GitChanges(file.baseDir());
        String theBranch = branch != null ? branch : context.env().containsKey("BRANCH_NAME")
                ? context.env().get("BRANCH_NAME") : git.currentBranch().orElse(null);
        String theCommit = commit != null ? commit : context.env().containsKey("GIT_COMMIT")
                ? context.env().get("GIT_COMMIT") : git.headCommit().orElse(null);
        ComponentBuilder builder = new ComponentBuilder(file, context.env(), line -> {
            context.err().println(line);
            context.err().flush();
        });
        BuildResult result = builder.build(new BuildRequest(component, theBranch, theCommit, version, skipTests, skipImage));
        if (result.outcome() != com.koreapublicdata.pipeline.Outcome.PASSED) {
            context.err().println("korea: " + result.message());
        }
        return result(result.exitCode(), view(result), out -> printText(out, result));
    }

    /** The documented JSON shape: the image's fields at the top level. */
    private static Map<String, Object> view(BuildResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        BuildResult.ImageResult image = r.image();
        out.put("component", r.component());
        out.put("outcome", r.outcome());
        // a build changes a registry only when it pushed the image
        out.put("changed", image != null && image.pushed());
        out.put("exitCode", r.exitCode().code());
        out.put("image", image == null ? null : image.repository());
        out.put("tags", image == null ? null : image.tags());
        out.put("digest", image == null ? null : image.digest());
        out.put("reference", image == null ? null : image.reference());
        out.put("builder", image == null ? null : image.builder());
        out.put("tarball", image == null ? null : image.tarball());
        out.put("pushed", image != null && image.pushed());
        out.put("warnings", image == null ? java.util.List.of() : image.warnings());
        out.put("skipped", image == null ? java.util.List.of() : image.skipped());
        out.put("builderNotes", image == null ? java.util.List.of() : image.notes());
        out.put("tests", r.tests());
        out.put("audits", r.audits());
        out.put("failedStage", r.failedStage());
        out.put("failedCommand", r.failedCommand());
        out.put("failedExitCode", r.failedExitCode());
        out.put("message", r.message());
        out.put("durationSeconds", r.durationSeconds());
        return out;
    }

    private static void printText(PrintWriter out, BuildResult r) {
        out.println("Build of " + r.component() + ": " + r.outcome().json() + " in " + r.durationSeconds() + "s");
        if (r.tests() != null) {
            for (BuildResult.CommandRun run : r.tests().commands()) {
                out.println("  " + run.stage() + ": " + run.command() + " -> exit " + run.exitCode() + " ("
                        + run.durationSeconds() + "s)");
            }
            if (!r.tests().junitFiles().isEmpty()) {
                out.println("  junit: " + r.tests().junitFiles().size() + " report(s) in " + r.tests().junitDir());
            }
        }
        for (BuildResult.AuditResult audit : r.audits()) {
            out.println("  audit " + audit.auditor() + ": " + audit.status() + (audit.blocking() ? " (BLOCKING)" : "")
                    + " - " + audit.message());
        }
        BuildResult.ImageResult image = r.image();
        if (image != null && image.digest() != null) {
            out.println("  image:   " + image.reference());
            out.println("  tags:    " + String.join(", ", image.tags()));
            out.println("  builder: " + image.builder() + (image.pushed() ? " (pushed)" : ""));
            if (image.tarball() != null) {
                out.println("  tarball: " + image.tarball());
            }
            image.warnings().forEach(w -> out.println("  warning: " + w));
            image.skipped().forEach(s -> out.println("  skipped: " + s));
        }
        if (r.outcome() != com.koreapublicdata.pipeline.Outcome.PASSED) {
            out.println("  " + r.message());
        }
    }
}
