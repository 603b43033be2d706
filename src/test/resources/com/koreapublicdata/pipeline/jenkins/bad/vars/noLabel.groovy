// Deliberately bad: sh without label, so Blue Ocean shows the script text.
void call(Map parameters = [:]) {
    node {
        sh('korea version')
    }
}
