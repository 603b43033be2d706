package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.notify.NotificationEvent;
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
                + "nothing; the koreaNotify step passes it to slackSend."},
        footerHeading = "%nExamples:%n",
        footer = {"  KOREA_SLACK_TOKEN=xoxb-... korea notify --event started --component backend --environment production --version 1.4.2",
                "  korea notify --event failed --component backend --environment production --version 1.4.2 "
                        + "--reason 'error rate 7%% > 5%% for 5m'",
                "  korea notify --event success --component frontend --environment staging --version 2.0.0 --render-only --format json"})
final class NotifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--event", required = true, paramLabel = "EVENT",
            description = "started, awaiting-approval, approved, success, failed, rollback, scan-failed or break-glass.")
    String event;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component from korea.yaml.")
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

    @Option(names = "--format", defaultValue = "text", description = "Result format: ${COMPLETION-CANDIDATES}.")
    OutputFormat format;

    @Mixin
    OutputOptions output;

    NotifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ConfigFile file = config.load(context);
        NotificationEvent notification = event(file.config());
        if (renderOnly) {
            SlackMessage message = new SlackMessages(file).render(notification);
            output.emit(context, out -> {
                if (format == OutputFormat.json) {
                    out.println(message.toJson());
                } else {
                    out.println(message.channel() + ": " + message.text());
                }
            });
            return 0;
        }
        NotifyResult result = new Notifier(file, context.env(), warning -> {
            context.err().println("korea: warning: " + warning);
            context.err().flush();
        }).send(notification);
        output.emit(context, out -> {
            if (format == OutputFormat.json) {
                Json.write(out, result);
            } else {
                printText(out, result);
            }
        });
        return 0;
    }

    private NotificationEvent event(KoreaConfig model) {
        NotificationEvent.Kind kind = NotificationEvent.Kind.fromId(event).orElseThrow(() -> KoreaException.invalidInput(
                "--event " + event + ": unknown event; events: " + NotificationEvent.Kind.ids()));
        if (model.component(component).isEmpty()) {
            throw KoreaException.invalidInput("--component " + component + ": not in korea.yaml; components: "
                    + String.join(", ", model.components().keySet()));
        }
        String theStrategy = strategy;
        if (environment != null) {
            Environment env = model.environment(environment).orElseThrow(() -> KoreaException.invalidInput(
                    "--environment " + environment + ": not in korea.yaml; environments: "
                            + String.join(", ", model.environments().keySet())));
            if (theStrategy == null && env.deployment(component).strategy() != null) {
                theStrategy = env.deployment(component).strategy().id();
            }
        }
        if (duration != null && (duration.isNaN() || duration < 0)) {
            throw KoreaException.invalidInput("--duration " + duration + ": must be a number of seconds, 0 or more");
        }
        return NotificationEvent.builder(kind)
                .environment(environment)
                .component(component)
                .version(version)
                .digest(digest)
                .strategy(theStrategy)
                .approver(approver)
                .durationSeconds(duration)
                .reason(reason)
                .scanSummary(scanSummary)
                .buildUrl(buildUrl != null ? buildUrl : context.env().get("BUILD_URL"))
                .deploymentId(deploymentId)
                .build();
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
