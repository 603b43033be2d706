package com.koreapublicdata.pipeline.plan;

import java.util.List;

import com.koreapublicdata.pipeline.config.Strategy;

/**
 * What one pipeline run does: which environment it deploys to (or none), which components it touches and how,
 * in which stages, and whether a person must approve first.
 */
public record Plan(String environment, String branch, String commit, List<PlannedComponent> components,
        Approval approval, List<String> stages, String reason) {

    /** A component the change affects. {@code changes} lists the files that matched, empty when all are affected. */
    public record PlannedComponent(String name, String kind, Strategy strategy, String target, String namespace,
            String workload, List<String> changes) {
    }

    /** Whether deploying needs approval, and who may give it. */
    public record Approval(boolean required, List<String> submitters) {
    }

    public boolean deploys() {
        return environment != null && !components.isEmpty();
    }
}
