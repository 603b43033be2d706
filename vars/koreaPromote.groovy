import groovy.transform.Field

// Deploys an image to an environment with `korea promote`; result in .korea/out/promote-<component>-<environment>.json.
// The engine rolls a failed deployment back itself; this step reports its outcome and reason, and never rolls back.
@Field String STEP_NAME = 'koreaPromote'
@Field Map defaultConfig = [
    component: null,               // required: a component name from korea.yaml
    environment: null,             // required: an environment name from korea.yaml
    image: null,                   // image reference; default: the component's last koreaBuild result
    version: null,                 // version label for people and the record; default: the image tag
    approvedBy: null,              // who approved (required by the engine where korea.yaml asks for approval); a list for a quorum
    requestedBy: null,             // who started the run (default: the build's user); the engine refuses self-approval and checks the team
    reason: null, approval: null,  // why it was approved; signed approval record file (korea approval record)
    approvalSource: 'jenkins-input', // how approval was given, recorded with the deployment
    commit: null,                  // git commit deployed, for the record; default: env.GIT_COMMIT
    timeout: null,                 // rollout timeout, e.g. '30m'; default: korea.yaml
    config: 'korea.yaml',          // path of korea.yaml in the workspace
    confirm: false,                // blue-green: switch the preview to active in the same run
    kubeconfigCredentialsId: null, // file credential -> KUBECONFIG (the kubeconfig korea reads)
    gitCredentialsId: null,        // usernamePassword credential -> KOREA_GIT_USERNAME/KOREA_GIT_TOKEN (GitOps pushes)
    prometheusCredentialsId: null, // string credential -> KOREA_PROMETHEUS_TOKEN (analysis during the rollout)
    slackCredentialsId: null,      // string credential -> KOREA_SLACK_TOKEN: korea itself tells Slack (a missing one: a warning)
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['component', 'environment'])
    String image = cfg.image ?: koreaCli.lastResult(koreaCli.resultName('build', [cfg.component]))?.reference
    if (!image) {
        error(STEP_NAME + ': argument image is required (or run koreaBuild for ' + cfg.component + ' first)')
    }
    List approvers = cfg.approvedBy instanceof List ? cfg.approvedBy : (cfg.approvedBy ? [cfg.approvedBy] : [])
    Map inputs = [KOREA_APPROVED_BY: approvers ? approvers[0] : null]
    String more = '' // a quorum: values reach the shell only as variables; the script names them by number
    for (int i = 1; i < approvers.size(); i++) { inputs['KOREA_APPROVED_BY_' + i] = approvers[i]; more += ' --approved-by "$KOREA_APPROVED_BY_' + i + '"' }
    String name = koreaCli.resultName('promote', [cfg.component, cfg.environment])
    try {
        Map run = koreaCli.run(name: name, label: 'korea promote ' + cfg.component + ' to ' + cfg.environment,
                config: cfg.config, credentials: koreaCli.deployCredentials(cfg), step: STEP_NAME, optional: koreaCli.slackCredentials(cfg.slackCredentialsId),
                script: 'promote --component "$KOREA_COMPONENT" --environment "$KOREA_ENVIRONMENT" --image "$KOREA_IMAGE"'
                        + ' ${KOREA_VERSION:+--version "$KOREA_VERSION"}'
                        + ' ${KOREA_APPROVED_BY:+--approved-by "$KOREA_APPROVED_BY" --approval-source "$KOREA_APPROVAL_SOURCE"}'
                        + more + ' ${KOREA_REQUESTED_BY:+--requested-by "$KOREA_REQUESTED_BY"}'
                        + ' ${KOREA_REASON:+--reason "$KOREA_REASON"} ${KOREA_APPROVAL:+--approval "$KOREA_APPROVAL"}'
                        + ' ${BUILD_URL:+--build-url "$BUILD_URL"} ${KOREA_COMMIT:+--commit "$KOREA_COMMIT"}'
                        + ' ${KOREA_TIMEOUT:+--timeout "$KOREA_TIMEOUT"} $KOREA_CONFIRM',
                env: [KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment, KOREA_IMAGE: image,
                      KOREA_VERSION: cfg.version, KOREA_APPROVAL_SOURCE: cfg.approvalSource,
                      KOREA_REQUESTED_BY: cfg.requestedBy ?: koreaCli.buildUser(), KOREA_REASON: cfg.reason, KOREA_APPROVAL: cfg.approval,
                      KOREA_COMMIT: cfg.commit ?: env.GIT_COMMIT, KOREA_TIMEOUT: cfg.timeout,
                      KOREA_CONFIRM: cfg.confirm ? '--confirm' : ''] + inputs)
        koreaCli.check(STEP_NAME, 'deploying ' + cfg.component + ' to ' + cfg.environment, run)
        echo(STEP_NAME + ': ' + cfg.component + ' in ' + cfg.environment + ': ' + run.result?.outcome +
                (run.result?.message ? ': ' + run.result.message : ''))
    } finally {
        archiveArtifacts(artifacts: '.korea/out/' + name + '.json', allowEmptyArchive: true)
    }
}
