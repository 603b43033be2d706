import groovy.transform.Field

// Rolls a component back to its previous (or a given) revision with `korea rollback`.
@Field String STEP_NAME = 'koreaRollback'
@Field Map defaultConfig = [
    component: null,               // required: a component name from korea.yaml
    environment: null,             // required: an environment name from korea.yaml
    toRevision: null,              // revision to return to; default: the previous one
    reason: null,                  // why, recorded with the rollback
    requestedBy: null,             // who asked for it (default: the user who started the build); the engine checks it against environments.E.team
    config: 'korea.yaml',          // path of korea.yaml in the workspace
    kubeconfigCredentialsId: null, // file credential -> KUBECONFIG
    gitCredentialsId: null,        // usernamePassword credential -> KOREA_GIT_USERNAME/KOREA_GIT_TOKEN (GitOps)
    prometheusCredentialsId: null, // string credential -> KOREA_PROMETHEUS_TOKEN (health after the rollback)
    slackCredentialsId: null,      // string credential -> KOREA_SLACK_TOKEN: korea itself tells Slack (a missing one: a warning)
    askTeam: true,                 // called outside node: ask the environment's team (environments.E.team) with an input first; false for automation
    agent: null,                   // agent label for the korea commands when called outside node (default: any agent)
    timeoutMinutes: 60,            // how long the team's input waits
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['component', 'environment'])
    if (env.NODE_NAME) {
        rollback(cfg) // inside node an input would hold the executor: the engine's team check guards it
        return
    }
    List team = []
    if (cfg.askTeam) koreaCli.onAgent(cfg.agent) { // korea validate lists each environment's team
        Map run = koreaCli.run(name: 'validate', label: 'korea validate', config: cfg.config, script: 'validate')
        koreaCli.check(STEP_NAME, 'reading korea.yaml', run)
        team = run.result?.teams ? (run.result.teams[cfg.environment] ?: []) : []
    }
    if (team) { // who confirmed is the requester (the engine checks the team again) and gave the reason
        Map answer = koreaCli.askTeam(id: 'Rollback-' + cfg.component + '-' + cfg.environment, ok: 'Roll back', team: team,
                minutes: cfg.timeoutMinutes, reason: cfg.reason, message: 'Roll back ' + cfg.component + ' in ' + cfg.environment +
                (cfg.toRevision ? ' to revision ' + cfg.toRevision : ' to the previous revision'))
        cfg.putAll([requestedBy: answer.who, reason: answer.reason])
    }
    koreaCli.onAgent(cfg.agent) { rollback(cfg) }
}

private void rollback(Map cfg) {
    String name = koreaCli.resultName('rollback', [cfg.component, cfg.environment])
    try {
        Map run = koreaCli.run(name: name, label: 'korea rollback ' + cfg.component + ' in ' + cfg.environment,
                config: cfg.config, credentials: koreaCli.deployCredentials(cfg), step: STEP_NAME, optional: koreaCli.slackCredentials(cfg.slackCredentialsId),
                script: 'rollback --component "$KOREA_COMPONENT" --environment "$KOREA_ENVIRONMENT"'
                        + ' ${KOREA_TO_REVISION:+--to-revision "$KOREA_TO_REVISION"} ${KOREA_REASON:+--reason "$KOREA_REASON"}'
                        + ' ${KOREA_REQUESTED_BY:+--requested-by "$KOREA_REQUESTED_BY"} ${BUILD_URL:+--build-url "$BUILD_URL"}',
                env: [KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment,
                      KOREA_TO_REVISION: cfg.toRevision, KOREA_REASON: cfg.reason, KOREA_REQUESTED_BY: cfg.requestedBy ?: koreaCli.buildUser()])
        // the contract gives outcome rolled-back exit 20 everywhere; for the manual procedure it is the goal reached
        koreaCli.check(STEP_NAME, 'rolling back ' + cfg.component + ' in ' + cfg.environment,
                run.result?.outcome == 'rolled-back' ? [ok: true] : run)
        echo(STEP_NAME + ': ' + cfg.component + ' in ' + cfg.environment + ': ' + run.result?.outcome +
                (run.result?.message ? ': ' + run.result.message : ''))
    } finally {
        archiveArtifacts(artifacts: '.korea/out/' + name + '.json', allowEmptyArchive: true)
    }
}
