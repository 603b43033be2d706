package com.koreapublicdata.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.KoreaException;

import picocli.CommandLine.Option;

/** Options every result-printing command shares: where the result goes and whether it is coloured. */
public final class OutputOptions {

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the result to FILE instead of standard output (progress still goes to standard error).")
    Path output;

    @Option(names = "--no-color", description = "Never colour the output (colour is also off when not on a terminal or when NO_COLOR is set).")
    boolean noColor;

    /** Whether text output may use ANSI colours. */
    public boolean color(CliContext context) {
        return !noColor && context.interactive() && !context.env().containsKey("NO_COLOR");
    }

    /** Writes the result produced by {@code writer} to --output or to standard output. */
    public void emit(CliContext context, Consumer<PrintWriter> writer) {
        if (output == null) {
            writer.accept(context.out());
            context.out().flush();
            return;
        }
        StringWriter buffer = new StringWriter();
        try (PrintWriter pw = new PrintWriter(buffer)) {
            writer.accept(pw);
        }
        Path target = context.workDir().resolve(output);
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.writeString(target, buffer.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KoreaException.invalidInput("--output " + output + ": cannot write: " + e.getMessage());
        }
    }
}
