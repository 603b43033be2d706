// Deliberately bad: a step called from @NonCPS code.
void call(Map parameters = [:]) {
    greet('world')
}

@NonCPS
private void greet(String who) {
    echo('hello ' + who)
}
