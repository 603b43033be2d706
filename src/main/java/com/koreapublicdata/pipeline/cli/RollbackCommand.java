package com.koreapublicdata.pipeline.cli;


import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.deploy.RollbackRequest;
import com.koreapublicdata.pipeline.deploy.RollbackResult;
import com.koreapublicdata.pipeline.deploy.Rollbacker;
import com.koreapublicdata.pipeline.deploy.WaveRollbackResult;
import com.koreapublicdata.pipeline.deploy.WaveRollbacker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", header = "Roll a component back to its previous (or a given) revision.",
        description = {"Deployments follow kubectl rollout undo: the ReplicaSets the Deployment controls, ranked by "
                + "deployment.kubernetes.io/revision; the previous one by default. A paused Deployment, no earlier revision "
                + "or an unknown --to-revision is refused. Rollouts follow kubectl argo rollouts undo.",
                "Waits for the rollout, verifies health and appends a record. Exit 0 rolled back (or skipped: already at "
                + "that revision), 2 bad revision or nothing to roll back to, 21 the rollback did not become healthy."},
        footerHeading = "%nExamples:%n",
        footer = {"  korea rollback --component backend --environment production",
                "  korea rollback --component frontend --environment staging --to-revision 3 --reason 'bad banner' --format json"})
final class RollbackCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component in korea.yaml.")
    String component;

    @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment in korea.yaml.")
    String environment;

    @Option(names = "--to-revision", paramLabel = "N", defaultValue = "0",
            description = "Revision to go back to (default 0: the previous one).")
    long toRevision;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record and the notification.")
    String reason;

    @Option(names = "--requested-by", paramLabel = "USER", description = "Who asked for it, for the record; must be in the environment's team when it has one (environments.E.team).")
    String requestedBy;

    @Option(names = "--build-url", paramLabel = "URL", description = "The CI build doing it (lock holder).")
    String buildUrl;

    @Option(names = "--cluster", paramLabel = "CONTEXT",
            description = "Environments with waves: roll back only this cluster (kube context) instead of every cluster of "
                    + "the last promotion.")
    String cluster;

    RollbackCommand(CliContext context) {
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
        if (cluster != null || file.config().environment(environment).map(e -> e.hasWaves()).orElse(false)) {
            WaveRollbackResult waves = new WaveRollbacker(file.config(), DeployWiring.services(context, file)).rollback(
                    new RollbackRequest(component, environment, toRevision, reason, requestedBy, buildUrl), cluster);
            return result(waves.exitCode(), waves, out -> {
                out.println(waves.component() + " in " + waves.environment() + ": " + waves.outcome());
                waves.clusters().forEach(c -> out.println("  " + c.cluster() + " (wave " + c.wave() + "): " + c.outcome()
                        + (c.revision() == null ? "" : " (revision " + c.revision() + ")") + " " + c.message()));
                out.println("  " + waves.message());
            });
        }
        RollbackResult result = new Rollbacker(file.config(), DeployWiring.services(context, file)).rollback(
                new RollbackRequest(component, environment, toRevision, reason, requestedBy, buildUrl));
        return result(result.exitCode(), result, out -> {
            {
                out.println(result.component() + " in " + result.environment() + ": " + result.outcome() + " (revision "
                        + result.fromRevision() + " -> " + result.toRevision() + ")");
                out.println("  image: " + result.image());
                out.println("  " + result.message());
            }
        });
    }
}
