import com.cloudbees.groovy.cps.NonCPS
import groovy.transform.Field

// The whole korea.yaml flow in one line: Plan, Test, Build, Scan, then Deploy <environment> (production behind
// Approve production). Decisions are the engine's; this file only lays them out as Jenkins stages.
@Field String STEP_NAME = 'koreaPipeline'
// What later stages need from earlier ones on other agents (the state directory sits next to korea.yaml).
@Field static final String STATE = '**/.korea/builds/**,**/.korea/images/**,**/.korea/scans/**'
@Field Map defaultConfig = [
    config: 'korea.yaml',          // path of korea.yaml in the workspace
    branch: null,                  // default: env.BRANCH_NAME
    base: null,                    // revision to diff against for changed components; default: env.GIT_PREVIOUS_SUCCESSFUL_COMMIT
    agent: null,                   // agent label; default: jenkins.agent in korea.yaml (any agent when unset)
    cliUrl: null,                  // where to fetch the korea jar when the agent has none ({version} is filled in)
    cliSha256: null,               // SHA-256 the fetched jar must have
    registryCredentialsId: null,   // usernamePassword credential for the image registry
    kubeconfigCredentialsId: null, // file credential with the kubeconfig for deployments (KUBECONFIG)
    gitCredentialsId: null,        // usernamePassword credential for GitOps pushes (KOREA_GIT_USERNAME/KOREA_GIT_TOKEN)
    prometheusCredentialsId: null, // string credential with a Prometheus bearer token (KOREA_PROMETHEUS_TOKEN)
]

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters)
    if (cfg.cliUrl && !cfg.cliSha256) {
        error(STEP_NAME + ': cliUrl needs cliSha256: a downloaded CLI is only run when its checksum matches')
    }
    List cli = cfg.cliUrl ? ['KOREA_CLI_URL=' + cfg.cliUrl, 'KOREA_CLI_SHA256=' + cfg.cliSha256] : []
    withEnv(cli) {
        Map plan = null
        stage('Plan') {
            onAgent(null, cfg) {
                Map run = koreaCli.run(name: 'plan', label: 'korea plan', config: cfg.config,
                        script: 'plan ${KOREA_BRANCH:+--branch "$KOREA_BRANCH"} ${KOREA_BASE:+--base "$KOREA_BASE"} ${KOREA_COMMIT:+--commit "$KOREA_COMMIT"}',
                        env: [KOREA_BRANCH: cfg.branch ?: env.BRANCH_NAME, KOREA_BASE: cfg.base ?: env.GIT_PREVIOUS_SUCCESSFUL_COMMIT,
                              KOREA_COMMIT: env.GIT_COMMIT])
                if (run.status != 0 || run.result == null) {
                    error(STEP_NAME + ': korea plan failed (exit ' + run.status + ')')
                }
                plan = run.result
                echo('koreaPipeline: ' + plan.reason)
            }
        }
        if (plan.components.isEmpty()) {
            echo('koreaPipeline: no component changed; nothing to build or deploy')
            return
        }
        Map builds = [:]
        if (plan.stages.contains('test')) {
            stage('Test') { parallel(branches(plan, cfg, builds, 'failed') { Map c, int i -> koreaBuild(component: c.name, tests: 'only', config: cfg.config) }) }
        }
        if (plan.stages.contains('build')) {
            stage('Build') { parallel(branches(plan, cfg, builds, 'failed') { Map c, int i -> build(plan, cfg, c, i, builds) }) }
        }
        if (plan.stages.contains('scan')) {
            stage('Scan') { parallel(branches(plan, cfg, builds, 'scan-failed') { Map c, int i -> scan(cfg, c, i, builds) }) }
        }
        if (plan.environment && plan.stages.contains('deploy')) {
            String approver = plan.approval.required ? approve(plan, cfg, builds) : null
            stage('Deploy ' + plan.environment) {
                lock(resource: 'korea-' + plan.environment, inversePrecedence: true) {
                    onAgent(plan, cfg) {
                        for (Map c : plan.components) {
                            deploy(plan, cfg, c, builds, approver)
                        }
                    }
                }
            }
        }
    }
}

/** One parallel branch per component, each on its own agent, named after the component; failures go to Slack. */
private Map branches(Map plan, Map cfg, Map builds, String failureEvent, Closure work) {
    Map result = [:]
    for (int i = 0; i < plan.components.size(); i++) {
        Map component = plan.components[i]
        int index = i
        result[component.name] = {
            onAgent(plan, cfg) {
                try {
                    work.call(component, index)
                } catch (err) {
                    notify(plan, cfg, failureEvent, component.name, builds[component.name]?.version ?: env.GIT_COMMIT, err.message, null)
                    throw err
                }
            }
        }
    }
    return result
}

private void build(Map plan, Map cfg, Map c, int i, Map builds) {
    koreaBuild(component: c.name, tests: plan.stages.contains('test') ? 'skip' : 'run', config: cfg.config,
            registryCredentialsId: cfg.registryCredentialsId)
    Map b = koreaCli.lastResult('build')
    if (!b?.reference) {
        error(STEP_NAME + ': korea build reported no image reference for ' + c.name)
    }
    builds[c.name] = [image: b.reference, digest: b.digest, version: b.tags ? b.tags[0] : b.digest,
                      input: b.pushed ? null : b.tarball]
    stash(name: 'korea-' + i, includes: STATE, allowEmpty: true)
}

private void scan(Map cfg, Map c, int i, Map builds) {
    unstash('korea-' + i)
    Map b = builds[c.name]
    koreaScan(component: c.name, image: b.input ? null : b.image, input: b.input, digest: b.digest, config: cfg.config)
    stash(name: 'korea-' + i, includes: STATE, allowEmpty: true)
}

/** milestone, Approve stage, timeout + input outside any agent, milestone: returns the approver. */
private String approve(Map plan, Map cfg, Map builds) {
    String where = plan.environment
    List lines = []
    for (Map c : plan.components) {
        lines.add(c.name + ' ' + builds[c.name].version + ' (' + builds[c.name].digest + ')')
    }
    milestone(ordinal: 1, label: 'Before approval')
    String approver = null
    stage('Approve ' + where) {
        onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'awaiting-approval', null, null) }
        try {
            timeout(time: plan.approval.timeoutMinutes, unit: 'MINUTES') {
                def answer = input(id: 'Approve-' + where.replaceAll('[^A-Za-z0-9._~-]', '-'), ok: 'Deploy',
                        message: 'Deploy to ' + where + ': ' + lines.join(', '),
                        submitter: plan.approval.submitters.join(','), submitterParameter: 'KOREA_APPROVER')
                approver = (answer instanceof Map ? answer.KOREA_APPROVER : answer) ?: 'unknown'
            }
        } catch (err) {
            Map why = interruption(err)
            String reason = why.kind == 'timeout' ? 'approval timed out after ' + plan.approval.timeoutMinutes +
                    ' minutes' : why.kind == 'rejected' ? 'rejected by ' + why.user : 'approval failed: ' + err.message
            echo('koreaPipeline: ' + reason)
            onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'failed', reason, null) }
            throw err
        }
        onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'approved', null, approver) }
    }
    milestone(ordinal: 2, label: 'Approved')
    return approver
}

private void deploy(Map plan, Map cfg, Map c, Map builds, String approver) {
    int i = plan.components.indexOf(c)
    unstash('korea-' + i)
    String version = builds[c.name]?.version
    notify(plan, cfg, 'started', c.name, version, null, approver)
    try {
        koreaPromote(component: c.name, environment: plan.environment, image: builds[c.name]?.image, version: version,
                approvedBy: approver, config: cfg.config, kubeconfigCredentialsId: cfg.kubeconfigCredentialsId,
                gitCredentialsId: cfg.gitCredentialsId, prometheusCredentialsId: cfg.prometheusCredentialsId)
    } catch (err) {
        String outcome = koreaCli.lastResult('promote')?.outcome
        if (outcome == 'rolled-back') {
            notify(plan, cfg, 'rollback', c.name, version, err.message, null)
        } else if (outcome || String.valueOf(err.message).contains('stopped before deploying')) {
            // refused, rollback-failed, failed and left as it is (rollback.automatic: false), or never started
            notify(plan, cfg, 'failed', c.name, version, err.message, null)
        } else {
            rollBack(plan, cfg, c, version, err.message)
        }
        throw err
    }
    Map result = koreaCli.lastResult('promote')
    if (result?.outcome == 'awaiting-promotion') {
        // a blue-green preview (or an indefinite canary pause) waits for `korea rollout promote`
        notify(plan, cfg, 'awaiting-approval', c.name, version, result.message, approver)
    } else {
        notify(plan, cfg, 'success', c.name, version, null, approver)
    }
}

/** A rollout that failed without the engine rolling it back: roll back here, and say so. */
private void rollBack(Map plan, Map cfg, Map c, String version, String failure) {
    try {
        koreaRollback(component: c.name, environment: plan.environment, reason: 'promotion failed: ' + failure,
                config: cfg.config, kubeconfigCredentialsId: cfg.kubeconfigCredentialsId,
                gitCredentialsId: cfg.gitCredentialsId, prometheusCredentialsId: cfg.prometheusCredentialsId)
        notify(plan, cfg, 'rollback', c.name, version, failure, null)
    } catch (rollbackError) {
        notify(plan, cfg, 'failed', c.name, version, failure + '; rollback failed too: ' + rollbackError.message, null)
    }
}

private void notifyAll(Map plan, Map cfg, Map builds, String event, String reason, String approver) {
    for (Map c : plan.components) {
        notify(plan, cfg, event, c.name, builds[c.name]?.version, reason, approver)
    }
}

/** korea notify takes no environment on a branch without one (it would refuse a name korea.yaml lacks). */
private void notify(Map plan, Map cfg, String event, String component, String version, String reason, String approver) {
    if (plan.pipeline.notificationsEnabled) {
        koreaNotify(event: event, component: component, environment: plan.environment, version: version,
                approver: approver, reason: reason, via: plan.pipeline.notifyVia,
                slackCredentialsId: plan.pipeline.slackCredentialsId, config: cfg.config)
    }
}

/** Runs body on the agent korea.yaml asks for: a pod (Kubernetes plugin) or node(label); always checked out. */
private void onAgent(Map plan, Map cfg, Closure body) {
    String label = cfg.agent ?: plan?.pipeline?.agent
    if (plan?.pipeline?.kubernetesAgent) {
        try {
            podTemplate(yaml: plan.pipeline.podYaml ?: libraryResource(plan.pipeline.podTemplate)) {
                node(env.POD_LABEL) { container('korea') { checkout(scm); body.call() } }
            }
            return
        } catch (NoSuchMethodError missing) {
            if (!String.valueOf(missing.message).contains("'podTemplate'")) {
                throw missing
            }
            echo('koreaPipeline: korea.yaml asks for a Kubernetes pod but the Kubernetes plugin is not installed; using node')
        }
    }
    if (label) {
        node(label) { checkout(scm); body.call() }
    } else {
        node { checkout(scm); body.call() }
    }
}

/** Tells a timeout from a rejection by cause class name, so no Jenkins class is needed to compile. */
@NonCPS
private Map interruption(Throwable err) {
    if (!err.getClass().getName().endsWith('FlowInterruptedException')) {
        return [kind: 'error']
    }
    for (def cause : err.causes) {
        String type = cause.getClass().getName()
        if (type.endsWith('ExceededTimeout')) {
            return [kind: 'timeout']
        }
        if (type.endsWith('Rejection')) {
            return [kind: 'rejected', user: cause.user == null ? 'unknown' : String.valueOf(cause.user.id)]
        }
    }
    return [kind: 'aborted']
}
