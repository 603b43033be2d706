package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the CLI in-process with captured output, the way picocli's testing guide suggests. */
record CliRun(int exitCode, String out, String err) {

    static final Path PROJECT = Path.of(System.getProperty("korea.project.dir", ".")).toAbsolutePath();
    static final String EXAMPLE = "examples/monorepo/korea.yaml";

    static CliRun run(String... args) {
        return in(PROJECT, Map.of(), args);
    }

    static CliRun in(Path workDir, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), env, workDir,
                Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC), false);
        int code = Main.run(context, args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
