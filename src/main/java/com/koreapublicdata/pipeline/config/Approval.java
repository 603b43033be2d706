package com.koreapublicdata.pipeline.config;

import java.util.List;

/** Whether a person must approve before an environment is changed, and who may. */
public record Approval(
        @Doc(value = "Whether a promotion needs a person's approval.", defaultValue = "false") Boolean required,
        @Doc("Jenkins user ids or group names allowed to approve (Jenkins input submitter). Empty: anyone who may build.")
                List<String> submitters,
        @Doc(value = "Whether submitters are individual user names the engine itself checks --approved-by against "
                + "(false: they are groups, checked where identity lives, e.g. Jenkins' input step).",
                defaultValue = "false") Boolean usersOnly,
        @Doc(value = "How long the approval prompt waits before the promotion is abandoned.", defaultValue = "24h")
                java.time.Duration timeout) {

    public Approval {
        required = required != null && required;
        submitters = submitters == null ? List.of() : List.copyOf(submitters);
        usersOnly = usersOnly != null && usersOnly;
        timeout = timeout == null ? java.time.Duration.ofHours(24) : timeout;
    }

    public static Approval none() {
        return new Approval(false, List.of(), false, null);
    }
}
