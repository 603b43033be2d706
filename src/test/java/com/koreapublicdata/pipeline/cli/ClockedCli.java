package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in-process with a chosen clock (analysis needs real time); public for other packages' tests. */
public record ClockedCli(int exit, String out, String err) {

    public static ClockedCli run(Path workDir, Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), workDir, clock, false);
        int exit = Main.run(context, args);
        return new ClockedCli(exit, out.toString(), err.toString());
    }
}
