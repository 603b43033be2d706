import groovy.transform.Field

// Sends a Slack message built by the engine: through the Slack plugin (via: 'jenkins') or by korea itself.
@Field String STEP_NAME = 'koreaNotify'
@Field Map defaultConfig = [
    event: null,                      // required: started, awaiting-approval, approved, success, failed, rollback, scan-failed
    component: null,                  // required: a component name from korea.yaml
    environment: null,                // an environment name from korea.yaml (none on a branch without one)
    version: null,                    // the version or tag being delivered
    digest: null,                     // the image digest (sha256:...)
    approver: null,                   // who approved, or who ordered a manual rollback
    reason: null,                     // free text shown in the message (why it failed, who rejected)
    via: null,                        // engine | jenkins; default: notifications.via in korea.yaml
    slackCredentialsId: 'slack-token', // Slack token credential (plugin tokenCredentialId or KOREA_SLACK_TOKEN)
    slackWebhookCredentialsId: null,  // engine only: incoming-webhook URL credential -> KOREA_SLACK_WEBHOOK_URL, instead of the token
    config: 'korea.yaml',             // path of korea.yaml in the workspace
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['event', 'component'])
    String via = cfg.via ?: koreaCli.run(name: 'plan', label: 'korea plan (notification settings)', config: cfg.config,
            script: 'plan ${KOREA_BRANCH:+--branch "$KOREA_BRANCH"}', env: [KOREA_BRANCH: env.BRANCH_NAME]).result?.pipeline?.notifyVia
    boolean plugin = via == 'jenkins'
    List credentials = plugin ? [] : cfg.slackWebhookCredentialsId ?
            [string(credentialsId: cfg.slackWebhookCredentialsId, variable: 'KOREA_SLACK_WEBHOOK_URL')] :
            [string(credentialsId: cfg.slackCredentialsId, variable: 'KOREA_SLACK_TOKEN')]
    Map run = koreaCli.run(name: 'notify', label: 'korea notify ' + cfg.event, config: cfg.config, credentials: credentials,
            script: 'notify --event "$KOREA_EVENT" --component "$KOREA_COMPONENT" ${KOREA_ENVIRONMENT:+--environment "$KOREA_ENVIRONMENT"}'
                    + ' ${KOREA_VERSION:+--version "$KOREA_VERSION"} ${KOREA_DIGEST:+--digest "$KOREA_DIGEST"}'
                    + ' ${KOREA_APPROVER:+--approver "$KOREA_APPROVER"} ${KOREA_REASON:+--reason "$KOREA_REASON"} $KOREA_RENDER_ONLY',
            env: [KOREA_EVENT: cfg.event, KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment,
                  KOREA_VERSION: cfg.version, KOREA_DIGEST: cfg.digest, KOREA_APPROVER: cfg.approver, KOREA_REASON: cfg.reason,
                  KOREA_RENDER_ONLY: plugin ? '--render-only' : ''])
    if (run.status != 0) {
        echo(STEP_NAME + ': korea notify ' + cfg.event + ' failed (exit ' + run.status + '); the build goes on')
    } else if (plugin && run.result) {
        Map message = run.result
        Map send = [channel: message.channel, message: message.text, tokenCredentialId: cfg.slackCredentialsId,
                    botUser: true, failOnError: false]
        if (message.attachments) { send.attachments = message.attachments } else if (message.blocks) { send.blocks = message.blocks }
        if (message.color) { send.color = message.color }
        if (slackSend(send) == null) {
            echo(STEP_NAME + ': Slack did not accept the ' + cfg.event + ' message; the build goes on')
        }
    } else if (run.result && run.result.status != 'sent') {
        echo(STEP_NAME + ': ' + cfg.event + ' not sent (' + run.result.status + '): ' + (run.result.warnings ?: []).join('; '))
    }
}
