package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.deploy.StatusReader;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", header = "Show the last promotions and rollbacks, newest first.",
        description = "From <stateDir>/deployments.jsonl, which korea promote, korea rollout and korea rollback append to.",
        footerHeading = "%nExamples:%n",
        footer = {"  korea history --limit 10", "  korea history --environment production --component backend --format json"})
final class HistoryCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment.")
    String environment;

    @Option(names = "--component", paramLabel = "NAME", description = "Only this component.")
    String component;

    HistoryCommand(CliContext context) {
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
        if (limit < 1) {
            throw KoreaException.invalidInput("--limit " + limit + ": must be at least 1");
        }
        ConfigFile file = config.load(context);
        List<DeploymentRecord> records = new StatusReader(file.config(), DeployWiring.services(context, file))
                .history(environment, component, limit);
        // on success the documented array of records, newest first; a failure is the contract's object
        return result(ExitCode.OK, records, out -> {
            if (records.isEmpty()) {
                out.println("No deployments recorded in " + file.stateDir().resolve("deployments.jsonl"));
            }
            for (DeploymentRecord r : records) {
                out.println(r.time() + "  " + r.environment() + "/" + r.component()
                        + (r.cluster() == null ? "" : " @" + r.cluster() + " (wave " + r.wave() + ")") + "  " + r.kind() + " " + r.outcome() + "  "
                        + (r.version() == null ? r.image() : r.version()) + (r.approver() == null ? "" : "  approved by " + r.approvedBecause())
                        + String.format(java.util.Locale.ROOT, "  %.0fs", r.durationSeconds())
                        + (r.activeSeconds() == null ? "" : String.format(java.util.Locale.ROOT,
                                " (active %.0fs, paused %.0fs, approval %.0fs)", r.activeSeconds(),
                                r.pausedSeconds() == null ? 0 : r.pausedSeconds(),
                                r.approvalSeconds() == null ? 0 : r.approvalSeconds())));
                if (r.message() != null && r.outcome() != com.koreapublicdata.pipeline.Outcome.DEPLOYED) {
                    out.println("    " + r.message());
                }
                if (r.breakGlass() != null && r.outcome() == com.koreapublicdata.pipeline.Outcome.DEPLOYED) {
                    out.println("    " + r.breakGlass());
                }
            }
        });
    }
}
