package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.Outcome;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.ConfigProblem;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", header = "Check korea.yaml and list every problem.",
        description = "Reports unknown keys (with a suggestion), wrong types, missing keys and dangling references, "
                + "each with file, line, column and field path. Exit 0 when valid, 2 when not.",
        footerHeading = "%nExample:%n", footer = "  korea validate --config examples/monorepo/korea.yaml")
final class ValidateCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    ValidateCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Result execute() {
        List<ConfigProblem> problems = new ConfigLoader().problems(config.path(context));
        Outcome outcome = problems.isEmpty() ? Outcome.PASSED : Outcome.INVALID_INPUT;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("valid", problems.isEmpty());
        json.put("file", config.path(context).toString());
        if (problems.isEmpty()) {
            // each environment's team (environments.E.team, [] for anyone): koreaRollback's input submitter
            Map<String, List<String>> teams = new LinkedHashMap<>();
            config.load(context).config().environments().forEach((name, env) -> teams.put(name, env.team()));
            json.put("teams", teams);
        }
        json.putAll(contract(outcome, problems.isEmpty() ? config.path(context) + ": valid"
                : problems.size() + " problem(s) in " + config.path(context) + "; first: " + problems.get(0)));
        // the contract's problem fields (file, path), and field as validate always wrote it
        json.put("problems", problems.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>(problems(List.of(p)).get(0));
            m.put("field", p.field());
            return m;
        }).toList());
        return result(outcome.exitCode(), json, out -> {
            if (problems.isEmpty()) {
                out.println(config.path(context) + ": valid");
            } else {
                problems.forEach(out::println);
            }
        });
    }
}
