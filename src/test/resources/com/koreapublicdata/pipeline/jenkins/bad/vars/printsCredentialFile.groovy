// Deliberately bad: prints where a file credential lives (Jenkins shows ****, but the path is the credential's).
void call(Map parameters = [:]) {
    node {
        withCredentials([file(credentialsId: 'kubeconfig', variable: 'KUBECONFIG')]) {
            echo('using the kubeconfig at ' + env.KUBECONFIG)
        }
    }
}
