package com.koreapublicdata.pipeline.cli;

import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.config.ConfigSchema;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "schema", header = "Print the JSON Schema of korea.yaml (or its Markdown reference).",
        description = "Point your editor's YAML language server at the schema for completion and checks as you type.",
        footerHeading = "%nExamples:%n",
        footer = {"  korea schema --output docs/korea.schema.json", "  korea schema --markdown --output docs/config-reference.md"})
final class SchemaCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--markdown", description = "Print the Markdown reference instead of the JSON Schema.")
    boolean markdown;

    @Mixin
    OutputOptions output;

    SchemaCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ConfigSchema schema = new ConfigSchema();
        output.emit(context, out -> out.print(markdown ? schema.markdownReference() : schema.jsonSchema()));
        return 0;
    }
}
