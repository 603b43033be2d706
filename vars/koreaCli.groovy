import com.cloudbees.groovy.cps.NonCPS
import groovy.transform.Field

// Shared helper of the korea* steps (the piperExecuteBin pattern): runs one korea command on the current agent.
@Field String STEP_NAME = 'koreaCli'
@Field static final String LAUNCH = 'sh "$KOREA_LAUNCHER" '
@Field static final String COMMON = ' --config "$KOREA_CONFIG" --format "$KOREA_FORMAT" --output "$KOREA_OUTPUT"'
@Field static final String RESOURCES = 'com/koreapublicdata/pipeline/'

/**
 * Runs `korea <script>` and returns [ok: whether it exited 0, result: the JSON it wrote (a Map) or null].
 * args.name: result file (.korea/out/NAME.FORMAT; see resultName); args.format: json (default), junit, sarif or html;
 * args.script: constant shell text after "korea";
 * args.label: what the stage view shows; args.env: KOREA_* inputs (values reach the shell only as variables);
 * args.credentials: withCredentials bindings; args.optional: bindings that may be missing (Slack): a missing one is
 * one warning naming args.step, and the command runs without it, or with args.needsOptional does not run at all
 * ([ok: true, result: null, skipped: true]); args.config: korea.yaml path.
 * A failed command fails its `sh` (the step is red in the stage view) and is caught here: the engine's JSON result
 * says what happened, and the calling step reports it (see check).
 */
Map run(Map args) {
    String format = args.format ?: 'json'
    String out = '.korea/out/' + args.name + '.' + format
    writeFile(file: '.korea/bin/korea', text: libraryResource(RESOURCES + 'korea-launcher.sh'))
    List pairs = ['KOREA_LAUNCHER=' + env.WORKSPACE + '/.korea/bin/korea', 'KOREA_OUTPUT=' + out,
                  'KOREA_FORMAT=' + format, 'KOREA_CONFIG=' + (args.config ?: 'korea.yaml')]
    Map inputs = args.env ?: [:]
    for (String key : inputs.keySet()) {
        pairs.add(key + '=' + (inputs[key] == null ? '' : inputs[key]))
    }
    boolean failed = false
    boolean skipped = false
    Closure korea = {
        try {
            sh(script: LAUNCH + args.script + COMMON, label: args.label)
        } catch (err) {
            if (interrupted(err)) {
                throw err
            }
            failed = true
        }
    }
    boolean bound = false
    Closure withRequired = {
        bound = true
        args.credentials ? withCredentials(args.credentials, korea) : korea.call()
    }
    withEnv(pairs) {
        try {
            args.optional ? withCredentials(args.optional, withRequired) : withRequired.call()
        } catch (err) {
            // only a missing optional credential fails before anything was bound; everything else is rethrown
            if (bound || !missingCredential(err)) {
                throw err
            }
            echo((args.step ?: STEP_NAME) + ': warning: ' + err.message + (args.needsOptional ? '; ' + args.label
                    + ' skipped' : '; korea runs without it (no Slack message from korea)') + ', the build goes on')
            if (args.needsOptional) {
                skipped = true
            } else {
                args.credentials ? withCredentials(args.credentials, korea) : korea.call()
            }
        }
    }
    return [ok: !failed, skipped: skipped, result: skipped || format != 'json' ? null : lastResult(args.name)]
}

/** Fails the calling step with the engine's outcome and reason (and the lock holder) when korea did not exit 0. */
void check(String step, String what, Map run) {
    if (!run.ok) {
        Map r = run.result
        error(step + ': ' + what + ': ' + (r ? r.outcome + ': ' + r.message + (r.holder ? ' (lock held by ' + r.holder + ')' : '')
                : 'korea wrote no result (its output above says why)'))
    }
}

/** The result file name of a command for these components/environments (workspace-safe, one per component). */
String resultName(String command, List parts) {
    List names = [command]
    for (def part : parts) {
        if (part) {
            names.add(String.valueOf(part).replaceAll('[^A-Za-z0-9_-]', '_'))
        }
    }
    return names.join('-')
}

@NonCPS
private boolean interrupted(Throwable err) {
    return err.getClass().getName().endsWith('FlowInterruptedException')
}

/** credentials-binding's CredentialNotFoundException, told by class name (no Jenkins class needed to compile). */
@NonCPS
boolean missingCredential(Throwable err) {
    return err.getClass().getName().endsWith('CredentialNotFoundException')
}

/** The JSON result the last `run` with this name wrote on this agent, or null. */
Map lastResult(String name) {
    String out = '.korea/out/' + name + '.json'
    return fileExists(out) ? readJSON(file: out, returnPojo: true) : null
}

/** withCredentials bindings for promote and rollback, named as the engine reads them (absent keys: none). */
List deployCredentials(Map cfg) {
    List bindings = []
    if (cfg.kubeconfigCredentialsId) {
        bindings.add(file(credentialsId: cfg.kubeconfigCredentialsId, variable: 'KUBECONFIG'))
    }
    if (cfg.gitCredentialsId) {
        bindings.add(usernamePassword(credentialsId: cfg.gitCredentialsId, usernameVariable: 'KOREA_GIT_USERNAME',
                passwordVariable: 'KOREA_GIT_TOKEN'))
    }
    if (cfg.prometheusCredentialsId) {
        bindings.add(string(credentialsId: cfg.prometheusCredentialsId, variable: 'KOREA_PROMETHEUS_TOKEN'))
    }
    return bindings
}

/** Who started this build by hand (its user cause), or null: passed as --requested-by for the engine's team rule. */
String buildUser() {
    def causes = currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause')
    return causes && causes[0].userId ? String.valueOf(causes[0].userId) : null
}

/** The Slack token binding korea sends its own messages with, or none: optional (see run). */
List slackCredentials(String credentialsId) {
    return credentialsId ? [string(credentialsId: credentialsId, variable: 'KOREA_SLACK_TOKEN')] : []
}

/** Runs body on node(label) (any agent when null), checked out from scm: for a step called outside node. */
void onAgent(String label, Closure body) {
    if (label) {
        node(label) { checkout(scm); body.call() }
    } else {
        node { checkout(scm); body.call() }
    }
}

/**
 * An input outside any agent that only args.team may submit (environments.E.team), under a timeout of args.minutes,
 * asked again until a reason is given; returns [who, reason] (the engine checks who again as --requested-by).
 */
Map askTeam(Map args) {
    String note = ''
    Map answer = [who: null, reason: null]
    timeout(time: args.minutes, unit: 'MINUTES') {
        while (answer.who == null) {
            def given = input(id: String.valueOf(args.id).replaceAll('[^A-Za-z0-9._~-]', '-'), ok: args.ok,
                    message: args.message + note, submitter: args.team.join(','), submitterParameter: 'KOREA_REQUESTER',
                    parameters: [string(name: 'KOREA_REASON', defaultValue: args.reason ?: '',
                                        description: 'Why (required, recorded with it)')])
            Map values = given instanceof Map ? given : [:]
            String who = values.KOREA_REQUESTER ?: 'unknown'
            String reason = values.KOREA_REASON ? String.valueOf(values.KOREA_REASON).trim() : ''
            if (reason) {
                answer.putAll([who: who, reason: reason])
            } else {
                note = '; a reason is required (' + who + ' gave none)'
            }
        }
    }
    return answer
}

/** Merges parameters over defaults; unknown keys and missing required ones fail with the allowed list. */
Map config(String step, Map defaults, Map parameters, List required = []) {
    List unknown = []
    for (String key : parameters.keySet()) {
        if (!defaults.containsKey(key)) {
            unknown.add(key)
        }
    }
    if (unknown) {
        error(step + ': unknown argument(s) ' + unknown.join(', ') + '; allowed: ' + defaults.keySet().join(', '))
    }
    Map merged = [:] + defaults + parameters
    for (String key : required) {
        if (merged[key] == null || merged[key] == '') {
            error(step + ': argument ' + key + ' is required (see ' + step + '.txt)')
        }
    }
    return merged
}
