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
    approvalKeyCredentialsId: null, // string credential signing approval records (KOREA_APPROVAL_KEY; see docs/change-control.md)
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
                if (plan.approval?.required) {
                    // the requester of a push is its commit author: the engine refuses them as an approver
                    plan.commitAuthor = sh(script: 'git log -1 --format=%an 2>/dev/null || true', returnStdout: true,
                            label: 'commit author').trim()
                }
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
            Map approval = plan.approval.required ? approve(plan, cfg, builds) : [approvers: []]
            if (approval == null) {
                return // rejected with a reason: the build ends ABORTED
            }
            String approver = approval.approvers ? approval.approvers.join(', ') : null
            stage('Deploy ' + plan.environment) {
                lock(resource: 'korea-' + plan.environment, inversePrecedence: true) {
                    onAgent(plan, cfg) {
                        if (approval.record) {
                            unstash('korea-approval')
                        }
                        for (Map c : plan.components) {
                            deploy(plan, cfg, c, builds, approver, approval)
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

// ---- change control (issue 13): quorum of inputs, reasons, requester, signed approval record ---------------------

/**
 * milestone, Approve stage, then one input after another outside any agent under one shared timeout until
 * plan.approval.quorum distinct people approved (the same person twice counts once), each with a reason; then
 * the engine checks and signs the approval record (korea approval record), which is archived. Returns
 * [approvers, reasons, requester, record], or null when someone rejected with a reason (the build is ABORTED).
 */
private Map approve(Map plan, Map cfg, Map builds) {
    String where = plan.environment
    int quorum = plan.approval.quorum ?: 1
    String requester = requester(plan.commitAuthor)
    List lines = []
    for (Map c : plan.components) {
        lines.add(c.name + ' ' + builds[c.name].version + ' (' + builds[c.name].digest + ')')
    }
    milestone(ordinal: 1, label: 'Before approval')
    List approvers = []
    List reasons = []
    String rejection = null
    stage('Approve ' + where) {
        onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'awaiting-approval', null, null) }
        try {
            timeout(time: plan.approval.timeoutMinutes, unit: 'MINUTES') {
                String note = ''
                while (approvers.size() < quorum && rejection == null) {
                    String progress = quorum > 1 ? ' [' + approvers.size() + ' of ' + quorum + ' approvals' +
                            (approvers ? ': ' + approvers.join(', ') : '') + ']' : ''
                    def answer = input(id: 'Approve-' + where.replaceAll('[^A-Za-z0-9._~-]', '-'), ok: 'Submit',
                            message: 'Deploy to ' + where + ': ' + lines.join(', ') + progress +
                                    (requester ? '; requested by ' + requester : '') + note,
                            submitter: plan.approval.submitters.join(','), submitterParameter: 'KOREA_APPROVER',
                            parameters: [choice(name: 'KOREA_DECISION', choices: ['approve', 'reject'],
                                                description: 'Approve or reject the deployment'),
                                         string(name: 'KOREA_REASON', defaultValue: '',
                                                description: 'Why (required, recorded with the deployment)')])
                    Map given = answer instanceof Map ? answer : [:]
                    String who = given.KOREA_APPROVER ?: 'unknown'
                    String reason = given.KOREA_REASON ? String.valueOf(given.KOREA_REASON).trim() : ''
                    if (!reason) {
                        note = '; a reason is required (' + who + ' gave none)'
                    } else if (given.KOREA_DECISION == 'reject') {
                        rejection = 'rejected by ' + who + ': ' + reason
                    } else if (approvedAlready(approvers, who)) {
                        note = '; ' + who + ' already approved: another person must'
                    } else {
                        approvers.add(who)
                        reasons.add(reason)
                        note = ''
                        echo('koreaPipeline: ' + approvers.size() + ' of ' + quorum + ' approvals: ' + approvers.join(', '))
                    }
                }
            }
        } catch (err) {
            Map why = interruption(err)
            String reason = why.kind == 'timeout' ? 'approval timed out after ' + plan.approval.timeoutMinutes +
                    ' minutes' : why.kind == 'rejected' ? 'rejected by ' + why.user : 'approval failed: ' + err.message
            echo('koreaPipeline: ' + reason)
            onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'failed', reason, null) }
            throw err
        }
        if (rejection) {
            echo('koreaPipeline: ' + rejection)
            onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'failed', rejection, null) }
            currentBuild.result = 'ABORTED'
            return
        }
        onAgent(plan, cfg) { notifyAll(plan, cfg, builds, 'approved', null, approvers.join(', ')) }
    }
    if (rejection) {
        return null
    }
    String record = null
    if (plan.approval.signingKeyRequired || cfg.approvalKeyCredentialsId) {
        onAgent(plan, cfg) { record = recordApproval(plan, cfg, builds, approvers, reasons, requester, lines) }
    }
    milestone(ordinal: 2, label: 'Approved')
    return [approvers: approvers, reasons: reasons, requester: requester, record: record]
}

/** korea approval record: the engine checks the approvals and signs them; the record is archived and stashed. */
private String recordApproval(Map plan, Map cfg, Map builds, List approvers, List reasons, String requester, List lines) {
    Map inputs = [KOREA_ENVIRONMENT: plan.environment, KOREA_REQUESTED_BY: requester, KOREA_PLAN: lines.join(', ')]
    String args = ''
    for (int i = 0; i < plan.components.size(); i++) {
        inputs['KOREA_IMAGE_' + i] = plan.components[i].name + '=' + builds[plan.components[i].name].digest
        args += ' --image "$KOREA_IMAGE_' + i + '"'
    }
    for (int i = 0; i < approvers.size(); i++) {
        inputs['KOREA_APPROVER_' + i] = approvers[i]
        inputs['KOREA_REASON_' + i] = reasons[i]
        args += ' --approved-by "$KOREA_APPROVER_' + i + '" --reason "$KOREA_REASON_' + i + '"'
    }
    Map run = koreaCli.run(name: 'approval', label: 'korea approval record', config: cfg.config,
            credentials: cfg.approvalKeyCredentialsId ? [string(credentialsId: cfg.approvalKeyCredentialsId, variable: 'KOREA_APPROVAL_KEY')] : [],
            script: 'approval record --environment "$KOREA_ENVIRONMENT"' + args +
                    ' ${KOREA_REQUESTED_BY:+--requested-by "$KOREA_REQUESTED_BY"} --plan "$KOREA_PLAN" ${BUILD_URL:+--build-url "$BUILD_URL"}',
            env: inputs)
    archiveArtifacts(artifacts: '.korea/out/approval.json,**/.korea/approvals/*.json', allowEmptyArchive: true)
    if (run.status != 0) {
        String message = run.result?.message ?: 'korea approval record failed (exit ' + run.status + ')'
        notifyAll(plan, cfg, builds, 'failed', message, null)
        error(STEP_NAME + ': the approval was refused: ' + message)
    }
    stash(name: 'korea-approval', includes: '**/.korea/approvals/**')
    return run.result.file
}

/** Jenkins user ids compare case-insensitively (the default IdStrategy): the same person twice counts once. */
private boolean approvedAlready(List approvers, String who) {
    for (String a : approvers) {
        if (a.equalsIgnoreCase(who)) {
            return true
        }
    }
    return false
}

/** Who started the run: the build's user cause, else the commit author of a push (read in the Plan stage). */
private String requester(String commitAuthor) {
    def causes = currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause')
    if (causes && causes[0].userId) {
        return String.valueOf(causes[0].userId)
    }
    return env.CHANGE_AUTHOR ?: commitAuthor ?: null
}

private void deploy(Map plan, Map cfg, Map c, Map builds, String approver, Map approval) {
    int i = plan.components.indexOf(c)
    unstash('korea-' + i)
    String version = builds[c.name]?.version
    notify(plan, cfg, 'started', c.name, version, null, approver)
    try {
        koreaPromote(component: c.name, environment: plan.environment, image: builds[c.name]?.image, version: version,
                approvedBy: approval.approvers ?: null, requestedBy: approval.requester, reason: approval.reasons ? approval.reasons.join('; ') : null,
                approval: approval.record, config: cfg.config, kubeconfigCredentialsId: cfg.kubeconfigCredentialsId,
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
