import groovy.transform.Field

// Sends a Slack message built by the engine, by korea or by the Slack plugin (via: jenkins); any problem is one warning.
@Field String STEP_NAME = 'koreaNotify'
@Field Map defaultConfig = [
    event: null,                      // started, awaiting-approval, approved, success, failed, rollback, scan-failed (or result)
    result: null,                     // a korea result file (promote, rollout, rollback, scan, build): korea picks the event
    component: null,                  // a component name from korea.yaml (required with event)
    environment: null,                // an environment name from korea.yaml (none on a branch without one)
    version: null,                    // the version or tag being delivered
    digest: null,                     // the image digest (sha256:...)
    approver: null,                   // who approved, or who ordered a manual rollback
    reason: null,                     // free text shown in the message (why it failed, who rejected)
    via: null,                        // engine | jenkins (koreaPipeline passes korea.yaml's); unset: korea asks for the plugin if needed
    slackCredentialsId: 'slack-token', // Slack token credential (plugin tokenCredentialId or KOREA_SLACK_TOKEN)
    slackWebhookCredentialsId: null,  // engine only: incoming-webhook URL credential -> KOREA_SLACK_WEBHOOK_URL, instead of the token
    config: 'korea.yaml',             // path of korea.yaml in the workspace
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters)
    if (!cfg.result && (!cfg.event || !cfg.component)) {
        error(STEP_NAME + ': give event and component, or result (see koreaNotify.txt)')
    }
    String what = cfg.event ?: cfg.result
    Map sent = cfg.via == 'jenkins' ? null : korea(cfg, what, false)
    if (sent != null && sent.result?.status != 'delegated') { // 'delegated': korea.yaml says the plugin sends
        if (!sent.skipped && !(sent.result?.status in ['sent', 'nothing-to-send'])) { // nothing-to-send: the result needs no message
            echo(STEP_NAME + ': warning: ' + what + ' not sent (' + (sent.result?.status ?: 'korea notify wrote no result') + ')'
                    + (sent.result?.warnings ? ': ' + sent.result.warnings.join('; ') : '') + ', the build goes on')
        }
        return
    }
    Map message = korea(cfg, what, true).result
    Map send = [channel: message?.channel, message: message?.text, tokenCredentialId: cfg.slackCredentialsId, botUser: true,
                failOnError: false]
    if (message?.attachments) { send.attachments = message.attachments } else if (message?.blocks) { send.blocks = message.blocks }
    if (message?.color) { send.color = message.color }
    try {
        if (!message?.text || slackSend(send) == null) {
            echo(STEP_NAME + ': warning: Slack did not take the ' + what + ' message (or korea rendered none), the build goes on')
        }
    } catch (NoSuchMethodError missing) {
        echo(STEP_NAME + ': warning: notifications.via is jenkins but the Slack plugin is not installed; ' + what + ' not sent, the build goes on')
    }
}

private Map korea(Map cfg, String what, boolean render) {
    List credentials = render ? [] : cfg.slackWebhookCredentialsId ? [string(credentialsId: cfg.slackWebhookCredentialsId,
            variable: 'KOREA_SLACK_WEBHOOK_URL')] : koreaCli.slackCredentials(cfg.slackCredentialsId)
    return koreaCli.run(name: koreaCli.resultName('notify', [cfg.component, cfg.environment]), label: 'korea notify ' + what,
            config: cfg.config, step: STEP_NAME, optional: credentials, needsOptional: true,
            script: 'notify ${KOREA_RESULT:+--result "$KOREA_RESULT"} ${KOREA_EVENT:+--event "$KOREA_EVENT"} ${KOREA_COMPONENT:+--component "$KOREA_COMPONENT"}'
                    + ' ${KOREA_ENVIRONMENT:+--environment "$KOREA_ENVIRONMENT"} ${KOREA_VERSION:+--version "$KOREA_VERSION"}'
                    + ' ${KOREA_DIGEST:+--digest "$KOREA_DIGEST"} ${KOREA_APPROVER:+--approver "$KOREA_APPROVER"}'
                    + ' ${KOREA_REASON:+--reason "$KOREA_REASON"} $KOREA_RENDER_ONLY',
            env: [KOREA_RESULT: cfg.result, KOREA_EVENT: cfg.event, KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment,
                  KOREA_VERSION: cfg.version, KOREA_DIGEST: cfg.digest, KOREA_APPROVER: cfg.approver, KOREA_REASON: cfg.reason,
                  KOREA_RENDER_ONLY: render ? '--render-only' : ''])
}
