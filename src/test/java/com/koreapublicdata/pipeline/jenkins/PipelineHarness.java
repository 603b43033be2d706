package com.koreapublicdata.pipeline.jenkins;

import com.cloudbees.groovy.cps.Continuable;
import com.cloudbees.groovy.cps.CpsTransformer;
import com.cloudbees.groovy.cps.ObjectInputStreamWithLoader;
import com.cloudbees.groovy.cps.Outcome;
import groovy.json.JsonSlurperClassic;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The project's own Jenkins pipeline harness: compiles Jenkinsfiles and {@code vars/} with groovy-cps as Jenkins
 * does, records every step call, answers {@code sh} and {@code input} from stubs, and serializes the whole program
 * state at every step (with serializable iterators, as Jenkins has). It enforces the house rules: no withCredentials
 * secret or step-argument value inside an {@code sh} script, no step from {@code @NonCPS} code, no {@code milestone}
 * inside {@code parallel}, no {@code input} inside {@code node}, a {@code label} on every {@code sh},
 * {@code readJSON} with {@code returnPojo: true}, workspace steps only inside {@code node}.
 * Broken rules are collected even when library code catches them; {@link #run} then fails.
 */
final class PipelineHarness {
    static final String HARNESS_VARIABLE = "__harness";
    private static final String BODY_STEPS_VARIABLE = "__bodySteps";
    static final String VARS_VARIABLE = "__vars";
    private static final Set<String> BODY_STEPS = Set.of("stage", "node", "timeout", "withEnv", "withCredentials",
            "lock", "dir", "container", "parallel", "podTemplate");
    private static final Set<String> WORKSPACE_STEPS = Set.of("sh", "readJSON", "writeFile", "readFile", "fileExists",
            "junit", "archiveArtifacts", "stash", "unstash", "pwd", "checkout", "dir");
    private static final Set<String> PLUGIN_STEPS = Set.of("slackSend", "podTemplate", "container");
    private static final int MIN_TAINT_LENGTH = 3;

    private final Path libraryRoot;
    private final GroovyClassLoader loader;
    private final Map<String, Object> globals = new LinkedHashMap<>();
    private final Map<String, Object> vars = new LinkedHashMap<>();
    /** What every script shares, as in Jenkins: env, currentBuild, params, scm and the vars/ globals. */
    private final Binding binding = new Binding(globals);
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Deque<Map<String, String>> envScopes = new ArrayDeque<>();
    private final Deque<String> context = new ArrayDeque<>();
    private final List<StepCall> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Set<String> tainted = new LinkedHashSet<>();
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private final Set<String> plugins = new LinkedHashSet<>();
    /** The checked-out repository: what every node's workspace starts with. */
    private final Map<String, String> repository = new LinkedHashMap<>();
    /** Each node block's own workspace (a fresh agent every time: files travel between nodes only by stash). */
    private final Deque<Map<String, String>> nodeWorkspaces = new ArrayDeque<>();
    private final List<Map<String, String>> allWorkspaces = new ArrayList<>();
    private final Map<String, Map<String, String>> stashes = new LinkedHashMap<>();
    /** What checkout(scm) returns; a scripted pipeline's env has none of it (declarative copies it into env). */
    private final Map<String, String> scmVars = new LinkedHashMap<>();
    private final Map<Integer, String> supersededMilestones = new LinkedHashMap<>();
    private final List<Integer> redSteps = new ArrayList<>();
    private final Map<String, String> stageResults = new LinkedHashMap<>();
    private final List<ShStub> shStubs = new ArrayList<>();
    private final Deque<InputAnswer> inputAnswers = new ArrayDeque<>();
    private final BuildModel currentBuild = new BuildModel();
    private final List<RealRun> realRuns = new ArrayList<>();
    private int roundTrips;

    /** Compiled libraries by root: compiling vars/ CPS-transformed takes seconds, and classes hold no run state. */
    private static final Map<Path, Compiled> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    private record Compiled(GroovyClassLoader loader, Map<String, Class<?>> vars, Class<?> bodySteps) {
    }

    /** Loads {@code vars/*.groovy} under {@code libraryRoot} as global variables, as Jenkins does. */
    PipelineHarness(Path libraryRoot) {
        this.libraryRoot = libraryRoot;
        Compiled compiled = COMPILED.computeIfAbsent(libraryRoot.toAbsolutePath().normalize(), PipelineHarness::compileLibrary);
        loader = compiled.loader();
        globals.put(HARNESS_VARIABLE, this);
        globals.put(VARS_VARIABLE, vars);
        globals.put("env", new EnvModel(this));
        globals.put("currentBuild", currentBuild);
        globals.put("params", new LinkedHashMap<String, Object>());
        globals.put("scm", new LinkedHashMap<>(Map.of("$class", "GitSCM")));
        env.putAll(Map.of("BUILD_URL", currentBuild.getAbsoluteUrl(), "JOB_NAME", "demo", "BUILD_NUMBER", "42",
                "WORKSPACE", "/ws/demo"));
        scmVars.put("GIT_COMMIT", "4d2c3b1a0f9e8d7c6b5a49382716050403020100");
        scmVars.put("GIT_PREVIOUS_COMMIT", null);
        scmVars.put("GIT_PREVIOUS_SUCCESSFUL_COMMIT", null); // a branch's first build
        scmVars.put("GIT_BRANCH", "origin/main");
        scmVars.put("GIT_URL", "https://git.example/korea/app.git");
        compiled.vars().forEach((name, type) -> vars.put(name, instantiate(type)));
        globals.put(BODY_STEPS_VARIABLE, instantiate(compiled.bodySteps()));
    }

    private static Compiled compileLibrary(Path root) {
        CompilerConfiguration cc = new CompilerConfiguration();
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImports("com.cloudbees.groovy.cps.NonCPS");
        imports.addImport("Library", LibraryMarker.class.getName());
        cc.addCompilationCustomizers(imports, new CpsTransformer());
        cc.setScriptBaseClass(HarnessScript.class.getName());
        GroovyClassLoader loader = new GroovyClassLoader(PipelineHarness.class.getClassLoader(), cc);
        Map<String, Class<?>> vars = new LinkedHashMap<>();
        Path dir = root.resolve("vars");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".groovy")).sorted().toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.groovy$", "");
                    vars.put(name, parse(loader, Files.readString(file), name));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Compiled(loader, vars, parse(loader, resource("HarnessBodySteps.groovy"), "HarnessBodySteps"));
    }

    private static Class<?> parse(GroovyClassLoader loader, String text, String className) {
        return loader.parseClass(new GroovyCodeSource(text, className, "/groovy/shell"), false);
    }

    // ---- configuration by tests -------------------------------------------------------------------------------

    PipelineHarness env(String name, String value) {
        env.put(name, value);
        taint(value);
        return this;
    }

    /** A credential id the job may bind; its secret must never reach a script text. */
    PipelineHarness credential(String id, String secret) {
        credentials.put(id, secret);
        return this;
    }

    /** The build was started by this Jenkins user (currentBuild.getBuildCauses' UserIdCause). */
    PipelineHarness startedBy(String user) {
        currentBuild.setStartedBy(user);
        return this;
    }

    /** Installs a plugin's steps: {@code slack} (slackSend), {@code kubernetes} (podTemplate, container). */
    PipelineHarness plugin(String name) {
        plugins.add(name);
        return this;
    }

    /** Values that came from outside (branch names, component names...): none may appear in a script text. */
    PipelineHarness taint(String... values) {
        for (String v : values) {
            if (v != null && v.length() >= MIN_TAINT_LENGTH) {
                tainted.add(v);
            }
        }
        return this;
    }

    /** A file of the checked-out repository (in every node's workspace). */
    PipelineHarness file(String path, String content) {
        repository.put(path, content);
        return this;
    }

    /**
     * What {@code checkout(scm)} returns, as the git plugin does: GIT_COMMIT, GIT_PREVIOUS_SUCCESSFUL_COMMIT (null on a
     * branch's first build) and so on. None of it is in env unless a test sets it (a declarative pipeline).
     */
    PipelineHarness checkout(String commit, String previousSuccessful) {
        scmVars.put("GIT_COMMIT", commit);
        scmVars.put("GIT_PREVIOUS_COMMIT", previousSuccessful);
        scmVars.put("GIT_PREVIOUS_SUCCESSFUL_COMMIT", previousSuccessful);
        return this;
    }

    /** A newer build passes milestone {@code ordinal} first: this build's milestone there cancels it (NOT_BUILT). */
    PipelineHarness supersededAtMilestone(int ordinal, String newerBuild) {
        supersededMilestones.put(ordinal, newerBuild);
        return this;
    }

    PipelineHarness onSh(Predicate<ShCall> when, Function<ShCall, ShResult> answer) {
        shStubs.add(0, new ShStub(when, answer));
        return this;
    }

    /**
     * Answers {@code korea <command>}: exits with {@code exit} after writing {@code json} to the file the step named
     * in {@code KOREA_OUTPUT} (null: writes nothing), as the CLI's {@code --output} does.
     */
    PipelineHarness korea(String command, int exit, String json) {
        return korea(command, call -> new KoreaResult(exit, json));
    }

    /** Answers {@code korea <command>} per call (e.g. by {@code call.env().get("KOREA_COMPONENT")}). */
    PipelineHarness korea(String command, Function<ShCall, KoreaResult> answer) {
        return onSh(call -> command.equals(call.koreaCommand()), call -> {
            KoreaResult result = answer.apply(call);
            checkContract(call, result);
            if (result.json() != null) {
                write(Objects.requireNonNull(call.env().get("KOREA_OUTPUT"), "KOREA_OUTPUT not set"), result.json());
            }
            return new ShResult(result.exit(), result.stdout());
        });
    }

    /**
     * Runs every {@code korea} script for real instead of answering it: the script text exactly as the step gave it,
     * with {@code /bin/sh -c} in {@code workspace}, with the environment the steps set (withEnv, withCredentials)
     * and {@code KOREA_CLI=cli}. Files the steps wrote (the launcher) go to disk first; the result file the step
     * named in {@code KOREA_OUTPUT} comes back into the harness workspace, where readJSON and fileExists see it.
     * Stubs added later still win, so a test can mix real and canned commands.
     */
    PipelineHarness realKorea(Path workspace, Path cli) {
        env.put("WORKSPACE", workspace.toString());
        env.put("KOREA_CLI", cli.toString());
        return onSh(call -> call.koreaCommand() != null, call -> execute(call, workspace));
    }

    /**
     * A stubbed korea result must be what the shared contract promises: JSON on every exit (format json) with
     * outcome, changed, exitCode (equal to the exit) and message; exit 11 adds holder. A render-only notify prints a
     * message instead, and a stub may leave out the JSON only to model a korea that crashed (exit 1) or never ran.
     */
    private void checkContract(ShCall call, KoreaResult result) {
        if (!"json".equals(call.env().get("KOREA_FORMAT")) || "--render-only".equals(call.env().get("KOREA_RENDER_ONLY"))) {
            return;
        }
        if (result.json() == null) {
            if (result.exit() == 0) {
                violation("a stubbed korea " + call.koreaCommand() + " exits 0 without a JSON result");
            }
            return;
        }
        Object parsed = new JsonSlurperClassic().parseText(result.json());
        if (!(parsed instanceof Map<?, ?> r) || !r.containsKey("outcome") || !(r.get("changed") instanceof Boolean)
                || !(r.get("exitCode") instanceof Number n) || n.intValue() != result.exit() || !r.containsKey("message")
                || (result.exit() == 11 && r.get("holder") == null)) {
            violation("a stubbed korea " + call.koreaCommand() + " result breaks the shared contract (outcome, changed, "
                    + "exitCode = " + result.exit() + ", message" + (result.exit() == 11 ? ", holder" : "") + "): " + result.json());
        }
    }

    /** The korea commands {@link #realKorea} ran, in order. */
    List<RealRun> realRuns() {
        return List.copyOf(realRuns);
    }

    /**
     * One real korea run: the subcommand, its exit code, what it printed on stderr (progress, errors), the sh script
     * its wall time and the result it wrote, or null (bench/pipeline-benchmark.sh sums the times).
     */
    record RealRun(String command, int exit, String stderr, String script, long millis, String result) {
    }

    private static final Set<String> HOST_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "JAVA_HOME", "TMPDIR", "USER");

    private ShResult execute(ShCall call, Path dir) {
        try {
            for (Map.Entry<String, String> file : currentView().entrySet()) {
                Path target = dir.resolve(file.getKey()).normalize();
                if (target.startsWith(dir) && file.getValue() != null) {
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, file.getValue());
                }
            }
            Path stderr = Files.createTempFile("korea-stderr", ".log");
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", call.script()).directory(dir.toFile())
                    .redirectError(stderr.toFile());
            // Only the host's basics: nothing KOREA_* or secret from the machine running the tests leaks in.
            pb.environment().keySet().retainAll(HOST_ENV);
            pb.environment().putAll(call.env());
            long started = System.nanoTime();
            Process process = pb.start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("korea " + call.koreaCommand() + " did not end within 180 s");
            }
            String errors = Files.readString(stderr);
            Files.delete(stderr);
            long millis = (System.nanoTime() - started) / 1_000_000;
            String output = call.env().get("KOREA_OUTPUT");
            Path result = output == null ? null : dir.resolve(output);
            String json = result != null && Files.isRegularFile(result) ? Files.readString(result) : null;
            if (json != null) {
                write(output, json);
            }
            realRuns.add(new RealRun(call.koreaCommand(), process.exitValue(), errors, call.script(), millis, json));
            return new ShResult(process.exitValue(), stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    PipelineHarness answerInput(InputAnswer answer) {
        inputAnswers.add(answer);
        return this;
    }

    // ---- running -----------------------------------------------------------------------------------------------

    Run run(Path jenkinsfile) {
        try {
            return run(Files.readString(jenkinsfile), "Jenkinsfile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a pipeline script to its end, round-tripping the program state through serialization at every step. */
    Run run(String script, String name) {
        Script main = compile(script, name.replaceAll("[^A-Za-z0-9_]", "_"));
        List<Class> categories = new ArrayList<>(Continuable.categories);
        categories.add(SerializableIterators.class);
        Continuable program = new Continuable(main);
        Outcome outcome = program.run0(new Outcome(null, null), categories);
        while (program.isResumable()) {
            Outcome resume = ((Resume) outcome.getNormal()).outcome();
            program = roundTrip(program);
            outcome = program.run0(resume, categories);
        }
        Throwable failure = outcome.getAbnormal();
        String result = failure == null ? currentBuild.getCurrentResult()
                : failure instanceof StepExceptions.FlowInterruptedException f ? f.getResult() : "FAILURE";
        if (failure != null) {
            logFailure(failure);
        }
        if (!violations.isEmpty()) {
            AssertionError error = new AssertionError("pipeline broke house rules:\n - " + String.join("\n - ", violations));
            if (failure != null) {
                error.addSuppressed(failure);
            }
            throw error;
        }
        List<StepCall> red = redSteps.stream().map(calls::get).toList();
        return new Run(result, failure, List.copyOf(calls), List.copyOf(log), roundTrips, red,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageResults)));
    }

    /** How Jenkins ends the console log of a failed build: the error's message, or the interruption's causes. */
    private void logFailure(Throwable failure) {
        if (failure instanceof StepExceptions.FlowInterruptedException f) {
            f.getCauses().forEach(c -> log.add(String.valueOf(c)));
        } else if (failure instanceof StepExceptions.AbortException || failure instanceof StepExceptions.CredentialNotFoundException) {
            log.add("ERROR: " + failure.getMessage());
        } else {
            log.add(failure.getClass().getName() + ": " + failure.getMessage());
        }
        checkLog(log.get(log.size() - 1));
    }

    /**
     * What a run did. {@code redSteps}: the steps that failed (drawn red in Pipeline Graph View even when caught);
     * {@code stageResults}: each stage that ended with an error, by name (FAILURE, ABORTED, NOT_BUILT).
     */
    record Run(String result, Throwable failure, List<StepCall> calls, List<String> log, int roundTrips,
            List<StepCall> redSteps, Map<String, String> stageResults) {
        List<StepCall> calls(String name) {
            return calls.stream().filter(c -> c.name().equals(name)).toList();
        }

        /** The last line of the console log (a failed build's: "ERROR: " and the error's message). */
        String lastLine() {
            return log.isEmpty() ? null : log.get(log.size() - 1);
        }

        List<String> koreaCommands() {
            return calls("sh").stream().map(c -> new ShCall((String) c.arg("script"), null, Map.of()).koreaCommand())
                    .filter(Objects::nonNull).toList();
        }

        List<String> stages() {
            return calls("stage").stream().map(c -> (String) c.args().get(0)).toList();
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Every file of every node's workspace, the latest write of a path winning (for assertions). */
    Map<String, String> workspace() {
        Map<String, String> all = new LinkedHashMap<>(repository);
        allWorkspaces.forEach(all::putAll);
        all.values().removeIf(Objects::isNull);
        return all;
    }

    // ---- step dispatch (called by HarnessScript and HarnessBodySteps) ----------------------------------------

    Object step(HarnessScript script, String name, Object[] args) {
        if (calledFromNonCps()) {
            violation("step '" + name + "' called from @NonCPS code (Jenkins: 'expected to call ... but wound up "
                    + "catching'); steps only run from CPS code");
        }
        Object global = ((Map<?, ?>) script.getBinding().getVariable(VARS_VARIABLE)).get(name);
        if (global instanceof Script) {
            record(name, args);
            if (currentVar() == null) {
                taintLeaves(args);
            }
            return bodySteps(script).invokeMethod("callVar", new Object[] {name, global, args});
        }
        if (PLUGIN_STEPS.contains(name) && !plugins.contains(pluginOf(name))) {
            record(name, args);
            redSteps.add(calls.size() - 1);
            throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps [archive, bat, build, "
                    + "catchError, checkout, deleteDir, dir, echo, error, fileExists, input, junit, lock, milestone, "
                    + "node, parallel, readFile, readJSON, sh, stage, stash, timeout, unstash, withCredentials, "
                    + "withEnv, writeFile]");
        }
        Object valueHelper = valueHelper(name, args);
        if (valueHelper != null) {
            return valueHelper;
        }
        record(name, args);
        if (WORKSPACE_STEPS.contains(name) && !inside("node")) {
            violation("'" + name + "' outside node: Jenkins fails with 'Required context class hudson.FilePath is missing'");
        }
        if (BODY_STEPS.contains(name)) {
            return bodySteps(script).invokeMethod(name, args);
        }
        Outcome outcome;
        try {
            outcome = new Outcome(simpleStep(name, args), null);
        } catch (RuntimeException | Error e) {
            redSteps.add(calls.size() - 1);
            outcome = new Outcome(null, e);
        }
        return Continuable.suspend(new Resume(outcome));
    }

    private static String pluginOf(String step) {
        return step.equals("slackSend") ? "slack" : "kubernetes";
    }

    /** Describable helpers such as {@code string(credentialsId:, variable:)}: values, not steps. */
    private Object valueHelper(String name, Object[] args) {
        return switch (name) {
            case "string", "usernamePassword", "file", "choice", "text", "booleanParam" -> {
                Map<String, Object> binding = new LinkedHashMap<>(named(args));
                binding.put("$class", name);
                yield binding;
            }
            case "legacySCM" -> Map.of("$class", "legacySCM");
            default -> null;
        };
    }

    public void enter(String kind, Object arg) {
        switch (kind) {
            case "withEnv" -> {
                Map<String, String> scope = new LinkedHashMap<>();
                for (Object pair : (List<?>) arg) {
                    String text = String.valueOf(pair);
                    int eq = text.indexOf('=');
                    scope.put(text.substring(0, eq), text.substring(eq + 1));
                }
                envScopes.push(scope);
            }
            case "withCredentials" -> envScopes.push(bindCredentials((List<?>) arg));
            case "podTemplate" -> envScopes.push(Map.of("POD_LABEL", "korea-pod-1"));
            case "node" -> {
                envScopes.push(Map.of("NODE_NAME", "agent-1")); // as Jenkins sets it on an agent
                Map<String, String> fresh = new LinkedHashMap<>();
                nodeWorkspaces.push(fresh);
                allWorkspaces.add(fresh);
            }
            default -> envScopes.push(Map.of());
        }
        context.push(arg == null || kind.equals("withEnv") || kind.equals("withCredentials") ? kind
                : kind + ":" + (arg instanceof Map<?, ?> m && m.containsKey("resource") ? m.get("resource") : arg));
    }

    public void exit(String kind) {
        if (kind.equals("node")) {
            nodeWorkspaces.pop();
        }
        envScopes.pop();
        String top = context.pop();
        if (!top.equals(kind) && !top.startsWith(kind + ":")) {
            throw new IllegalStateException("harness scopes out of order: " + top + " vs " + kind);
        }
    }

    /** A block step ended with an error: a stage (or parallel branch) is drawn with the error's result. */
    public void failed(String kind, Object arg, Throwable failure) {
        if (kind.equals("stage") || kind.equals("parallel")) {
            String result = failure instanceof StepExceptions.FlowInterruptedException f ? f.getResult() : "FAILURE";
            stageResults.put((kind.equals("parallel") ? "branch " : "") + arg, result);
        }
    }

    /** A branch parallel(failFast: true) never got to finish because a sibling failed. */
    public void abortedBranch(String name) {
        stageResults.put("branch " + name, "ABORTED");
    }

    /** Jenkins' parallel rethrows the most severe failure: a general error over an abort over an interruption. */
    public Throwable mostSevere(List<Throwable> failures) {
        return failures.stream().filter(t -> !(t instanceof StepExceptions.AbortException)
                        && !(t instanceof StepExceptions.FlowInterruptedException)).findFirst()
                .or(() -> failures.stream().filter(t -> t instanceof StepExceptions.AbortException).findFirst())
                .orElse(failures.get(0));
    }

    private Map<String, String> bindCredentials(List<?> bindings) {
        Map<String, String> scope = new LinkedHashMap<>();
        for (Object b : bindings) {
            Map<?, ?> binding = (Map<?, ?>) b;
            String id = String.valueOf(binding.get("credentialsId"));
            String secret = credentials.get(id);
            if (secret == null) {
                throw new StepExceptions.CredentialNotFoundException(id);
            }
            secrets.add(secret);
            if ("usernamePassword".equals(binding.get("$class"))) {
                scope.put(String.valueOf(binding.get("usernameVariable")), "user-" + id);
                scope.put(String.valueOf(binding.get("passwordVariable")), secret);
            } else if ("file".equals(binding.get("$class"))) {
                scope.put(String.valueOf(binding.get("variable")), "/tmp/secret-files/" + secret);
            } else {
                scope.put(String.valueOf(binding.get("variable")), secret);
            }
        }
        return scope;
    }

    private Object simpleStep(String name, Object[] args) {
        Map<String, Object> a = named(args);
        switch (name) {
            case "sh":
                return sh(args);
            case "echo":
                log.add(checkLog(String.valueOf(args[0])));
                return null;
            case "error":
                throw new StepExceptions.AbortException(checkLog(String.valueOf(args[0])));
            case "unstable":
                currentBuild.setResult("UNSTABLE");
                log.add("UNSTABLE: " + (args[0] instanceof Map ? a.get("message") : args[0]));
                return null;
            case "readJSON":
                return readJson(a);
            case "writeFile":
                write(String.valueOf(a.get("file")), String.valueOf(a.get("text")));
                return null;
            case "readFile":
                return requireFile(String.valueOf(args[0] instanceof Map ? a.get("file") : args[0]));
            case "fileExists":
                return read(String.valueOf(args[0] instanceof Map ? a.get("file") : args[0])) != null;
            case "libraryResource":
                return libraryResource(String.valueOf(args[0] instanceof Map ? a.get("resource") : args[0]));
            case "input":
                return input(a);
            case "milestone":
                if (inside("parallel")) {
                    violation("milestone inside parallel (Jenkins: 'Using a milestone step inside parallel is not allowed')");
                }
                String newer = supersededMilestones.get(a.get("ordinal") instanceof Number n ? n.intValue() : -1);
                if (newer != null) {
                    throw new StepExceptions.FlowInterruptedException("NOT_BUILT", new StepExceptions.CancelledCause(newer));
                }
                return null;
            case "stash":
                return stash(a);
            case "unstash":
                String stash = String.valueOf(args[0] instanceof Map ? a.get("name") : args[0]);
                Map<String, String> saved = stashes.get(stash);
                if (saved == null) {
                    throw new StepExceptions.AbortException("No such saved stash ‘" + stash + "’");
                }
                saved.forEach(this::write);
                return null;
            case "pwd":
                return env.get("WORKSPACE");
            case "checkout":
                return new LinkedHashMap<>(scmVars);
            case "library":
                return null;
            case "slackSend":
                checkLog(String.valueOf(a.get("message")));
                // the plugin returns null when it cannot resolve the token or Slack refuses (failOnError: false)
                return credentials.containsKey(String.valueOf(a.get("tokenCredentialId")))
                        ? new LinkedHashMap<>(Map.of("channelId", "C0123", "ts", "1700000000.000100")) : null;
            case "junit", "archiveArtifacts", "sleep", "properties", "deleteDir":
                return null;
            default:
                throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps in this harness");
        }
    }

    private Object sh(Object[] args) {
        Map<String, Object> a = args[0] instanceof Map ? named(args) : Map.of("script", args[0]);
        Object script = a.get("script");
        String text = String.valueOf(script);
        if (a.get("label") == null) {
            violation("sh without label: Blue Ocean would show the script text: " + text);
        }
        if (Boolean.TRUE.equals(a.get("returnStatus")) && Boolean.TRUE.equals(a.get("returnStdout"))) {
            throw new IllegalArgumentException("You may not select both returnStdout and returnStatus.");
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                violation("a withCredentials secret was interpolated into an sh script: " + text);
            }
        }
        for (String value : tainted) {
            if (text.contains(value)) {
                violation("a step argument or input value reached an sh script as code (" + value + "): " + text);
            }
        }
        ShCall call = new ShCall(text, (String) a.get("label"), effectiveEnv());
        if (call.koreaCommand() != null && call.env().get("KOREA_OUTPUT") != null) {
            write(call.env().get("KOREA_OUTPUT"), null); // as the launcher does before running korea
        }
        ShStub stub = shStubs.stream().filter(s -> s.when().test(call)).findFirst().orElse(null);
        if (stub == null) {
            violation("sh with no stub in this test (a real agent would run it; the harness does not pretend it "
                    + "succeeded): " + text);
        }
        ShResult result = stub.answer().apply(call);
        if (Boolean.TRUE.equals(a.get("returnStatus"))) {
            return result.status();
        }
        if (result.status() != 0) {
            throw new StepExceptions.AbortException("script returned exit code " + result.status());
        }
        return Boolean.TRUE.equals(a.get("returnStdout")) ? result.stdout() : null;
    }

    private Object readJson(Map<String, Object> a) {
        if (!Boolean.TRUE.equals(a.get("returnPojo"))) {
            violation("readJSON without returnPojo: true returns json-lib objects whose JSONNull is truthy");
        }
        String text = a.containsKey("text") ? String.valueOf(a.get("text")) : requireFile(String.valueOf(a.get("file")));
        return new JsonSlurperClassic().parseText(text);
    }

    /** stash: the current node's files matching {@code includes} (comma-separated Ant patterns). */
    private Object stash(Map<String, Object> a) {
        String name = String.valueOf(a.get("name"));
        List<java.util.regex.Pattern> includes = new ArrayList<>();
        for (String glob : String.valueOf(a.getOrDefault("includes", "**")).split(",")) {
            includes.add(antPattern(glob.trim()));
        }
        Map<String, String> saved = new LinkedHashMap<>();
        currentView().forEach((path, content) -> {
            if (content != null && includes.stream().anyMatch(p -> p.matcher(path).matches())) {
                saved.put(path, content);
            }
        });
        if (saved.isEmpty() && !Boolean.TRUE.equals(a.get("allowEmpty"))) {
            throw new StepExceptions.AbortException("No files included in stash ‘" + name + "’");
        }
        stashes.put(name, saved);
        return null;
    }

    private static java.util.regex.Pattern antPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    /** The current node's workspace over the checked-out files (a null value: deleted on this node). */
    private Map<String, String> currentView() {
        Map<String, String> view = new LinkedHashMap<>(repository);
        if (!nodeWorkspaces.isEmpty()) {
            view.putAll(nodeWorkspaces.peek());
        }
        return view;
    }

    /** A file as the step running now sees it (for stubs that read an input file, as korea notify --result does). */
    String fileOnThisNode(String path) {
        return read(path);
    }

    /** Writes a file in the current node's workspace, as a real korea command does beside its result (a stub's side effect). */
    void writeOnThisNode(String path, String content) {
        write(path, content);
    }

    private String read(String path) {
        return currentView().get(path);
    }

    /** Writes (or, with null, deletes) a file in the current node's workspace. */
    private void write(String path, String content) {
        if (nodeWorkspaces.isEmpty()) {
            throw new IllegalStateException("no node to write " + path + " in");
        }
        nodeWorkspaces.peek().put(path, content);
    }

    /** Jenkins masks a bound secret as ****; a secret (or a file credential's path) in the log is a leak all the same. */
    private String checkLog(String line) {
        for (String secret : secrets) {
            if (line.contains(secret)) {
                violation("a credential (or a credential file's path) reached the log or a message: " + line);
            }
        }
        return line;
    }

    private String requireFile(String path) {
        String content = read(path);
        if (content == null) {
            throw new StepExceptions.AbortException("java.nio.file.NoSuchFileException: " + path);
        }
        return content;
    }

    private String libraryResource(String resource) {
        Path file = libraryRoot.resolve("resources").resolve(resource);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new StepExceptions.AbortException("No such library resource " + resource + " could be found.");
        }
    }

    private Object input(Map<String, Object> a) {
        if (inside("node")) {
            violation("input inside node: the approval wait would hold an executor");
        }
        Object id = a.get("id");
        if (id == null || !String.valueOf(id).matches("^[a-zA-Z0-9\\[\\-\\]._~!$()*+,:@=]+$")) {
            throw new IllegalArgumentException("input id must be set and URL-safe, was " + id);
        }
        InputAnswer answer = inputAnswers.poll();
        if (answer == null) {
            throw new IllegalStateException("the test gave no answer for input " + a);
        }
        return answer.apply(a, inside("timeout"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    String envValue(String name) {
        for (Map<String, String> scope : envScopes) {
            if (scope.containsKey(name)) {
                return scope.get(name);
            }
        }
        return env.get(name);
    }

    void setEnv(String name, String value) {
        env.put(name, value);
    }

    private Map<String, String> effectiveEnv() {
        Map<String, String> all = new LinkedHashMap<>(env);
        List<Map<String, String>> outermostFirst = new ArrayList<>(envScopes);
        java.util.Collections.reverse(outermostFirst);
        outermostFirst.forEach(all::putAll);
        return all;
    }

    private boolean inside(String kind) {
        return context.stream().anyMatch(c -> c.equals(kind) || c.startsWith(kind + ":"));
    }

    private String currentVar() {
        return context.stream().filter(c -> c.startsWith("var:")).findFirst().map(c -> c.substring(4)).orElse(null);
    }

    private void record(String name, Object[] args) {
        List<Object> kept = new ArrayList<>();
        for (Object arg : args) {
            if (!(arg instanceof Closure)) {
                kept.add(arg instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : arg instanceof List<?> l ? new ArrayList<>(l) : arg);
            }
        }
        String stage = context.stream().filter(c -> c.startsWith("stage:")).findFirst().map(c -> c.substring(6))
                .orElse(null);
        List<String> outermostFirst = new ArrayList<>(context);
        java.util.Collections.reverse(outermostFirst);
        calls.add(new StepCall(name, kept, stage, outermostFirst, currentVar()));
    }

    private void taintLeaves(Object value) {
        if (value instanceof Object[] array) {
            for (Object o : array) {
                taintLeaves(o);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(this::taintLeaves);
        } else if (value instanceof Collection<?> c) {
            c.forEach(this::taintLeaves);
        } else if (value instanceof CharSequence s) {
            taint(s.toString());
        }
    }

    void violation(String message) {
        violations.add(message);
        throw new StepExceptions.Violation(message);
    }

    /**
     * True when the step was called from compiled (non-CPS) script code: the nearest script or groovy-cps frame
     * below this call is a script class, not the CPS interpreter.
     */
    private boolean calledFromNonCps() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c.getName().startsWith("com.cloudbees.groovy.cps.") || isScriptClass(c))
                .findFirst().map(this::isScriptClass).orElse(false));
    }

    private boolean isScriptClass(Class<?> c) {
        ClassLoader cl = c.getClassLoader();
        return cl == loader || cl instanceof GroovyClassLoader.InnerLoader;
    }

    private HarnessScript bodySteps(HarnessScript script) {
        return (HarnessScript) script.getBinding().getVariable(BODY_STEPS_VARIABLE);
    }

    private Script compile(String text, String className) {
        return instantiate(parse(loader, text, className));
    }

    private Script instantiate(Class<?> type) {
        Script script = InvokerHelper.createScript(type, binding);
        script.setBinding(binding);
        return script;
    }

    private static String resource(String name) {
        try (InputStream in = PipelineHarness.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> named(Object[] args) {
        return args.length > 0 && args[0] instanceof Map ? (Map<String, Object>) args[0] : Map.of();
    }

    /** Serializes the program as Jenkins writes program.dat, and continues from the copy. */
    private Continuable roundTrip(Continuable program) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new HarnessOutput(bytes)) {
                out.writeObject(program);
            }
            roundTrips++;
            try (HarnessInput in = new HarnessInput(new ByteArrayInputStream(bytes.toByteArray()), loader)) {
                return (Continuable) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            String message = "program state is not serializable at step " + calls.get(calls.size() - 1).name()
                    + " (" + e + "); Jenkins would fail to save it";
            violations.add(message);
            throw new AssertionError(message, e);
        }
    }

    /** The harness itself stays out of the saved state: it is swapped for a token and back. */
    private static final class HarnessToken implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** currentBuild too, as Jenkins pickles a RunWrapper and resolves it to the same build (a set result stays). */
    private static final class CurrentBuildToken implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final class HarnessOutput extends ObjectOutputStream {
        HarnessOutput(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            return obj == PipelineHarness.this ? new HarnessToken() : obj == currentBuild ? new CurrentBuildToken() : obj;
        }
    }

    private final class HarnessInput extends ObjectInputStreamWithLoader {
        HarnessInput(InputStream in, ClassLoader loader) throws IOException {
            super(in, loader);
            enableResolveObject(true);
        }

        @Override
        protected Object resolveObject(Object obj) {
            return obj instanceof HarnessToken ? PipelineHarness.this : obj instanceof CurrentBuildToken ? currentBuild : obj;
        }
    }

    /** What a suspended step resumes with. */
    private record Resume(Outcome outcome) implements Serializable {
    }

    private record ShStub(Predicate<ShCall> when, Function<ShCall, ShResult> answer) {
    }

    /** A stubbed shell result. */
    record ShResult(int status, String stdout) {
    }

    /** A stubbed korea result: exit code, the JSON it writes to --output (null: none), what it prints. */
    record KoreaResult(int exit, String json, String stdout) {
        KoreaResult(int exit, String json) {
            this(exit, json, "");
        }
    }

    /** How a test answers an input step. */
    interface InputAnswer {
        Object apply(Map<String, Object> input, boolean insideTimeout);

        /** Approve as {@code user}: the input returns what Jenkins returns for its parameters. */
        static InputAnswer approve(String user) {
            return (input, timeout) -> {
                boolean hasParameters = input.get("parameters") instanceof List<?> p && !p.isEmpty();
                if (input.get("submitterParameter") == null) {
                    return hasParameters ? "value" : null;
                }
                if (!hasParameters) {
                    return user;
                }
                // the approval form (decision + reason) gets an approval with a reason; other parameters a value
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put(String.valueOf(input.get("submitterParameter")), user);
                for (Object p : (List<?>) input.get("parameters")) {
                    Map<?, ?> parameter = (Map<?, ?>) p;
                    String name = String.valueOf(parameter.get("name"));
                    answer.put(name, "choice".equals(parameter.get("$class")) ? "approve"
                            : "string".equals(parameter.get("$class")) ? "approved by " + user : "value");
                }
                return answer;
            };
        }

        /** Answer the approval form: {@code decision} in its choice parameter, {@code reason} in its string one. */
        static InputAnswer decide(String user, String decision, String reason) {
            return (input, timeout) -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                if (input.get("submitterParameter") != null && user != null) {
                    answer.put(String.valueOf(input.get("submitterParameter")), user);
                }
                for (Object p : (List<?>) input.getOrDefault("parameters", List.of())) {
                    Map<?, ?> parameter = (Map<?, ?>) p;
                    answer.put(String.valueOf(parameter.get("name")), "choice".equals(parameter.get("$class")) ? decision : reason);
                }
                return answer;
            };
        }

        static InputAnswer approve(String user, String reason) {
            return decide(user, "approve", reason);
        }

        static InputAnswer reject(String user, String reason) {
            return decide(user, "reject", reason);
        }

        /** Approve from an old input plugin that returns no approver (JENKINS-40594). */
        static InputAnswer approveWithoutApprover() {
            return (input, timeout) -> null;
        }

        static InputAnswer reject(String user) {
            return (input, timeout) -> {
                throw new StepExceptions.FlowInterruptedException(new StepExceptions.Rejection(user));
            };
        }

        /** A newer build passed the next milestone while this one waited: Jenkins cancels the wait (NOT_BUILT). */
        static InputAnswer superseded(String newerBuild) {
            return (input, timeout) -> {
                throw new StepExceptions.FlowInterruptedException("NOT_BUILT", new StepExceptions.CancelledCause(newerBuild));
            };
        }

        /** Nobody answers: the enclosing timeout expires (there must be one). */
        static InputAnswer timeOut() {
            return (input, timeout) -> {
                if (!timeout) {
                    throw new AssertionError("input without an enclosing timeout would wait forever");
                }
                throw new StepExceptions.FlowInterruptedException(new StepExceptions.ExceededTimeout());
            };
        }
    }
}
