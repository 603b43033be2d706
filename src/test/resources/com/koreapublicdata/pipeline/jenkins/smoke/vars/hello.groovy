import groovy.transform.Field

@Field String STEP_NAME = 'hello'

void call(Map parameters = [:]) {
    def names = parameters.names ?: ['a', 'b']
    names.each { n ->
        stage("Hello ${n}") {
            node('linux') {
                withEnv(["WHO=${n}"]) {
                    sh(script: 'echo "$WHO"', label: 'hello')
                }
            }
        }
    }
    Map m = [x: 1, y: 2]
    m.each { k, v -> echo("${k}=${v}") }
    for (def s : ['p', 'q']) { echo(s) }
    echo(upper('done'))
}

@NonCPS
private String upper(String s) { s.toUpperCase() }
