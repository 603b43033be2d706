package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

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
final class ValidateCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
    OutputFormat format;

    @Mixin
    OutputOptions output;

    ValidateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ConfigProblem> problems = new ConfigLoader().problems(config.path(context));
        output.emit(context, out -> {
            if (format == OutputFormat.json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("valid", problems.isEmpty());
                result.put("file", config.path(context).toString());
                result.put("problems", problems.stream().map(p -> Map.of("line", p.line(), "column", p.column(),
                        "field", p.field(), "message", p.message())).toList());
                Json.write(out, result);
            } else if (problems.isEmpty()) {
                out.println(config.path(context) + ": valid");
            } else {
                problems.forEach(out::println);
            }
        });
        return problems.isEmpty() ? ExitCode.OK.code() : ExitCode.USAGE.code();
    }
}
