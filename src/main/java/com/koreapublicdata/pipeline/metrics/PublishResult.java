package com.koreapublicdata.pipeline.metrics;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DeploymentMetrics#publish} did.
 *
 * @param file     the metrics file
 * @param written  whether the file was written
 * @param pushedTo the Pushgateway group URL pushed to, or null when none is configured or the push failed
 * @param warnings what went wrong (print them on standard error); never a reason to fail a deploy
 */
public record PublishResult(Path file, boolean written, String pushedTo, List<String> warnings) {
    public PublishResult {
        warnings = List.copyOf(warnings);
    }
}
