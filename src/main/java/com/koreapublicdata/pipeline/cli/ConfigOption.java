package com.koreapublicdata.pipeline.cli;

import java.nio.file.Path;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

import picocli.CommandLine.Option;

/** The --config option every command that reads korea.yaml shares. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "korea.yaml",
            description = "korea.yaml to read (default: ${DEFAULT-VALUE}).")
    Path config;

    /** Loads and validates the file; invalid files end the command with exit 2 and every problem listed. */
    public ConfigFile load(CliContext context) {
        return new ConfigLoader().load(context.workDir().resolve(config));
    }

    public Path path(CliContext context) {
        return context.workDir().resolve(config).toAbsolutePath().normalize();
    }
}
