import groovy.transform.Field

// Scans an image, report or directory with `korea scan` and stops the build when the gate refuses.
@Field String STEP_NAME = 'koreaScan'
@Field Map defaultConfig = [
    component: null,                    // component name (policy overrides, messages)
    image: null,                        // image reference; default: the last koreaBuild's, when it pushed the image
    input: null,                        // image tarball; default: the last koreaBuild's, when it pushed nothing
    digest: null,                       // the image digest the scan is for; default: the last koreaBuild's
    report: null,                       // an existing Trivy/Grype JSON report instead of scanning
    dir: null,                          // a directory to scan (filesystem, IaC, secrets)
    failOn: null,                       // e.g. 'CRITICAL,HIGH'; default: scan.failOn in korea.yaml
    ignoreUnfixed: false,               // ignore findings without a fixed version
    config: 'korea.yaml',               // path of korea.yaml in the workspace
    slackCredentialsId: null,           // string credential -> KOREA_SLACK_TOKEN: korea itself alerts Slack on a refusal
    formats: ['junit', 'sarif', 'html'], // extra renderings of the same scan (--save), published as reports
]
// Where each rendering goes; the scanner runs once and korea writes them all (--save FORMAT=FILE).
@Field static final Map FILES = [junit: '.korea/out/scan-junit.xml', sarif: '.korea/out/scan.sarif', html: '.korea/out/scan.html']

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters)
    Map built = cfg.image || cfg.input || cfg.report || cfg.dir ? null : koreaCli.lastResult('build')
    String input = cfg.input ?: (built && !built.pushed ? built.tarball : null)
    String image = cfg.image ?: (input ? null : built?.reference)
    if (!FILES.keySet().containsAll(cfg.formats)) {
        error(STEP_NAME + ': formats may only hold ' + FILES.keySet().join(', ') + ', was ' + cfg.formats)
    }
    if (!image && !input && !cfg.report && !cfg.dir) {
        error(STEP_NAME + ': nothing to scan: give image, input, report or dir (or run koreaBuild first)')
    }
    Map inputs = [KOREA_IMAGE: image, KOREA_INPUT: input, KOREA_DIGEST: cfg.digest ?: built?.digest, KOREA_REPORT: cfg.report, KOREA_DIR: cfg.dir, KOREA_COMPONENT: cfg.component,
                  KOREA_FAIL_ON: cfg.failOn, KOREA_IGNORE_UNFIXED: cfg.ignoreUnfixed ? '--ignore-unfixed' : '',
                  KOREA_CLEAR: FILES.values().join(' ')]
    for (String format : FILES.keySet()) {
        inputs['KOREA_SAVE_' + format.toUpperCase()] = cfg.formats.contains(format) ? format + '=' + FILES[format] : ''
    }
    String script = 'scan ${KOREA_IMAGE:+--image "$KOREA_IMAGE"} ${KOREA_INPUT:+--input "$KOREA_INPUT"}' +
            ' ${KOREA_DIGEST:+--digest "$KOREA_DIGEST"} ${KOREA_REPORT:+--report "$KOREA_REPORT"}' +
            ' ${KOREA_DIR:+--dir "$KOREA_DIR"} ${KOREA_COMPONENT:+--component "$KOREA_COMPONENT"}' +
            ' ${KOREA_FAIL_ON:+--fail-on "$KOREA_FAIL_ON"} $KOREA_IGNORE_UNFIXED' +
            ' ${KOREA_SAVE_JUNIT:+--save "$KOREA_SAVE_JUNIT"} ${KOREA_SAVE_SARIF:+--save "$KOREA_SAVE_SARIF"}' +
            ' ${KOREA_SAVE_HTML:+--save "$KOREA_SAVE_HTML"}'
    try {
        Map run = koreaCli.run(name: 'scan', label: 'korea scan', config: cfg.config, env: inputs, script: script,
                credentials: koreaCli.deployCredentials([slackCredentialsId: cfg.slackCredentialsId]))
        if (run.status != 0) {
            String why = run.status == 10 ? 'the scan gate refused: ' + (run.result?.blockingTotal ?: 0) +
                    ' blocking finding(s)' : 'the scan could not run (exit ' + run.status + ')'
            error(STEP_NAME + ': ' + why + ' for ' + (cfg.component ?: image ?: input ?: cfg.report ?: cfg.dir))
        }
    } finally {
        if (cfg.formats.contains('junit')) {
            junit(testResults: FILES.junit, allowEmptyResults: true)
        }
        archiveArtifacts(artifacts: '.korea/out/scan*', allowEmptyArchive: true, fingerprint: true)
    }
}
