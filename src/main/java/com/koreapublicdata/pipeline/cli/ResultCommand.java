package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigException;

import picocli.CommandLine.Mixin;

/**
 * The base of every command with a result: it owns {@code --output} and the exit code, and writes the JSON result
 * on every exit. A failure that ends the command before it has its own result (invalid korea.yaml, a missing kube
 * context, a held lock, a failed pre-deploy check) becomes {@code {outcome, changed:false, exitCode, message}} plus
 * {@code holder} (exit 11), {@code problems} (invalid korea.yaml) and the command's own identifying fields, so a
 * Jenkins step always has an outcome to read and never an exit code or a message text to interpret.
 */
abstract class ResultCommand implements Callable<Integer> {
    protected final CliContext context;

    @Mixin
    OutputOptions output;

    protected ResultCommand(CliContext context) {
        this.context = context;
    }

    /** Whether the chosen format is JSON. */
    protected abstract boolean json();

    /** Runs the command; a {@link KoreaException} ends it with a failure result. */
    protected abstract Result execute();

    /** What the command was about (component, environment, ...), repeated in a failure result; nulls are left out. */
    protected Map<String, Object> subject() {
        return Map.of();
    }

    @Override
    public final Integer call() {
        Result result;
        try {
            result = execute();
        } catch (KoreaException e) {
            context.err().println("korea: " + e.getMessage());
            context.err().flush();
            result = failure(e);
        } catch (RuntimeException e) {
            // a bug or an unreadable file: the result still says failed, then Main reports it (stack with KOREA_DEBUG)
            Result failed = failure(new KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE,
                    "unexpected failure: " + e.getMessage(), e));
            if (failed.printer() != null) {
                output.emit(context, failed.printer());
            }
            throw e;
        }
        if (result.printer() != null) {
            output.emit(context, result.printer());
        }
        return result.exitCode().code();
    }

    /**
     * A usage error stops picocli before it reaches --format and --output (the Jenkins steps put them last), so they are
     * read from the raw arguments here: the step still finds an invalid-input result instead of no file at all.
     */
    final void usageError(List<String> args, String message) {
        String format = null;
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--format") && i + 1 < args.size()) {
                format = args.get(++i);
            } else if (arg.startsWith("--format=")) {
                format = arg.substring("--format=".length());
            } else if (arg.equals("--output") && i + 1 < args.size()) {
                file = args.get(++i);
            } else if (arg.startsWith("--output=")) {
                file = arg.substring("--output=".length());
            }
        }
        if (!"json".equals(format)) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        subject().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        out.putAll(failureFields(KoreaException.invalidInput(message)));
        if (file != null) {
            output.output = java.nio.file.Path.of(file);
        }
        output.emit(context, w -> Json.write(w, out));
    }

    private Result failure(KoreaException e) {
        if (!json()) {
            return new Result(e.exitCode(), null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        subject().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        out.putAll(failureFields(e));
        return new Result(e.exitCode(), w -> Json.write(w, out));
    }

    /**
     * The contract's fields for a command that only reads (plan, status, history, kpi, analyze, notify, validate):
     * it never changes a workload, an overlay or a registry.
     */
    static Map<String, Object> contract(Outcome outcome, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", outcome);
        out.put("changed", false);
        out.put("exitCode", outcome.exitCode().code());
        out.put("message", message);
        return out;
    }

    /** The failure fields of the command contract. */
    static Map<String, Object> failureFields(KoreaException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        Outcome outcome = e.outcome();
        out.put("outcome", outcome);
        out.put("changed", false);
        out.put("exitCode", e.exitCode().code());
        out.put("message", e instanceof ConfigException c && c.problems().size() > 0
                ? c.problems().size() + " problem(s) in " + c.problems().get(0).file() + "; first: " + c.problems().get(0)
                : e.getMessage());
        if (e.holder() != null) {
            out.put("holder", e.holder());
        }
        if (e instanceof ConfigException c) {
            out.put("problems", problems(c.problems()));
        }
        return out;
    }

    static List<Map<String, Object>> problems(List<com.koreapublicdata.pipeline.config.ConfigProblem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.file().toString());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("path", p.field());
            m.put("message", p.message());
            return m;
        }).toList();
    }

    /** A result rendered as JSON or as text, whichever the format asks for. */
    protected Result result(ExitCode exitCode, Object jsonValue, Consumer<PrintWriter> text) {
        return new Result(exitCode, json() ? w -> Json.write(w, jsonValue) : text);
    }

    /**
     * What a command produced.
     *
     * @param exitCode the exit code
     * @param printer  writes the result to standard output or --output; null when nothing is printed
     */
    record Result(ExitCode exitCode, Consumer<PrintWriter> printer) {
    }
}
