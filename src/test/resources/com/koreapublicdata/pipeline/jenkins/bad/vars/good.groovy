// The good twin of interpolatesArgument: the value reaches the shell through the environment.
void call(Map parameters = [:]) {
    node {
        withEnv(['KOREA_COMPONENT=' + parameters.component]) {
            sh(script: 'korea build --component "$KOREA_COMPONENT"', label: 'korea build')
        }
    }
}
