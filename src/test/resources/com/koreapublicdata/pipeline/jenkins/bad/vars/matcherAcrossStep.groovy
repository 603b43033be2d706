// Deliberately bad: a java.util.regex.Matcher (not serializable) alive across a step.
void call(Map parameters = [:]) {
    def m = ('v1.2.3' =~ /v(\d+)/)
    echo('found ' + m[0][1])
    echo('still holding the matcher: ' + m.groupCount())
}
