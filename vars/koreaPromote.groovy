import groovy.transform.Field

// Deploys an image to an environment with `korea promote`; result in .korea/out/promote.json.
@Field String STEP_NAME = 'koreaPromote'
@Field Map defaultConfig = [
    component: null,               // required: a component name from korea.yaml
    environment: null,             // required: an environment name from korea.yaml
    image: null,                   // image reference; default: the last koreaBuild result
    approvedBy: null,              // who approved (required by the engine where korea.yaml asks for approval)
    approvalSource: 'jenkins-input', // how approval was given, recorded with the deployment
    timeout: null,                 // rollout timeout, e.g. '30m'; default: korea.yaml
    config: 'korea.yaml',          // path of korea.yaml in the workspace
    confirm: false,                // blue-green: switch the preview to active in the same run
    kubeconfigCredentialsId: null, // file credential -> KUBECONFIG (what korea and kubectl read)
    slackCredentialsId: null,      // string credential -> KOREA_SLACK_TOKEN (engine notifications)
]
@Field static final Map EXITS = [10: 'refused by a gate', 11: 'another promotion holds the lock',
                                 20: 'failed and was rolled back', 21: 'failed and the rollback failed too']

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['component', 'environment'])
    String image = cfg.image ?: koreaCli.lastResult('build')?.reference
    if (!image) {
        error(STEP_NAME + ': argument image is required (or run koreaBuild first)')
    }
    List credentials = []
    if (cfg.kubeconfigCredentialsId) {
        credentials.add(file(credentialsId: cfg.kubeconfigCredentialsId, variable: 'KUBECONFIG'))
    }
    if (cfg.slackCredentialsId) {
        credentials.add(string(credentialsId: cfg.slackCredentialsId, variable: 'KOREA_SLACK_TOKEN'))
    }
    try {
        Map run = koreaCli.run(name: 'promote', label: 'korea promote ' + cfg.component + ' to ' + cfg.environment,
                config: cfg.config, credentials: credentials,
                script: 'promote --component "$KOREA_COMPONENT" --environment "$KOREA_ENVIRONMENT" --image "$KOREA_IMAGE"'
                        + ' ${KOREA_APPROVED_BY:+--approved-by "$KOREA_APPROVED_BY" --approval-source "$KOREA_APPROVAL_SOURCE"}'
                        + ' --build-url "$BUILD_URL" ${GIT_COMMIT:+--commit "$GIT_COMMIT"}'
                        + ' ${KOREA_TIMEOUT:+--timeout "$KOREA_TIMEOUT"} $KOREA_CONFIRM',
                env: [KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment, KOREA_IMAGE: image,
                      KOREA_APPROVED_BY: cfg.approvedBy, KOREA_APPROVAL_SOURCE: cfg.approvalSource,
                      KOREA_TIMEOUT: cfg.timeout, KOREA_CONFIRM: cfg.confirm ? '--confirm' : ''])
        if (run.status != 0) {
            String what = EXITS[run.status] ?: 'failed (exit ' + run.status + ')'
            error(STEP_NAME + ': deploying ' + cfg.component + ' to ' + cfg.environment + ' ' + what +
                    (run.result?.message ? ': ' + run.result.message : ''))
        }
    } finally {
        archiveArtifacts(artifacts: '.korea/out/promote.json', allowEmptyArchive: true)
    }
}
