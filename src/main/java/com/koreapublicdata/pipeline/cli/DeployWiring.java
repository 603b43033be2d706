package com.koreapublicdata.pipeline.cli;

import java.time.Duration;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.deploy.DeployServices;
import com.koreapublicdata.pipeline.deploy.KubeconfigClusters;

/** How the deploy commands wire the engine: kubeconfig from the command's environment, progress on stderr. */
final class DeployWiring {
    private DeployWiring() {
    }

    static DeployServices services(CliContext context, ConfigFile file) {
        return DeployServices.defaults(new KubeconfigClusters(context.env()), file.stateDir(), file.baseDir(), context.clock(),
                line -> {
                    context.err().println(line);
                    context.err().flush();
                });
    }

    static Duration duration(String option, String text) {
        if (text == null) {
            return null;
        }
        return Durations.parse(text).filter(d -> !d.isZero() && !d.isNegative()).orElseThrow(() -> KoreaException.invalidInput(
                option + " " + text + ": not a duration (e.g. 15m, 90s, 1h30m)"));
    }
}
