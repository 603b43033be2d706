package com.koreapublicdata.pipeline.config;

import java.time.Duration;

/** What happens when analysis fails. */
public record RollbackSettings(
        @Doc(value = "Roll back automatically when analysis fails.", defaultValue = "true") Boolean automatic,
        @Doc(value = "How long a rollback may take before it is reported failed.", defaultValue = "5m") Duration timeout) {

    public RollbackSettings {
        automatic = automatic == null || automatic;
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }

    public static RollbackSettings defaults() {
        return new RollbackSettings(null, null);
    }
}
