import groovy.transform.Field

// Sends a Slack message built by the engine: through the Slack plugin (via: 'jenkins') or by korea itself.
@Field String STEP_NAME = 'koreaNotify'
@Field Map defaultConfig = [
    event: null,                      // required: started, awaiting-approval, approved, success, failed, rollback, scan-failed
    component: null,                  // required: a component name from korea.yaml
    environment: null,                // required: an environment name from korea.yaml
    version: null,                    // required: the version or image being delivered
    reason: null,                     // free text shown in the message (why it failed, who rejected)
    via: null,                        // engine | jenkins; default: notifications.via in korea.yaml
    slackCredentialsId: 'slack-token', // Slack token credential (plugin tokenCredentialId or KOREA_SLACK_TOKEN)
    config: 'korea.yaml',             // path of korea.yaml in the workspace
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['event', 'component', 'environment', 'version'])
    String via = cfg.via ?: koreaCli.run(name: 'plan', label: 'korea plan (notification settings)', config: cfg.config,
            script: 'plan --branch "$KOREA_BRANCH"', env: [KOREA_BRANCH: env.BRANCH_NAME]).result?.pipeline?.notifyVia
    boolean plugin = via == 'jenkins'
    Map run = koreaCli.run(name: 'notify', label: 'korea notify ' + cfg.event, config: cfg.config,
            credentials: plugin ? [] : [string(credentialsId: cfg.slackCredentialsId, variable: 'KOREA_SLACK_TOKEN')],
            script: 'notify --event "$KOREA_EVENT" --component "$KOREA_COMPONENT" --environment "$KOREA_ENVIRONMENT"'
                    + ' --version "$KOREA_VERSION" ${KOREA_REASON:+--reason "$KOREA_REASON"} $KOREA_RENDER_ONLY',
            env: [KOREA_EVENT: cfg.event, KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment,
                  KOREA_VERSION: cfg.version, KOREA_REASON: cfg.reason, KOREA_RENDER_ONLY: plugin ? '--render-only' : ''])
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
    }
}
