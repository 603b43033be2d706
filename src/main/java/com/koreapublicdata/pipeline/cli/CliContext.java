package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of the outside world. Tests build one with captured writers, a fixed
 * environment and clock; {@link Main#main} builds the real one.
 *
 * @param out    standard output: results
 * @param err    standard error: progress, warnings, errors
 * @param env    environment variables (credentials such as KOREA_SLACK_TOKEN are read from here only)
 * @param workDir the directory relative paths are resolved against
 * @param clock  the time source
 * @param interactive whether a person is at a terminal (prompts, colour)
 */
public record CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, Path workDir, Clock clock,
        boolean interactive) {

    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }
}
