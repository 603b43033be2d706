package com.koreapublicdata.pipeline.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs one external program. Injectable so tests can replace the outside world. */
public interface CommandRunner {

    /**
     * @param exitCode the program's exit code; 127 when it could not be started, 124 when it timed out
     * @param stdout   its standard output (kept for parsers such as npm audit --json)
     * @param stderr   its standard error
     */
    record Execution(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code argv} in {@code dir} with exactly {@code env} as its environment, passing each line of output
     * (stdout and stderr) to {@code lines} as it comes.
     *
     * @param timeout null for none
     */
    Execution run(List<String> argv, Path dir, Map<String, String> env, Duration timeout, Consumer<String> lines);
}
