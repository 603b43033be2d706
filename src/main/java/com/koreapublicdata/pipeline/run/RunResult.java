package com.koreapublicdata.pipeline.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.koreapublicdata.pipeline.ExitCode;

/** The outcome of {@code korea run}: the plan's environment and every component's stages. */
public record RunResult(String branch, String environment, List<ComponentRun> components, List<String> notes,
        ExitCode exitCode) {

    public RunResult {
        components = List.copyOf(components);
        notes = List.copyOf(notes);
    }

    /** Stage columns in the order they ran. */
    public List<String> stageNames() {
        Set<String> names = new LinkedHashSet<>();
        components.forEach(c -> c.stages().forEach(s -> names.add(s.stage())));
        return new ArrayList<>(names);
    }

    public String headline() {
        String where = environment == null ? "no deploy (branch " + branch + " has no environment)" : environment;
        return switch (exitCode) {
            case OK -> "success, " + where;
            case GATE_REFUSED -> "refused by a gate, " + where;
            case ROLLED_BACK -> "deploy failed and was rolled back, " + where;
            case ROLLBACK_FAILED -> "deploy failed and the rollback failed, " + where;
            case LOCKED -> "another promotion holds the lock, " + where;
            default -> "failed, " + where;
        };
    }
}
