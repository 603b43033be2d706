package com.koreapublicdata.pipeline.run;

import java.util.List;
import java.util.Optional;

/** What a run did to one component, stage by stage. */
public record ComponentRun(String component, List<StageResult> stages, String image, String digest) {

    public ComponentRun {
        stages = List.copyOf(stages);
    }

    public Optional<StageResult> stage(String name) {
        return stages.stream().filter(s -> s.stage().equals(name)).findFirst();
    }

    public double durationSeconds() {
        return stages.stream().mapToDouble(StageResult::durationSeconds).sum();
    }

    /** The worst status among the stages. */
    public StageResult.Status worst() {
        return stages.stream().map(StageResult::status).max(Enum::compareTo).orElse(StageResult.Status.PASSED);
    }
}
