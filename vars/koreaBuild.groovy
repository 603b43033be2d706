import groovy.transform.Field

// Tests a component and builds its image with `korea build`; result in .korea/out/build-<component>.json, JUnit reports
// collected by korea under <stateDir>/reports/<component>/ (the result's tests.junitDir).
@Field String STEP_NAME = 'koreaBuild'
@Field Map defaultConfig = [
    component: null,             // required: a component name from korea.yaml
    config: 'korea.yaml',        // path of korea.yaml in the workspace
    branch: null,                // default: env.BRANCH_NAME
    commit: null,                // default: env.GIT_COMMIT (a scripted pipeline: pass checkout(scm).GIT_COMMIT)
    version: null,               // image version; default: the engine's (from the commit)
    tests: 'run',                // run | only (tests and audits, no image) | skip (image only)
    registryCredentialsId: null, // usernamePassword credential -> KOREA_REGISTRY_USERNAME/PASSWORD
]
@Field static final Map TEST_FLAGS = [run: '', only: '--skip-image', skip: '--skip-tests']

void call(Map parameters = [:]) {
    Map cfg = koreaCli.config(STEP_NAME, defaultConfig, parameters, ['component'])
    if (!TEST_FLAGS.containsKey(cfg.tests)) {
        error(STEP_NAME + ': tests must be one of ' + TEST_FLAGS.keySet().join(', ') + ', was ' + cfg.tests)
    }
    List credentials = cfg.registryCredentialsId ? [usernamePassword(credentialsId: cfg.registryCredentialsId,
            usernameVariable: 'KOREA_REGISTRY_USERNAME', passwordVariable: 'KOREA_REGISTRY_PASSWORD')] : []
    String name = koreaCli.resultName('build', [cfg.component])
    Map run = null
    try {
        run = koreaCli.run(name: name, label: 'korea build ' + cfg.component, config: cfg.config,
                credentials: credentials,
                script: 'build --component "$KOREA_COMPONENT" ${KOREA_BRANCH:+--branch "$KOREA_BRANCH"}'
                        + ' ${KOREA_COMMIT:+--commit "$KOREA_COMMIT"} ${KOREA_VERSION:+--version "$KOREA_VERSION"}'
                        + ' $KOREA_TESTS',
                env: [KOREA_COMPONENT: cfg.component, KOREA_BRANCH: cfg.branch ?: env.BRANCH_NAME,
                      KOREA_COMMIT: cfg.commit ?: env.GIT_COMMIT, KOREA_VERSION: cfg.version,
                      KOREA_TESTS: TEST_FLAGS[cfg.tests]])
        koreaCli.check(STEP_NAME, 'korea build ' + cfg.component, run)
    } finally {
        // Only this run's reports: an image-only run after a test-only one must not publish the tests twice.
        String reports = run?.result ? reportsIn(run.result.tests) : '**/.korea/reports/**/*.xml'
        if (reports) {
            junit(testResults: reports, allowEmptyResults: true)
        }
        archiveArtifacts(artifacts: '.korea/out/' + name + '.json', allowEmptyArchive: true, fingerprint: true)
    }
}

/** The workspace-relative pattern of the JUnit files korea collected, or null when it collected none. */
private String reportsIn(Map tests) {
    if (!tests?.junitFiles) {
        return null
    }
    String dir = String.valueOf(tests.junitDir)
    String root = env.WORKSPACE + '/'
    return (dir.startsWith(root) ? dir.substring(root.length()) : '**/.korea/reports/' + dir.tokenize('/').last()) + '/*.xml'
}
