// Deliberately bad: milestone inside parallel.
void call(Map parameters = [:]) {
    parallel(a: { milestone(ordinal: 1) }, b: { echo('b') })
}
