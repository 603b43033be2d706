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
    formats: ['junit', 'sarif', 'html'], // extra renderings published as reports
]
@Field static final List FORMATS = ['junit', 'sarif', 'html']

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters)
    Map built = cfg.image || cfg.input || cfg.report || cfg.dir ? null : koreaCli.lastResult('build')
    String input = cfg.input ?: (built && !built.pushed ? built.tarball : null)
    String image = cfg.image ?: (input ? null : built?.reference)
    if (!FORMATS.containsAll(cfg.formats)) {
        error(STEP_NAME + ': formats may only hold ' + FORMATS.join(', ') + ', was ' + cfg.formats)
    }
    if (!image && !input && !cfg.report && !cfg.dir) {
        error(STEP_NAME + ': nothing to scan: give image, input, report or dir (or run koreaBuild first)')
    }
    Map inputs = [KOREA_IMAGE: image, KOREA_INPUT: input, KOREA_DIGEST: cfg.digest ?: built?.digest, KOREA_REPORT: cfg.report, KOREA_DIR: cfg.dir, KOREA_COMPONENT: cfg.component,
                  KOREA_FAIL_ON: cfg.failOn, KOREA_IGNORE_UNFIXED: cfg.ignoreUnfixed ? '--ignore-unfixed' : '']
    String script = 'scan ${KOREA_IMAGE:+--image "$KOREA_IMAGE"} ${KOREA_INPUT:+--input "$KOREA_INPUT"}' +
            ' ${KOREA_DIGEST:+--digest "$KOREA_DIGEST"} ${KOREA_REPORT:+--report "$KOREA_REPORT"}' +
            ' ${KOREA_DIR:+--dir "$KOREA_DIR"} ${KOREA_COMPONENT:+--component "$KOREA_COMPONENT"}' +
            ' ${KOREA_FAIL_ON:+--fail-on "$KOREA_FAIL_ON"} $KOREA_IGNORE_UNFIXED'
    try {
        Map run = koreaCli.run(name: 'scan', label: 'korea scan', config: cfg.config, env: inputs, script: script)
        for (String format : cfg.formats) {
            koreaCli.run(name: 'scan', format: format, label: 'korea scan: ' + format, config: cfg.config,
                    env: inputs, script: script)
        }
        if (run.status != 0) {
            String why = run.status == 10 ? 'the scan gate refused: ' + (run.result?.blocking?.size() ?: 0) +
                    ' blocking finding(s)' : 'the scan could not run (exit ' + run.status + ')'
            error(STEP_NAME + ': ' + why + ' for ' + (cfg.component ?: image ?: input ?: cfg.report ?: cfg.dir))
        }
    } finally {
        junit(testResults: '.korea/out/scan.junit', allowEmptyResults: true)
        archiveArtifacts(artifacts: '.korea/out/scan.*', allowEmptyArchive: true, fingerprint: true)
    }
}
