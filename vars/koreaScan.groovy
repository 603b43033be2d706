import groovy.transform.Field

// Scans an image, report or directory with `korea scan` and stops the build unless the engine passed or skipped it.
@Field String STEP_NAME = 'koreaScan'
@Field Map defaultConfig = [
    component: null,                    // component name (policy overrides, messages, result file names)
    environment: null,                  // environment it is for: korea.yaml's allowMissingScanner there (skipped)
    image: null,                        // image reference; default: the component's last koreaBuild, when it pushed the image
    input: null,                        // image tarball; default: the component's last koreaBuild, when it pushed nothing
    digest: null,                       // the image digest the scan is for; default: the component's last koreaBuild
    report: null,                       // an existing Trivy/Grype JSON report instead of scanning
    dir: null,                          // a directory to scan (filesystem, IaC, secrets)
    failOn: null,                       // e.g. 'CRITICAL,HIGH'; default: scan.failOn in korea.yaml
    ignoreUnfixed: false,               // ignore findings without a fixed version
    config: 'korea.yaml',               // path of korea.yaml in the workspace
    slackCredentialsId: null,           // string credential -> KOREA_SLACK_TOKEN: korea itself alerts Slack on a refusal
    formats: ['junit', 'sarif', 'html'], // extra renderings of the same scan (--save), published as reports
]
// Where each rendering goes (after the result's name); the scanner runs once and korea writes them all (--save).
@Field static final Map SUFFIXES = [junit: '-junit.xml', sarif: '.sarif', html: '.html']

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters)
    Map built = cfg.image || cfg.input || cfg.report || cfg.dir || !cfg.component ? null
            : koreaCli.lastResult(koreaCli.resultName('build', [cfg.component]))
    String input = cfg.input ?: (built && !built.pushed ? built.tarball : null)
    String image = cfg.image ?: (input ? null : built?.reference)
    if (!SUFFIXES.keySet().containsAll(cfg.formats) || (!image && !input && !cfg.report && !cfg.dir)) {
        error(STEP_NAME + (SUFFIXES.keySet().containsAll(cfg.formats) ? ': nothing to scan: give image, input, report or dir (or run '
                + 'koreaBuild for the component first)' : ': formats may only hold ' + SUFFIXES.keySet().join(', ') + ', was ' + cfg.formats))
    }
    String name = koreaCli.resultName('scan', [cfg.component])
    Map files = [:]
    Map inputs = [KOREA_IMAGE: image, KOREA_INPUT: input, KOREA_DIGEST: cfg.digest ?: built?.digest, KOREA_REPORT: cfg.report,
                  KOREA_DIR: cfg.dir, KOREA_COMPONENT: cfg.component, KOREA_ENVIRONMENT: cfg.environment, KOREA_FAIL_ON: cfg.failOn,
                  KOREA_IGNORE_UNFIXED: cfg.ignoreUnfixed ? '--ignore-unfixed' : '']
    for (String format : SUFFIXES.keySet()) {
        files[format] = '.korea/out/' + name + SUFFIXES[format]
        inputs['KOREA_SAVE_' + format.toUpperCase()] = cfg.formats.contains(format) ? format + '=' + files[format] : ''
    }
    inputs.KOREA_CLEAR = files.values().join(' ')
    String script = 'scan ${KOREA_IMAGE:+--image "$KOREA_IMAGE"} ${KOREA_INPUT:+--input "$KOREA_INPUT"}' +
            ' ${KOREA_DIGEST:+--digest "$KOREA_DIGEST"} ${KOREA_REPORT:+--report "$KOREA_REPORT"} ${KOREA_DIR:+--dir "$KOREA_DIR"}' +
            ' ${KOREA_COMPONENT:+--component "$KOREA_COMPONENT"} ${KOREA_ENVIRONMENT:+--environment "$KOREA_ENVIRONMENT"}' +
            ' ${KOREA_FAIL_ON:+--fail-on "$KOREA_FAIL_ON"} $KOREA_IGNORE_UNFIXED ${KOREA_SAVE_JUNIT:+--save "$KOREA_SAVE_JUNIT"}' +
            ' ${KOREA_SAVE_SARIF:+--save "$KOREA_SAVE_SARIF"} ${KOREA_SAVE_HTML:+--save "$KOREA_SAVE_HTML"}'
    String what = cfg.component ?: image ?: input ?: cfg.report ?: cfg.dir
    try {
        Map run = koreaCli.run(name: name, label: 'korea scan ' + what, config: cfg.config, env: inputs, script: script,
                step: STEP_NAME, optional: koreaCli.slackCredentials(cfg.slackCredentialsId))
        koreaCli.check(STEP_NAME, 'scanning ' + what, run)
        echo(STEP_NAME + ': ' + what + ': scan ' + run.result?.outcome + (run.result?.message ? ': ' + run.result.message : ''))
    } finally {
        if (cfg.formats.contains('junit')) {
            junit(testResults: files.junit, allowEmptyResults: true)
        }
        archiveArtifacts(artifacts: (['.korea/out/' + name + '.json'] + files.values()).join(','), allowEmptyArchive: true, fingerprint: true)
    }
}
