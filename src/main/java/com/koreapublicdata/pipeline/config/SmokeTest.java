package com.koreapublicdata.pipeline.config;

import java.time.Duration;

/** A post-deploy check: an HTTP request or a command. A failing one rolls the deploy back. */
public record SmokeTest(
        @Doc("A name for reports; defaults to the URL or command.") String name,
        @Doc("URL to request; {component}, {environment} and {namespace} are filled in.") String url,
        @Doc(value = "HTTP status the URL must answer with.", defaultValue = "200") Integer expectedStatus,
        @Doc("Command to run with sh -c instead of a URL; exit 0 passes.") String command,
        @Doc(value = "How long the check may take.", defaultValue = "30s") Duration timeout) {

    public SmokeTest {
        expectedStatus = expectedStatus == null ? 200 : expectedStatus;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        // a URL may carry user:password, and the name appears in every report: leave that part out
        name = name != null ? name : url != null ? url.replaceAll("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s]*@", "$1") : command;
    }
}
