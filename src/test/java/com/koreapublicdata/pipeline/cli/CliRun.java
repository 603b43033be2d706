package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in-process with captured output. */
public record CliRun(int exit, String out, String err) {

    public static CliRun run(Path workDir, Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), workDir, clock, false);
        int exit = Main.run(context, args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
