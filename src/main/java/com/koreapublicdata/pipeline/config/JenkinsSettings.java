package com.koreapublicdata.pipeline.config;

/** What the Jenkins steps need beyond the engine: where branches run and how the CLI is found. */
public record JenkinsSettings(
        @Doc(value = "Agent label component branches run on.", defaultValue = "any agent") String agent,
        @Doc(value = "Run component branches in a Kubernetes pod (needs the Kubernetes plugin).", defaultValue = "false")
                Boolean kubernetesAgent,
        @Doc(value = "Pod template resource (under resources/) used when kubernetesAgent is true.",
                defaultValue = "com/koreapublicdata/pipeline/pod.yaml") String podTemplate,
        @Doc("URL to fetch the korea CLI jar from when it is not on the agent; {version} is filled in.") String cliUrl,
        @Doc("SHA-256 of the jar at cliUrl; the download is refused when it differs.") String cliSha256,
        @Doc(value = "Slack credential id for the Slack plugin or for the engine's token.", defaultValue = "slack-token")
                String slackCredentialsId) {

    public JenkinsSettings {
        kubernetesAgent = kubernetesAgent != null && kubernetesAgent;
        podTemplate = podTemplate == null ? "com/koreapublicdata/pipeline/pod.yaml" : podTemplate;
        slackCredentialsId = slackCredentialsId == null ? "slack-token" : slackCredentialsId;
    }

    public static JenkinsSettings defaults() {
        return new JenkinsSettings(null, null, null, null, null, null);
    }
}
