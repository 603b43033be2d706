package com.koreapublicdata.pipeline.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.Outcome;

/** The outcome of {@code korea run}: the plan's environment and every component's stages. */
public record RunResult(String branch, String environment, List<ComponentRun> components, List<String> notes,
        ExitCode exitCode) {

    public RunResult {
        components = List.copyOf(components);
        notes = List.copyOf(notes);
    }

    /** The run's outcome: the worst stage's (deployed when it ended with every deploy done). */
    @JsonProperty("outcome")
    public Outcome outcome() {
        if (exitCode == ExitCode.OK) {
            boolean deployed = components.stream().anyMatch(c -> c.stage("deploy")
                    .filter(s -> s.status() == StageResult.Status.PASSED).isPresent());
            return deployed ? Outcome.DEPLOYED : Outcome.PASSED;
        }
        return Outcome.of(exitCode);
    }

    /** Whether a deploy stage changed a workload or an overlay (also when it was then rolled back). */
    @JsonProperty("changed")
    public boolean changed() {
        return components.stream().anyMatch(c -> c.stage("deploy").filter(s -> s.status() == StageResult.Status.PASSED
                || s.status() == StageResult.Status.AWAITING || s.exitCode() == ExitCode.ROLLED_BACK
                || s.exitCode() == ExitCode.ROLLBACK_FAILED).isPresent());
    }

    @JsonProperty("message")
    public String message() {
        return headline();
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
