package com.koreapublicdata.pipeline.plan;

import java.util.List;

/**
 * What a plan is made for.
 *
 * @param branch       the branch being built
 * @param changedFiles changed paths relative to korea.yaml's folder; {@code null} when unknown (every component
 *                     is affected)
 * @param commit       the commit being built, or {@code null} when unknown
 * @param configFile   korea.yaml's file name relative to its folder; a change to it affects every component
 */
public record PlanRequest(String branch, List<String> changedFiles, String commit, String configFile) {
    public PlanRequest {
        changedFiles = changedFiles == null ? null : List.copyOf(changedFiles);
        configFile = configFile == null ? "korea.yaml" : configFile;
    }
}
