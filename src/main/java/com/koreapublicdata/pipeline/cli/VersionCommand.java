package com.koreapublicdata.pipeline.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.Version;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "version", header = "Print the korea version.",
        description = "Prints the engine version; the Jenkins steps check it matches the library.",
        footerHeading = "%nExample:%n", footer = "  korea version --format json")
final class VersionCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
    OutputFormat format;

    @Mixin
    OutputOptions output;

    VersionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("version", Version.current());
        result.put("java", System.getProperty("java.version"));
        output.emit(context, out -> {
            if (format == OutputFormat.json) {
                Json.write(out, result);
            } else {
                out.println("korea " + result.get("version") + " (Java " + result.get("java") + ")");
            }
        });
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"korea " + Version.current()};
        }
    }
}
