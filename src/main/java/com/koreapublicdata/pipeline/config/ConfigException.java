package com.koreapublicdata.pipeline.config;

import java.util.List;
import java.util.stream.Collectors;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/** korea.yaml is invalid; carries every problem found, not just the first. Exit 2. */
public final class ConfigException extends KoreaException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(ExitCode.USAGE, describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String header = problems.size() == 1 ? "invalid configuration:" : problems.size() + " problems in the configuration:";
        return header + "\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
