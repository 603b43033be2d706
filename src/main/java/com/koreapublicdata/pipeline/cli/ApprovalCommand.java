package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.control.ApprovalRecord;
import com.koreapublicdata.pipeline.control.ApprovalRecords;
import com.koreapublicdata.pipeline.control.Authorization;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.control.ChangeRequest;
import com.koreapublicdata.pipeline.control.Decision;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approval", header = "Write or check a signed approval record (HMAC-SHA256 with KOREA_APPROVAL_KEY).",
        description = {"'record' is run by Jenkins after the approval inputs: it checks the approvals against korea.yaml "
                + "(quorum, submitters, no self-approval, reasons, freeze, promotion path), then writes "
                + "<stateDir>/approvals/<id>.json signed with KOREA_APPROVAL_KEY (key id KOREA_APPROVAL_KEY_ID). "
                + "'verify' checks one record's signature, key and, when given, environment, component and digest."},
        subcommands = {ApprovalCommand.Record.class, ApprovalCommand.Verify.class},
        footerHeading = "%nExamples:%n",
        footer = {"  korea approval record --environment production --image backend=sha256:... \\",
                "      --approved-by alice --reason 'CAB-42' --approved-by bob --reason 'looks good' --requested-by carol",
                "  korea approval verify .korea/approvals/production-20261201T120000Z.json --component backend --digest sha256:..."})
final class ApprovalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The --format json result of both subcommands. */
    record Result(String outcome, boolean changed, int exitCode, String message, String id, String file, String environment,
            List<String> approvers, String requestedBy, String keyId, List<ApprovalRecord.ApprovedImage> components) {

        static Result of(ExitCode code, String message, ApprovalRecord r, Path file) {
            String outcome = (code == ExitCode.OK ? Outcome.PASSED : code == ExitCode.GATE_REFUSED ? Outcome.REFUSED
                    : Outcome.FAILED).json();
            return new Result(outcome, false, code.code(), message, r == null ? null : r.id(),
                    file == null ? null : file.toString(), r == null ? null : r.environment(),
                    r == null ? List.of() : r.approverNames(), r == null ? null : r.requestedBy(),
                    r == null ? null : r.keyId(), r == null ? List.of() : r.components());
        }
    }

    static void emit(CliContext context, OutputOptions output, OutputFormat format, Result result) {
        output.emit(context, out -> {
            if (format == OutputFormat.json) {
                Json.write(out, result);
            } else {
                print(out, result);
            }
        });
    }

    private static void print(PrintWriter out, Result r) {
        out.println("approval " + (r.id() == null ? "" : r.id() + " ") + r.outcome() + ": " + r.message());
        if (!r.approvers().isEmpty()) {
            out.println("  approvers: " + String.join(", ", r.approvers()));
        }
        r.components().forEach(c -> out.println("  " + c.component() + " " + c.digest()));
    }

    @Command(name = "record", header = "Check approvals against korea.yaml and write the signed approval record.",
            footerHeading = "%nExample:%n",
            footer = "  korea approval record --environment production --image backend=sha256:... --approved-by alice --reason CAB-42")
    static final class Record implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ConfigOption config;

        @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment approved.")
        String environment;

        @Option(names = "--image", required = true, paramLabel = "COMPONENT=DIGEST",
                description = "A component and the sha256 digest approved; repeat for each component.")
        List<String> images;

        @Option(names = "--approved-by", required = true, paramLabel = "USER",
                description = "An approver; repeat, each followed by its --reason (the same person twice counts once).")
        List<String> approvedBy;

        @Option(names = "--reason", paramLabel = "TEXT", description = "The reason of the approver given just before it.")
        List<String> reasons;

        @Option(names = "--requested-by", paramLabel = "USER", description = "Who started the run.")
        String requestedBy;

        @Option(names = "--break-glass", paramLabel = "REASON", description = "Approve during a freeze window (breakGlass users).")
        String breakGlass;

        @Option(names = "--plan", paramLabel = "TEXT", description = "What the approvers saw (e.g. the input message).")
        String plan;

        @Option(names = "--build-url", paramLabel = "URL", description = "The CI build (default: $BUILD_URL).")
        String buildUrl;

        @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
        OutputFormat format;

        @Mixin
        OutputOptions output;

        Record(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ConfigFile file = config.load(context);
            if (file.config().environment(environment).isEmpty()) {
                throw KoreaException.invalidInput("--environment " + environment + ": no such environment in korea.yaml; known: "
                        + file.config().environments().keySet());
            }
            List<ApprovalRecord.ApprovedImage> components = new ArrayList<>();
            for (String image : images) {
                int eq = image.indexOf('=');
                String name = eq < 0 ? "" : image.substring(0, eq);
                String digest = eq < 0 ? "" : image.substring(eq + 1);
                if (file.config().component(name).isEmpty() || !digest.matches("sha256:[0-9a-f]{64}")) {
                    throw KoreaException.invalidInput("--image " + image + ": expected COMPONENT=sha256:<64 hex> with a "
                            + "component of korea.yaml (" + file.config().components().keySet() + ")");
                }
                components.add(new ApprovalRecord.ApprovedImage(name, digest));
            }
            List<String> reasonList = reasons == null ? List.of() : reasons;
            if (reasonList.size() > approvedBy.size()) {
                throw KoreaException.invalidInput("--reason given " + reasonList.size() + " times for " + approvedBy.size()
                        + " --approved-by: each reason follows its approver");
            }
            Instant now = context.clock().instant();
            List<ApprovalRecord.Approver> approvers = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < approvedBy.size(); i++) {
                String user = approvedBy.get(i).trim();
                if (!seen.contains(user.toLowerCase(java.util.Locale.ROOT))) { // the same person twice counts once
                    seen.add(user.toLowerCase(java.util.Locale.ROOT));
                    approvers.add(new ApprovalRecord.Approver(user, i < reasonList.size() ? reasonList.get(i) : null,
                            now.toString()));
                }
            }
            String id = environment + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                    .format(now);
            ApprovalRecords records = DeployWiring.approvalRecords(context);
            ApprovalRecord signed = records.sign(new ApprovalRecord(id, environment, components, approvers, requestedBy,
                    breakGlass, plan, buildUrl != null ? buildUrl : context.env().get("BUILD_URL"), now.toString(), null, null));
            ChangeControl control = DeployWiring.changeControl(context, file);
            for (ApprovalRecord.ApprovedImage c : components) {
                Decision d = control.check(new ChangeRequest(environment, c.component(), c.digest(),
                        new Authorization(List.of(), requestedBy, null, signed, breakGlass, false)));
                if (!d.allowed()) {
                    emit(context, output, format, Result.of(ExitCode.GATE_REFUSED, c.component() + ": " + d.message(), signed,
                            null));
                    return ExitCode.GATE_REFUSED.code();
                }
            }
            Path written = records.write(file.stateDir(), signed);
            emit(context, output, format, Result.of(ExitCode.OK, approvers.size() + " approval(s) recorded: "
                    + String.join(", ", signed.approverNames()) + (breakGlass == null ? "" : "; break-glass: " + breakGlass),
                    signed, written));
            return 0;
        }
    }

    @Command(name = "verify", header = "Check a signed approval record.",
            footerHeading = "%nExample:%n",
            footer = "  korea approval verify .korea/approvals/production-20261201T120000Z.json --environment production")
    static final class Verify implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "FILE", description = "The approval record.")
        Path recordFile;

        @Option(names = "--environment", paramLabel = "NAME", description = "The environment it must approve (default: its own).")
        String environment;

        @Option(names = "--component", paramLabel = "NAME", description = "A component it must approve.")
        String component;

        @Option(names = "--digest", paramLabel = "sha256:...", description = "The digest it must approve for --component.")
        String digest;

        @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
        OutputFormat format;

        @Mixin
        OutputOptions output;

        Verify(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ConfigFile file = config.load(context);
            ApprovalRecords records = DeployWiring.approvalRecords(context);
            Path path = context.workDir().resolve(recordFile);
            ApprovalRecord record = records.read(path);
            String env = environment != null ? environment : record.environment();
            var settings = file.config().environment(env).orElseThrow(() -> KoreaException.invalidInput("environment " + env
                    + ": no such environment in korea.yaml; known: " + file.config().environments().keySet()));
            var problem = records.problem(record, env, component, component == null ? null : digest, settings.approval(),
                    context.clock().instant());
            ExitCode code = problem.isPresent() ? ExitCode.GATE_REFUSED : ExitCode.OK;
            emit(context, output, format, Result.of(code, problem.orElse("valid: signed with key '" + record.keyId() + "'"),
                    record, path));
            return code.code();
        }
    }
}
