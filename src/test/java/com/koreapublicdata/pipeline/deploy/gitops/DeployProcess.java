package com.koreapublicdata.pipeline.deploy.gitops;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

/** A second process for the cross-process test: deploys args[1] with image args[2] for korea.yaml in args[0]. */
final class DeployProcess {

    private DeployProcess() {
    }

    public static void main(String[] args) {
        ConfigFile config = new ConfigLoader().load(Path.of(args[0]));
        GitOpsResult result = new GitOpsDeployer(Clock.systemUTC(), m -> { }, null, Map.of()).deploy(new GitOpsChange(config,
                config.config().environment("development").orElseThrow(), config.config().component(args[1]).orElseThrow(),
                args[2], "p", null, null));
        System.out.println(result.changed() + " " + result.commit());
    }
}
