package com.koreapublicdata.pipeline.cli;

import picocli.CommandLine.Option;

/** A {@link ResultCommand} with the common {@code --format text|json}. */
abstract class JsonCommand extends ResultCommand {

    @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
    OutputFormat format;

    protected JsonCommand(CliContext context) {
        super(context);
    }

    @Override
    protected boolean json() {
        return format == OutputFormat.json;
    }
}
