package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.notify.NotificationEvent;
import com.koreapublicdata.pipeline.notify.NotificationEvents;
import com.koreapublicdata.pipeline.notify.Notifier;
import com.koreapublicdata.pipeline.notify.NotifyResult;
import com.koreapublicdata.pipeline.notify.SlackMessage;
import com.koreapublicdata.pipeline.notify.SlackMessages;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "notify", header = "Send one deployment notification to Slack, or print it for Jenkins' slackSend.",
        description = {"Builds the Slack message for an event (started, awaiting-approval, approved, success, failed, "
                + "rollback, scan-failed, break-glass) and posts it to the channel korea.yaml routes the event to: with "
                + "KOREA_SLACK_TOKEN by chat.postMessage (events of one deployment share a thread), else with "
                + "KOREA_SLACK_WEBHOOK_URL to the incoming webhook.",
                "Credentials are read from the environment only. A failed notification is a warning: the exit code "
                + "stays 0, so a deployment never fails because Slack did.",
                "--render-only prints the message as JSON ({channel, text, color, blocks, attachments}) and sends "
                + "nothing; the koreaNotify step passes it to slackSend.",
                "--result FILE reads a korea JSON result (promote, rollout, rollback, scan, build, run) and sends the "
                + "event its outcome is worth (deployed: success, rolled-back: rollback, refused scan: scan-failed, ...; "
                + "a pass, a skip or a held lock: nothing); options given as well override the result's fields."},
        footerHeading = "%nExamples:%n",
        footer = {"  KOREA_SLACK_TOKEN=xoxb-... korea notify --event started --component backend --environment production --version 1.4.2",
                "  korea notify --event failed --component backend --environment production --version 1.4.2 "
                        + "--reason 'error rate 7%% > 5%% for 5m'",
                "  korea notify --event success --component frontend --environment staging --version 2.0.0 --render-only --format json",
                "  korea notify --result .korea/out/promote-backend-production.json --format json"})
final class NotifyCommand extends JsonCommand {

    @Mixin
    ConfigOption config;

    @Option(names = "--event", paramLabel = "EVENT",
            description = "started, awaiting-approval, approved, success, failed, rollback, scan-failed or break-glass "
                    + "(required without --result).")
    String event;

    @Option(names = "--result", paramLabel = "FILE",
            description = "A korea JSON result (promote, rollout, rollback, scan, build, run): the event follows its outcome.")
    java.nio.file.Path result;

    @Option(names = "--component", paramLabel = "NAME",
            description = "Component from korea.yaml (required without --result).")
    String component;

    @Option(names = "--environment", paramLabel = "ENV", description = "Environment from korea.yaml.")
    String environment;

    @Option(names = "--version", paramLabel = "VERSION", description = "Version or tag deployed.")
    String version;

    @Option(names = "--digest", paramLabel = "DIGEST", description = "Image digest (sha256:...).")
    String digest;

    @Option(names = "--strategy", paramLabel = "STRATEGY",
            description = "Deployment strategy (default: the component's strategy in the environment, from korea.yaml).")
    String strategy;

    @Option(names = "--approver", paramLabel = "USER", description = "Who approved, or who ordered a manual rollback.")
    String approver;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long the deployment took, in seconds.")
    Double duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why it failed or rolled back, or what is awaited.")
    String reason;

    @Option(names = "--scan-summary", paramLabel = "TEXT", description = "One line of scan findings.")
    String scanSummary;

    @Option(names = "--build-url", paramLabel = "URL", description = "Link to the CI build (default: $BUILD_URL).")
    String buildUrl;

    @Option(names = "--deployment-id", paramLabel = "ID",
            description = "Ties the events of one deployment into one Slack thread (default: environment/component/version).")
    String deploymentId;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--render-only", description = "Print the Slack message (JSON with --format json) and send nothing.")
    boolean renderOnly;

    NotifyCommand(CliContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> subject() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("component", component);
        m.put("environment", environment);
        m.put("result", result == null ? null : result.toString());
        return m;
    }

    @Override
    protected Result execute() {
        if (result == null && (event == null || component == null)) {
            throw KoreaException.invalidInput("give --event and --component, or --result FILE (a korea JSON result)");
        }
        NotificationEvents.ResultFacts facts = result == null ? null
                : NotificationEvents.read(context.workDir().resolve(result), result.toString());
        ConfigFile file = config.load(context);
        Optional<NotificationEvent> notification = event(file.config(), facts);
        if (notification.isEmpty()) {
            String why = "nothing to send: outcome " + facts.outcome() + " of " + result + " is worth no notification";
            Map<String, Object> nothing = new LinkedHashMap<>();
            nothing.put("status", "nothing-to-send");
            nothing.put("event", null);
            nothing.put("channel", null);
            nothing.put("text", null);
            nothing.putAll(contract(Outcome.SKIPPED, why));
            return result(ExitCode.OK, nothing, out -> out.println("slack: " + why));
        }
        if (renderOnly) {
            SlackMessage message = new SlackMessages(file).render(notification.get());
            return new Result(ExitCode.OK, out -> {
                if (json()) {
                    out.println(message.toJson());
                } else {
                    out.println(message.channel() + ": " + message.text());
                }
            });
        }
        NotifyResult sent = new Notifier(file, context.env(), warning -> {
            context.err().println("korea: warning: " + warning);
            context.err().flush();
        }).send(notification.get());
        Map<String, Object> json = Json.fields(sent);
        // a notification that was not sent is a warning, never a failure: exit 0 either way
        json.putAll(contract(sent.delivered() ? Outcome.PASSED : Outcome.SKIPPED, sent.message()));
        return result(ExitCode.OK, json, out -> printText(out, sent));
    }

    /** The event to send: from the options, else from the result file's outcome; empty when it is worth none. */
    private Optional<NotificationEvent> event(KoreaConfig model, NotificationEvents.ResultFacts facts) {
        NotificationEvent.Kind kind;
        if (event != null) {
            kind = NotificationEvent.Kind.fromId(event).orElseThrow(() -> KoreaException.invalidInput(
                    "--event " + event + ": unknown event; events: " + NotificationEvent.Kind.ids()));
        } else {
            Optional<NotificationEvent.Kind> picked = facts.kind();
            if (picked.isEmpty()) {
                return Optional.empty();
            }
            kind = picked.get();
        }
        String theComponent = component;
        if (theComponent == null) {
            if (facts.components().size() != 1) {
                throw KoreaException.invalidInput("--result " + result + ": " + (facts.components().isEmpty()
                        ? "names no component" : "names " + facts.components().size() + " components ("
                        + String.join(", ", facts.components()) + ")") + "; give --component");
            }
            theComponent = facts.components().get(0);
        }
        if (model.component(theComponent).isEmpty()) {
            throw KoreaException.invalidInput("--component " + theComponent + ": not in korea.yaml; components: "
                    + String.join(", ", model.components().keySet()));
        }
        String theEnvironment = environment != null ? environment : facts == null ? null : facts.environment();
        String theStrategy = strategy != null ? strategy : facts == null ? null : facts.strategy();
        if (theEnvironment != null) {
            Environment env = model.environment(theEnvironment).orElseThrow(() -> KoreaException.invalidInput(
                    "--environment " + theEnvironment + ": not in korea.yaml; environments: "
                            + String.join(", ", model.environments().keySet())));
            if (theStrategy == null && env.deployment(theComponent).strategy() != null) {
                theStrategy = env.deployment(theComponent).strategy().id();
            }
        }
        if (duration != null && (duration.isNaN() || duration < 0)) {
            throw KoreaException.invalidInput("--duration " + duration + ": must be a number of seconds, 0 or more");
        }
        boolean goodNews = kind == NotificationEvent.Kind.SUCCESS || kind == NotificationEvent.Kind.STARTED;
        return Optional.of(NotificationEvent.builder(kind)
                .environment(theEnvironment)
                .component(theComponent)
                .version(version != null ? version : facts == null ? null : facts.version())
                .digest(digest != null ? digest : facts == null ? null : facts.digest())
                .strategy(theStrategy)
                .approver(approver != null ? approver : facts == null ? null : facts.approver())
                .durationSeconds(duration != null ? duration : facts == null ? null : facts.durationSeconds())
                .reason(reason != null ? reason : facts == null || goodNews ? null : facts.message())
                .scanSummary(scanSummary != null ? scanSummary : facts == null ? null : facts.scanSummary())
                .buildUrl(buildUrl != null ? buildUrl : context.env().get("BUILD_URL"))
                .deploymentId(deploymentId)
                .build());
    }

    private static void printText(PrintWriter out, NotifyResult result) {
        if (result.delivered()) {
            out.println("slack: " + result.event() + " notification " + result.message() + " via " + result.via());
        } else if (result.status() == NotifyResult.Status.DISABLED || result.status() == NotifyResult.Status.DELEGATED) {
            out.println("slack: " + result.event() + " notification not sent (" + result.message() + ")");
        } else {
            // the reason was printed as a warning already
            out.println("slack: " + result.event() + " notification not sent (" + result.status().id() + ")");
        }
    }
}
