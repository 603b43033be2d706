package com.koreapublicdata.pipeline.cli;

import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.deploy.PromotionResult;
import com.koreapublicdata.pipeline.deploy.Promoter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollout", header = "Promote or abort a blue-green or canary Rollout that waits for a person.",
        description = "promote continues a paused preview or canary (the Argo Rollouts plugin's status patches) through the "
                + "same approval and scan gates as korea promote, waits for Healthy, runs the post-promotion analysis and "
                + "smoke tests, and rolls back on failure. abort sends traffic back to the stable version.",
        subcommands = {RolloutCommand.Promote.class, RolloutCommand.Abort.class},
        footerHeading = "%nExamples:%n",
        footer = {"  korea rollout promote --component frontend --environment production --approved-by alice",
                "  korea rollout abort --component backend --environment staging --reason 'checkout errors'"})
final class RolloutCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "promote", header = "Promote the paused Rollout of a component.",
            footerHeading = "%nExample:%n", footer = "  korea rollout promote --component frontend --environment staging --format json")
    static final class Promote extends JsonCommand {

        @Mixin
        ConfigOption config;

        @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component in korea.yaml.")
        String component;

        @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment in korea.yaml.")
        String environment;

        @Option(names = "--approved-by", paramLabel = "USER", description = "Who approved (required where approval is).")
        String approvedBy;

        @Option(names = "--approval-source", paramLabel = "SOURCE", description = "jenkins-input, github-environment or cli.")
        String approvalSource;

        @Option(names = "--requested-by", paramLabel = "USER",
                description = "Who promotes it: must be in the environment's team when it has one (environments.E.team).")
        String requestedBy;

        @Option(names = "--build-url", paramLabel = "URL", description = "The CI build doing it (lock holder).")
        String buildUrl;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Overrides the environment's timeout.")
        String timeout;

        Promote(CliContext context) {
            super(context);
        }

        @Override
        protected java.util.Map<String, Object> subject() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("environment", environment);
            m.put("component", component);
            return m;
        }

        @Override
        protected Result execute() {
            ConfigFile file = config.load(context);
            PromotionResult result = new Promoter(file.config(), DeployWiring.services(context, file)).promoteRollout(component,
                    environment, approvedBy, approvalSource, buildUrl, DeployWiring.duration("--timeout", timeout), requestedBy);
            return result(result.exitCode(), result, out -> PromoteCommand.print(out, result));
        }
    }

    @Command(name = "abort", header = "Abort the Rollout of a component: traffic goes back to the stable version.",
            footerHeading = "%nExample:%n", footer = "  korea rollout abort --component backend --environment staging")
    static final class Abort extends JsonCommand {

        @Mixin
        ConfigOption config;

        @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component in korea.yaml.")
        String component;

        @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment in korea.yaml.")
        String environment;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record and the notification.")
        String reason;

        Abort(CliContext context) {
            super(context);
        }

        @Override
        protected java.util.Map<String, Object> subject() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("environment", environment);
            m.put("component", component);
            return m;
        }

        @Override
        protected Result execute() {
            ConfigFile file = config.load(context);
            PromotionResult result = new Promoter(file.config(), DeployWiring.services(context, file)).abortRollout(component,
                    environment, reason);
            return result(result.exitCode(), result, out -> PromoteCommand.print(out, result));
        }
    }
}
