// Deliberately bad: builds the shell command from a step argument.
void call(Map parameters = [:]) {
    node {
        sh(script: "korea build --component ${parameters.component}", label: 'korea build')
    }
}
