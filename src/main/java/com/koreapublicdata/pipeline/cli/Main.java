package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code korea} command. {@link #run} is the testable entry point; only {@link #main} exits the JVM.
 */
@Command(name = "korea",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        header = "korea-pipeline: test, build, scan, promote and roll back, one company's delivery flow as code.",
        description = "The engine behind the koreaBuild, koreaScan, koreaPromote, koreaRollback, koreaNotify and "
                + "koreaPipeline Jenkins steps. The same commands run in GitHub Actions and on a laptop.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected failure (a tool, the network or a bug)",
            "2:usage error or invalid input (bad option, invalid korea.yaml, unreadable report)",
            "10:a policy gate refused (scan findings, missing approval, unscanned image)",
            "11:another promotion holds the lock",
            "20:the deployment failed and was rolled back",
            "21:the deployment failed and the rollback failed too"
        })
public final class Main implements Runnable {
    /**
     * The subcommands, in help order. They are wired per run (see {@link #commandsFor}), not in {@code @Command}:
     * picocli reflects over every registered command at start, which loads the result types of all of them.
     */
    private static final List<Class<?>> COMMANDS = List.of(
            ValidateCommand.class,
            PlanCommand.class,
            BuildCommand.class,
            ScanCommand.class,
            PromoteCommand.class,
            ApprovalCommand.class,
            RolloutCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            HistoryCommand.class,
            AnalyzeCommand.class,
            NotifyCommand.class,
            KpiCommand.class,
            RunCommand.class,
            SchemaCommand.class,
            ReferenceCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(out, err, System.getenv(), Path.of("").toAbsolutePath(),
                Clock.systemUTC(), System.console() != null);
        System.exit(run(context, args));
    }

    /** Runs one command line and returns its exit code; never exits the JVM. */
    public static int run(CliContext context, String... args) {
        Factory factory = new Factory(context);
        CommandLine cli = new CommandLine(new Main(), factory);
        for (Class<?> command : commandsFor(args)) {
            try {
                cli.addSubcommand(factory.create(command));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create " + command.getName(), e);
            }
        }
        everyCommandHasHelpAndExitCodes(cli);
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(
                context.interactive() && !context.env().containsKey("NO_COLOR")
                        ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(context, e));
        cli.setParameterExceptionHandler((e, ignored) -> {
            context.err().println("korea: " + e.getMessage());
            CommandLine failed = e.getCommandLine();
            context.err().println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            context.err().flush();
            if (failed.getCommandSpec().userObject() instanceof ResultCommand command) {
                try {
                    command.usageError(java.util.List.of(args), e.getMessage());
                } catch (RuntimeException unwritable) {
                    context.err().println("korea: the result was not written: " + unwritable.getMessage());
                }
            }
            return ExitCode.USAGE.code();
        });
        int code = cli.execute(args);
        context.out().flush();
        context.err().flush();
        return code;
    }

    /**
     * Only the command being run, when the first argument names one; every command otherwise (help, the reference,
     * a mistyped name picocli suggests a fix for), so {@code korea version} does not wire {@code korea promote}.
     */
    static List<Class<?>> commandsFor(String... args) {
        if (args.length > 0 && !args[0].equals("help") && !args[0].equals("reference")) {
            for (Class<?> command : COMMANDS) {
                if (nameOf(command).equals(args[0])) {
                    return List.of(command);
                }
            }
        }
        return COMMANDS;
    }

    /**
     * A command's name from its class ({@code PlanCommand}: plan), without reading its {@code @Command}: parsing the
     * annotations of every command to find one cost {@code korea version} a tenth of its start. LazyWiringTest
     * holds each class to its annotation's name.
     */
    static String nameOf(Class<?> command) {
        String simple = command.getSimpleName();
        return simple.substring(0, simple.length() - "Command".length()).toLowerCase(Locale.ROOT);
    }

    /**
     * Gives every subcommand -h/--help and the exit-code list, in one place (picocli's inherited standard options
     * would also bring -V/--version, which {@code korea notify --version V} needs for the deployed version).
     */
    private static void everyCommandHasHelpAndExitCodes(CommandLine root) {
        CommandSpec rootSpec = root.getCommandSpec();
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            if (spec.usageMessage().exitCodeList().isEmpty()) {
                spec.usageMessage().exitCodeListHeading(rootSpec.usageMessage().exitCodeListHeading());
                spec.usageMessage().exitCodeList(rootSpec.usageMessage().exitCodeList());
            }
            everyCommandHasHelpAndExitCodes(sub);
        }
    }

    /** The one place where exceptions become exit codes. */
    private static int report(CliContext context, Exception e) {
        if (e instanceof KoreaException k) {
            context.err().println("korea: " + k.getMessage());
            context.err().flush();
            return k.exitCode().code();
        }
        context.err().println("korea: unexpected failure: " + e);
        if (context.env().containsKey("KOREA_DEBUG")) {
            e.printStackTrace(context.err());
        } else {
            context.err().println("(set KOREA_DEBUG=1 for the stack trace)");
        }
        context.err().flush();
        return ExitCode.FAILURE.code();
    }

    /** Gives each command that asks for one (a constructor taking {@link CliContext}) the context. */
    private record Factory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> constructor : cls.getDeclaredConstructors()) {
                Class<?>[] types = constructor.getParameterTypes();
                if (types.length == 1 && types[0] == CliContext.class) {
                    constructor.setAccessible(true);
                    return cls.cast(constructor.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
