import groovy.transform.Field

// Shared helper of the korea* steps (the piperExecuteBin pattern): runs one korea command on the current agent.
@Field String STEP_NAME = 'koreaCli'
@Field static final String LAUNCH = 'sh "$KOREA_LAUNCHER" '
@Field static final String COMMON = ' --config "$KOREA_CONFIG" --format "$KOREA_FORMAT" --output "$KOREA_OUTPUT"'
@Field static final String RESOURCES = 'com/koreapublicdata/pipeline/'

/**
 * Runs `korea <script>` and returns [status: exit code, result: the JSON it wrote (a Map) or null].
 * args.name: result file (.korea/out/NAME.FORMAT); args.format: json (default), junit, sarif or html;
 * args.script: constant shell text after "korea";
 * args.label: what Blue Ocean shows; args.env: KOREA_* inputs (values reach the shell only as variables);
 * args.credentials: withCredentials bindings; args.config: korea.yaml path.
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
    int status = 0
    Closure korea = { status = sh(script: LAUNCH + args.script + COMMON, label: args.label, returnStatus: true) }
    withEnv(pairs) {
        if (args.credentials) {
            withCredentials(args.credentials, korea)
        } else {
            korea()
        }
    }
    return [status: status, result: format == 'json' ? lastResult(args.name) : null]
}

/** The JSON result the last `run` with this name wrote, or null. */
Map lastResult(String name) {
    String out = '.korea/out/' + name + '.json'
    return fileExists(out) ? readJSON(file: out, returnPojo: true) : null
}

/** withCredentials bindings for promote, rollback and scan, named as the engine reads them (absent keys: none). */
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
    if (cfg.slackCredentialsId) {
        bindings.add(string(credentialsId: cfg.slackCredentialsId, variable: 'KOREA_SLACK_TOKEN'))
    }
    return bindings
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
