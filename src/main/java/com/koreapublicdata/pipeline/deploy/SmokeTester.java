package com.koreapublicdata.pipeline.deploy;

import java.util.Map;
import java.util.Optional;

import com.koreapublicdata.pipeline.config.SmokeTest;

/** Runs one post-deploy smoke test; a failure rolls the deploy back. */
@FunctionalInterface
public interface SmokeTester {

    /**
     * @param placeholders values for {component}, {environment}, {namespace}
     * @return empty when it passed, else why it failed
     */
    Optional<String> run(SmokeTest test, Map<String, String> placeholders);
}
