package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.deploy.StatusReader;
import com.koreapublicdata.pipeline.deploy.WorkloadStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", header = "Show what runs where, its health, and who approved it.",
        description = "Reads each workload (Deployment or Rollout) and the annotations korea promote writes on it, plus the "
                + "newest deployment record. A cluster that cannot be reached is reported, not fatal.",
        footerHeading = "%nExamples:%n",
        footer = {"  korea status", "  korea status --environment production --component backend --format json"})
final class StatusCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment.")
    String environment;

    @Option(names = "--component", paramLabel = "NAME", description = "Only this component.")
    String component;

    StatusCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", environment);
        m.put("component", component);
        return m;
    }

    @Override
    protected Result execute() {
        ConfigFile file = config.load(context);
        List<WorkloadStatus> status = new StatusReader(file.config(), DeployWiring.services(context, file))
                .status(environment, component);
        var control = DeployWiring.changeControl(context, file);
        // each workload with its environment's freeze in force and next window (change control)
        java.util.Map<String, com.koreapublicdata.pipeline.control.Outlook> outlooks = new java.util.HashMap<>();
        List<java.util.Map<String, Object>> entries = status.stream().map(s -> {
            var o = outlooks.computeIfAbsent(s.environment(), e -> control.outlook(e, List.of()));
            java.util.Map<String, Object> entry = Json.fields(s);
            entry.put("frozen", o.frozen());
            entry.put("nextFreeze", o.nextFreeze());
            return entry;
        }).toList();
        // on success the documented array of workloads; a failure is the contract's object
        return result(ExitCode.OK, entries, out -> {
            for (WorkloadStatus s : status) {
                out.println(s.environment() + "/" + s.component() + (s.cluster() == null ? "" : " @" + s.cluster()) + ": " + s.health() + " (" + s.strategy() + ", " + s.namespace()
                        + "/" + s.workload() + ")");
                out.println("  image:    " + (s.image() == null ? "-" : s.image()) + (s.version() == null ? "" : "  version " + s.version())
                        + (s.revision() == null ? "" : "  revision " + s.revision()));
                if (s.approver() != null) {
                    out.println("  approved: " + s.approver() + (s.approvalSource() == null ? "" : " via " + s.approvalSource()));
                }
                if (s.deployedAt() != null) {
                    out.println("  deployed: " + s.deployedAt() + (s.build() == null ? "" : " by " + s.build()));
                }
                out.println("  state:    " + s.detail());
                if (s.lastRecord() != null) {
                    out.println("  last:     " + s.lastRecord().kind() + " " + s.lastRecord().outcome() + " at " + s.lastRecord().time());
                }
            }
            for (String env : file.config().environments().keySet()) {
                if (environment == null || environment.equals(env)) {
                    var o = control.outlook(env, List.of());
                    if (o.frozen() != null) {
                        out.println(env + ": frozen until " + o.frozen().until() + " (" + o.frozen().window() + ")");
                    } else if (o.nextFreeze() != null) {
                        out.println(env + ": next freeze " + o.nextFreeze().start() + " until " + o.nextFreeze().until()
                                + " (" + o.nextFreeze().window() + ")");
                    }
                }
            }
        });
    }
}
