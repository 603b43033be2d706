import com.cloudbees.groovy.cps.NonCPS
import groovy.transform.Field

// The whole korea.yaml flow in one line: Plan, Test, Build, Scan, then Deploy <environment> (production behind
// Approve production). Decisions are the engine's (which components, which stages, what a result means for Slack, when
// to roll back); this file only lays them out as Jenkins stages and reports the engine's outcome and reason.
@Field String STEP_NAME = 'koreaPipeline'
// What later stages need from earlier ones on other agents (the state directory sits next to korea.yaml).
@Field static final String STATE = '**/.korea/builds/**,**/.korea/images/**,**/.korea/scans/**'
@Field Map defaultConfig = [
    config: 'korea.yaml',          // path of korea.yaml in the workspace
    branch: null,                  // default: env.BRANCH_NAME
    base: null,                    // revision to diff against for changed components; default: checkout's GIT_PREVIOUS_SUCCESSFUL_COMMIT
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
        Map git = [:]
        stage('Plan') {
            onAgent(null, cfg) { Map checkedOut ->
                // A scripted pipeline has no GIT_* in env: checkout(scm) returns them (a declarative one sets env too).
                git.commit = checkedOut?.GIT_COMMIT ?: env.GIT_COMMIT
                git.base = cfg.base ?: checkedOut?.GIT_PREVIOUS_SUCCESSFUL_COMMIT ?: env.GIT_PREVIOUS_SUCCESSFUL_COMMIT
                Map run = koreaCli.run(name: 'plan', label: 'korea plan', config: cfg.config,
                        script: 'plan ${KOREA_BRANCH:+--branch "$KOREA_BRANCH"} ${KOREA_BASE:+--base "$KOREA_BASE"} ${KOREA_COMMIT:+--commit "$KOREA_COMMIT"}',
                        env: [KOREA_BRANCH: cfg.branch ?: env.BRANCH_NAME, KOREA_BASE: git.base, KOREA_COMMIT: git.commit])
                koreaCli.check(STEP_NAME, 'korea plan', run)
                if (run.result == null) {
                    error(STEP_NAME + ': korea plan wrote no result (its output above says why)')
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
        for (Map c : plan.components) {
            builds[c.name] = [outcomes: [:]]
        }
        if (plan.stages.contains('test')) {
            stage('Test') {
                parallel(branches(plan, cfg, git, builds, 'build') { Map c, int i ->
                    koreaBuild(component: c.name, tests: 'only', config: cfg.config, commit: git.commit)
                    builds[c.name].outcomes.test = koreaCli.lastResult(koreaCli.resultName('build', [c.name]))?.outcome
                })
            }
        }
        if (plan.stages.contains('build')) {
            stage('Build') { parallel(branches(plan, cfg, git, builds, 'build') { Map c, int i -> build(plan, cfg, git, c, i, builds) }) }
        }
        if (plan.stages.contains('scan')) {
            stage('Scan') { parallel(branches(plan, cfg, git, builds, 'scan') { Map c, int i -> scan(plan, cfg, c, i, builds) }) }
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
                        try {
                            for (Map c : plan.components) {
                                deploy(plan, cfg, git, c, builds, approver, approval)
                            }
                        } finally {
                            waveStages(plan)
                        }
                    }
                }
            }
            for (Map c : plan.components) {
                if (builds[c.name].outcomes.deploy == 'awaiting-promotion') {
                    promoteRollout(plan, cfg, c, builds, approval)
                }
            }
        }
        summary(plan, builds)
    }
}

/**
 * One parallel branch per component, each on its own agent, named after the component. A failure goes to Slack with
 * the command's result file (.korea/out/<command>-<component>.json): the engine picks the event from its outcome.
 */
private Map branches(Map plan, Map cfg, Map git, Map builds, String command, Closure work) {
    Map result = [:]
    for (int i = 0; i < plan.components.size(); i++) {
        Map component = plan.components[i]
        int index = i
        result[component.name] = {
            onAgent(plan, cfg) {
                try {
                    work.call(component, index)
                } catch (err) {
                    if (interruption(err).kind == 'error') {
                        notifyOutcome(plan, cfg, component.name, koreaCli.resultName(command, [component.name]),
                                builds[component.name]?.version ?: git.commit, err.message)
                    }
                    throw err
                }
            }
        }
    }
    return result
}

private void build(Map plan, Map cfg, Map git, Map c, int i, Map builds) {
    koreaBuild(component: c.name, tests: plan.stages.contains('test') ? 'skip' : 'run', config: cfg.config,
            registryCredentialsId: cfg.registryCredentialsId, commit: git.commit)
    Map b = koreaCli.lastResult(koreaCli.resultName('build', [c.name]))
    if (!b?.reference) {
        error(STEP_NAME + ': korea build reported no image reference for ' + c.name)
    }
    builds[c.name].putAll([image: b.reference, digest: b.digest, version: b.tags ? b.tags[0] : b.digest,
                           input: b.pushed ? null : b.tarball])
    builds[c.name].outcomes.build = b.outcome
    stash(name: 'korea-' + i, includes: STATE, allowEmpty: true)
}

private void scan(Map plan, Map cfg, Map c, int i, Map builds) {
    unstash('korea-' + i)
    Map b = builds[c.name]
    koreaScan(component: c.name, environment: plan.environment, image: b.input ? null : b.image, input: b.input,
            digest: b.digest, config: cfg.config)
    b.outcomes.scan = koreaCli.lastResult(koreaCli.resultName('scan', [c.name]))?.outcome
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
    List details = []
    for (Map c : plan.components) {
        Map b = builds[c.name]
        String digest = b.digest ? String.valueOf(b.digest) : 'no digest'
        lines.add(c.name + ' ' + b.version + ' (' + (digest.length() > 19 ? digest.substring(0, 19) : digest) + ')')
        details.add(c.name + ' ' + b.version + ': ' + b.image)
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
                                                description: 'Why (required, recorded with the deployment)'),
                                         text(name: 'KOREA_IMAGES', defaultValue: details.join('\n'),
                                                description: 'What this approval deploys (for reading: a change here is ignored)')])
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
            if (why.kind == 'superseded') {
                // a newer build passed the milestone and deploys instead: not a failure, nobody needs an alert
                echo('koreaPipeline: ' + why.text + '; not deploying this build')
                throw err
            }
            int minutes = plan.approval.timeoutMinutes
            String reason = why.kind == 'timeout' ? 'approval timed out after ' + minutes + (minutes == 1 ? ' minute' : ' minutes')
                    : why.kind == 'rejected' ? 'rejected by ' + why.user : 'approval failed: ' + err.message
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
        // no separate approved message: promote's started message says "approved by alice, bob: <reasons>" (issue 17)
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
    if (!run.ok) {
        notifyAll(plan, cfg, builds, 'failed', run.result?.message ?: 'korea approval record wrote no result', null)
        koreaCli.check(STEP_NAME, 'the approval record', run)
    }
    stash(name: 'korea-approval', includes: '**/.korea/approvals/**') // korea approval record wrote it
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
    return koreaCli.buildUser() ?: env.CHANGE_AUTHOR ?: commitAuthor ?: null
}

/**
 * korea promote deploys, verifies and rolls back by itself; this reports its outcome (koreaPromote fails with the
 * engine's reason) and never rolls back. With the token, korea promote tells Slack itself (started, success, failed,
 * rollback); through the Slack plugin, korea renders the started message and the one its result calls for.
 */
private void deploy(Map plan, Map cfg, Map git, Map c, Map builds, String approver, Map approval) {
    unstash('korea-' + plan.components.indexOf(c))
    Map b = builds[c.name]
    boolean plugin = plan.pipeline.notifyVia == 'jenkins'
    if (plugin) {
        notify(plan, cfg, [event: 'started', component: c.name, version: b.version, approver: approver,
                           reason: approval.reasons ? approval.reasons.join('; ') : null])
    }
    try {
        koreaPromote(component: c.name, environment: plan.environment, image: b.image, version: b.version,
                approvedBy: approval.approvers ?: null, requestedBy: approval.requester,
                reason: approval.reasons ? approval.reasons.join('; ') : null, approval: approval.record,
                commit: git.commit, config: cfg.config, kubeconfigCredentialsId: cfg.kubeconfigCredentialsId,
                gitCredentialsId: cfg.gitCredentialsId, prometheusCredentialsId: cfg.prometheusCredentialsId,
                slackCredentialsId: plugin || !plan.pipeline.notificationsEnabled ? null : plan.pipeline.slackCredentialsId)
    } finally {
        String name = koreaCli.resultName('promote', [c.name, plan.environment])
        Map result = koreaCli.lastResult(name)
        b.outcomes.deploy = result?.outcome
        b.deployMessage = result?.message // a paused rollout's instructions, shown on its input page
        if (plugin) {
            notifyOutcome(plan, cfg, c.name, name, b.version, 'korea promote wrote no result')
        }
    }
}

// ---- a paused rollout (issue 13): the environment's team promotes or aborts it ----------------------------------

/**
 * promote ended awaiting-promotion (a blue-green preview, a held canary): an input outside any agent whose submitter is
 * the environment's team (environments.E.team, carried by the plan; no team: anyone who may run the job), with a
 * reason; then korea rollout promote as that person (the engine checks the team again) or korea rollout abort, which
 * ends the build ABORTED. Nobody answering within the approval timeout leaves the rollout paused, as before.
 */
private void promoteRollout(Map plan, Map cfg, Map c, Map builds, Map approval) {
    String where = plan.environment
    Map b = builds[c.name]
    List team = plan.team ?: []
    long minutes = plan.approval.timeoutMinutes ?: 0
    Map answer = [decision: null, who: null, reason: null]
    stage('Promote ' + c.name + ' in ' + where) {
        Closure ask = {
            String note = ''
            while (answer.decision == null) {
                def given = input(id: 'Promote-' + (c.name + '-' + where).replaceAll('[^A-Za-z0-9._~-]', '-'), ok: 'Submit',
                        message: 'Promote the paused rollout of ' + c.name + ' ' + b.version + ' in ' + where +
                                (b.deployMessage ? ' (' + b.deployMessage + ')' : '') + note,
                        submitter: team ? team.join(',') : null, submitterParameter: 'KOREA_PROMOTER',
                        parameters: [choice(name: 'KOREA_DECISION', choices: ['promote', 'abort'],
                                            description: 'Promote: the new version takes all traffic; abort: traffic goes back to the stable one'),
                                     string(name: 'KOREA_REASON', defaultValue: '',
                                            description: 'Why (required, recorded with the rollout)')])
                Map values = given instanceof Map ? given : [:]
                String who = values.KOREA_PROMOTER ?: 'unknown'
                String reason = values.KOREA_REASON ? String.valueOf(values.KOREA_REASON).trim() : ''
                if (reason) {
                    answer.putAll([decision: values.KOREA_DECISION == 'abort' ? 'abort' : 'promote', who: who, reason: reason])
                } else {
                    note = '; a reason is required (' + who + ' gave none)'
                }
            }
        }
        try {
            if (minutes > 0) {
                timeout(time: minutes, unit: 'MINUTES') { ask.call() }
            } else {
                ask.call()
            }
        } catch (err) {
            Map why = interruption(err)
            if (why.kind == 'timeout') {
                echo('koreaPipeline: nobody promoted ' + c.name + ' in ' + where + ' within ' + minutes +
                        (minutes == 1 ? ' minute' : ' minutes') + '; the rollout stays paused (korea rollout promote or abort)')
                return
            }
            if (why.kind != 'rejected') {
                throw err
            }
            answer.putAll([decision: 'abort', who: why.user, reason: 'rejected on the input page'])
        }
        echo('koreaPipeline: ' + c.name + ' in ' + where + ': ' + answer.decision + ' by ' + answer.who + ': ' + answer.reason)
        boolean plugin = plan.pipeline.notifyVia == 'jenkins'
        String name = koreaCli.resultName('rollout', [answer.decision, c.name, where])
        lock(resource: 'korea-' + where, inversePrecedence: true) {
            onAgent(plan, cfg) {
                Map run
                try {
                    run = koreaCli.run(name: name, label: 'korea rollout ' + answer.decision + ' ' + c.name + ' in ' + where,
                            config: cfg.config, credentials: koreaCli.deployCredentials(cfg), step: STEP_NAME,
                            optional: koreaCli.slackCredentials(plugin || !plan.pipeline.notificationsEnabled ? null : plan.pipeline.slackCredentialsId),
                            script: 'rollout ' + answer.decision + ' --component "$KOREA_COMPONENT" --environment "$KOREA_ENVIRONMENT"' +
                                    (answer.decision == 'abort' ? ' --reason "$KOREA_REASON"'
                                            : ' --requested-by "$KOREA_REQUESTED_BY" ${KOREA_APPROVED_BY:+--approved-by "$KOREA_APPROVED_BY" --approval-source jenkins-input} ${BUILD_URL:+--build-url "$BUILD_URL"}'),
                            env: [KOREA_COMPONENT: c.name, KOREA_ENVIRONMENT: where, KOREA_REQUESTED_BY: answer.who,
                                  KOREA_APPROVED_BY: approval.approvers ? approval.approvers[0] : null,
                                  KOREA_REASON: 'aborted by ' + answer.who + ': ' + answer.reason])
                } finally {
                    archiveArtifacts(artifacts: '.korea/out/' + name + '.json', allowEmptyArchive: true)
                    b.outcomes.deploy = koreaCli.lastResult(name)?.outcome ?: b.outcomes.deploy
                    if (plugin) {
                        notifyOutcome(plan, cfg, c.name, name, b.version, 'korea rollout ' + answer.decision + ' wrote no result')
                    }
                }
                koreaCli.check(STEP_NAME, answer.decision + ' the rollout of ' + c.name + ' in ' + where, run)
                echo('koreaPipeline: ' + c.name + ' in ' + where + ': ' + run.result?.outcome +
                        (run.result?.message ? ': ' + run.result.message : ''))
            }
        }
        if (answer.decision == 'abort') {
            currentBuild.result = 'ABORTED'
        }
    }
}

/**
 * An environment with waves: korea promote ran every wave in one call (all clusters locked before the first, the
 * engine deciding when to stop and what to restore); one stage per wave draws what its result says each wave did.
 */
private void waveStages(Map plan) {
    for (Map w : (plan.waves ?: [])) {
        stage('Deploy ' + plan.environment + ': wave ' + w.wave) {
            List lines = []
            boolean stopped = false
            for (Map c : plan.components) {
                Map result = koreaCli.lastResult(koreaCli.resultName('promote', [c.name, plan.environment]))
                Map mine = null
                for (Map r : (result?.waves ?: [])) {
                    if (r.wave == w.wave) {
                        mine = r
                    }
                }
                lines << c.name + ' on ' + w.clusters.join(', ') + ': ' + (mine ? mine.outcome + ' (' + mine.message + ')' : 'not run')
                stopped = stopped || (mine != null && !(mine.outcome in ['deployed', 'skipped']))
            }
            echo(lines.join('\n'))
            if (stopped) {
                unstable('wave ' + w.wave + ' did not deploy: ' + lines.join('; '))
            }
        }
    }
}

/** Slack from a korea result file (the engine picks the event); without one, a plain failure with the reason. */
private void notifyOutcome(Map plan, Map cfg, String component, String name, String version, String reason) {
    String file = '.korea/out/' + name + '.json'
    notify(plan, cfg, fileExists(file) ? [result: file, component: component, version: version]
            : [event: 'failed', component: component, version: version, reason: reason])
}

private void notifyAll(Map plan, Map cfg, Map builds, String event, String reason, String approver) {
    for (Map c : plan.components) {
        notify(plan, cfg, [event: event, component: c.name, version: builds[c.name]?.version, reason: reason, approver: approver])
    }
}

/** korea notify takes no environment on a branch without one (it would refuse a name korea.yaml lacks). */
private void notify(Map plan, Map cfg, Map message) {
    if (plan.pipeline.notificationsEnabled) {
        koreaNotify([environment: plan.environment, via: plan.pipeline.notifyVia,
                     slackCredentialsId: plan.pipeline.slackCredentialsId, config: cfg.config] + message)
    }
}

/** What each component's stages ended with, as the engine reported them (the korea run summary's columns). */
private void summary(Map plan, Map builds) {
    List lines = ['koreaPipeline: summary: ' + (plan.environment ?: 'no environment')]
    for (Map c : plan.components) {
        Map outcomes = builds[c.name].outcomes
        List cells = []
        for (String s : ['test', 'build', 'scan', 'deploy']) {
            cells.add(s + ' ' + (outcomes[s] ?: '-'))
        }
        lines.add('  ' + c.name + ': ' + cells.join(', '))
    }
    echo(lines.join('\n'))
}

/** Runs body on the agent korea.yaml asks for: a pod (Kubernetes plugin) or node(label); always checked out. */
private void onAgent(Map plan, Map cfg, Closure body) {
    String label = cfg.agent ?: plan?.pipeline?.agent
    if (plan?.pipeline?.kubernetesAgent) {
        boolean started = false
        try {
            podTemplate(yaml: plan.pipeline.podYaml ?: libraryResource(plan.pipeline.podTemplate)) {
                started = true
                node(env.POD_LABEL) { container('korea') { body.call(checkout(scm)) } }
            }
            return
        } catch (NoSuchMethodError missing) {
            if (started) {
                throw missing
            }
            echo('koreaPipeline: korea.yaml asks for a Kubernetes pod but the Kubernetes plugin is not installed; using node')
        }
    }
    if (label) {
        node(label) { body.call(checkout(scm)) }
    } else {
        node { body.call(checkout(scm)) }
    }
}

/** Tells a timeout, a rejection and a newer build's milestone apart by cause class name (no Jenkins class needed). */
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
        if (type.endsWith('CancelledCause')) {
            return [kind: 'superseded', text: String.valueOf(cause.shortDescription)]
        }
        if (type.endsWith('Rejection')) {
            return [kind: 'rejected', user: cause.user == null ? 'unknown' : String.valueOf(cause.user.id)]
        }
    }
    return [kind: 'aborted']
}
