// Deliberately bad: input inside node holds an executor while waiting.
void call(Map parameters = [:]) {
    node {
        timeout(time: 1, unit: 'HOURS') {
            input(id: 'Approve-production', message: 'Deploy?')
        }
    }
}
