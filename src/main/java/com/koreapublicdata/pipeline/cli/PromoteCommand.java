package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.control.Authorization;
import com.koreapublicdata.pipeline.control.ChangeControl;
import com.koreapublicdata.pipeline.deploy.PromotionRequest;
import com.koreapublicdata.pipeline.deploy.PromotionResult;
import com.koreapublicdata.pipeline.deploy.Promoter;
import com.koreapublicdata.pipeline.deploy.WavePromoter;
import com.koreapublicdata.pipeline.deploy.WavePromotionResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "promote", header = "Deploy an image of a component to an environment, gated, locked, watched and rolled back on failure.",
        description = {"Refuses (exit 10) before touching any cluster when the environment needs approval and --approved-by is "
                + "missing or not allowed, or when the image's digest has no passing scan record (requireScan).",
                "Then takes the component's lock (a Lease; exit 11 if another promotion keeps it past lockTimeout), checks the "
                + "cluster, namespace, referenced Secrets and current health, and deploys with the component's strategy: "
                + "rolling (Deployment), bluegreen or canary (Argo Rollout), or gitops.",
                "A failed rollout, analysis or smoke test is undone (exit 20; 21 when the undo fails too). A blue-green "
                + "deploy stops at 'awaiting-promotion' unless --confirm is given."},
        footerHeading = "%nExamples:%n",
        footer = {"  korea promote --component backend --environment staging --image registry/app@sha256:... --format json",
                "  korea promote -c korea.yaml --component frontend --environment production --image registry/fe:1.4@sha256:... \\",
                "      --approved-by alice --approval-source jenkins-input --build-url $BUILD_URL --confirm"})
final class PromoteCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component in korea.yaml.")
    String component;

    @Option(names = "--environment", required = true, paramLabel = "NAME", description = "Environment in korea.yaml.")
    String environment;

    @Option(names = "--image", paramLabel = "REF",
            description = "Image to deploy: repo:tag, repo@sha256:... or both; deployed by digest whenever it is known. "
                    + "Required unless --from is given.")
    String image;

    @Option(names = "--from", paramLabel = "ENV",
            description = "Promote the digest environment ENV runs now (its newest deployed record) instead of --image.")
    String from;

    @Option(names = "--approved-by", paramLabel = "USER",
            description = "Who approved (required where approval is); repeat for a quorum: the same person twice counts once.")
    java.util.List<String> approvedBy;

    @Option(names = "--requested-by", paramLabel = "USER",
            description = "Who started the run (build user or commit author): may not approve it (approval.allowSelfApproval), "
                    + "checked against the environment's team for a deploy by hand.")
    String requestedBy;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why it was approved (approval.requireReason).")
    String reason;

    @Option(names = "--approval", paramLabel = "FILE",
            description = "A signed approval record (korea approval record); required where approval.signingKeyRequired is.")
    java.nio.file.Path approval;

    @Option(names = "--break-glass", paramLabel = "REASON",
            description = "Promote during a freeze window; accepted when the requester or an approver is in its breakGlass list.")
    String breakGlass;

    @Option(names = "--approval-source", paramLabel = "SOURCE",
            description = "How approval was given: jenkins-input, github-environment or cli (default with --approved-by: cli).")
    String approvalSource;

    @Option(names = "--build-url", paramLabel = "URL", description = "The CI build doing it: the lock holder and an annotation.")
    String buildUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Overrides the environment's timeout (e.g. 20m).")
    String timeout;

    @Option(names = "--confirm", description = "Blue-green: promote the preview to active in the same run.")
    boolean confirm;

    @Option(names = "--version", paramLabel = "LABEL", description = "Version label for people (default: the image tag).")
    String version;

    @Option(names = "--commit", paramLabel = "SHA", description = "Git commit deployed, for the record.")
    String commit;

    PromoteCommand(CliContext context) {
        super(context);
    }

    @Override
    protected java.util.Map<String, Object> subject() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("environment", environment);
        m.put("component", component);
        m.put("image", image);
        return m;
    }

    @Override
    protected Result execute() {
        if (image != null) {
            ImageReference.parse(image, "--image"); // refused (exit 2) before korea.yaml, the overlay or a cluster is read
        }
        ConfigFile file = config.load(context);
        String build = buildUrl != null ? buildUrl : context.env().get("BUILD_URL");
        ChangeControl control = DeployWiring.changeControl(context, file);
        Authorization authorization = new Authorization(approvedBy, requestedBy, reason,
                approval == null ? null : DeployWiring.approvalRecords(context).read(context.workDir().resolve(approval)),
                breakGlass, build == null);
        PromotionRequest request = new PromotionRequest(component, environment, image(file, control), null, approvalSource,
                buildUrl, DeployWiring.duration("--timeout", timeout), confirm, version, commit, authorization)
                // the commit's time from the checkout, when it has that commit: the lead-time KPI
                .withCommitTime(new com.koreapublicdata.pipeline.plan.GitChanges(file.baseDir()).commitTime(commit).orElse(null));
        if (file.config().environment(environment).map(e -> e.hasWaves()).orElse(false)) {
            WavePromotionResult waves = new WavePromoter(file.config(), DeployWiring.services(context, file, build), control)
                    .promote(request);
            return result(waves.exitCode(), waves, out -> print(out, waves));
        }
        PromotionResult result = new Promoter(file.config(), DeployWiring.services(context, file, build), control)
                .promote(request);
        return result(result.exitCode(), result, out -> print(out, result));
    }

    /** --image, or with --from the image the other environment runs now. */
    private String image(ConfigFile file, ChangeControl control) {
        if ((image == null) == (from == null)) {
            throw KoreaException.invalidInput("give exactly one of --image REF or --from ENV");
        }
        if (from == null) {
            return image;
        }
        if (file.config().environment(from).isEmpty()) {
            throw KoreaException.invalidInput("--from " + from + ": no such environment in korea.yaml; known: "
                    + file.config().environments().keySet());
        }
        return control.current(from, component).map(r -> r.image())
                .orElseThrow(() -> KoreaException.gateRefused("--from " + from + ": " + component + " has no deployed record "
                        + "in " + from + " (nothing runs there to promote)"));
    }

    /** One line for the promotion, one per wave, one per cluster. */
    static void print(PrintWriter out, WavePromotionResult r) {
        out.println(r.component() + " -> " + r.environment() + ": " + r.outcome() + " (" + r.strategy() + ", "
                + r.waves().size() + " waves, " + String.format(java.util.Locale.ROOT, "%.1fs", r.durationSeconds()) + ")");
        out.println("  image:    " + r.image());
        for (var w : r.waves()) {
            out.println("  wave " + w.wave() + ": " + w.outcome() + (w.soakSeconds() > 0 ? " (soak " + w.soakSeconds() + "s)" : ""));
            r.clusters().stream().filter(c -> c.wave() == w.wave()).forEach(c -> out.println("    " + c.cluster() + ": "
                    + c.outcome() + (c.revision() == null ? "" : " (revision " + c.revision() + ")") + " " + c.message()));
        }
        out.println("  " + r.message());
    }

    static void print(PrintWriter out, PromotionResult r) {
        out.println(r.component() + " -> " + r.environment() + ": " + r.outcome() + " (" + r.strategy() + ", "
                + String.format(java.util.Locale.ROOT, "%.1fs", r.durationSeconds()) + ")");
        out.println("  image:    " + r.image());
        if (r.approver() != null) {
            out.println("  approved: " + r.approver() + " via " + r.approvalSource());
        }
        if (r.revision() != null) {
            out.println("  revision: " + r.revision());
        }
        out.println("  " + r.message());
    }
}
