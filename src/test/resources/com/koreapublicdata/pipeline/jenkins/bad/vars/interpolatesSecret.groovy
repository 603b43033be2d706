// Deliberately bad: a withCredentials secret interpolated by Groovy into the script text.
void call(Map parameters = [:]) {
    node {
        withCredentials([string(credentialsId: 'slack-token', variable: 'KOREA_SLACK_TOKEN')]) {
            sh(script: 'curl -H "Authorization: Bearer ' + env.KOREA_SLACK_TOKEN + '" https://slack.example', label: 'post')
        }
    }
}
