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
                java.time.Duration timeout,
        @Doc(value = "How many distinct people must approve (the same person twice counts once).", defaultValue = "1")
                Integer quorum,
        @Doc(value = "Whether the person who started the run (--requested-by) may be one of its approvers.",
                defaultValue = "false") Boolean allowSelfApproval,
        @Doc(value = "Whether a promotion needs a signed approval record (--approval FILE, HMAC-SHA256 with "
                + "KOREA_APPROVAL_KEY); a hand-typed --approved-by is then refused.", defaultValue = "false")
                Boolean signingKeyRequired,
        @Doc(value = "Whether --approved-by needs a --reason (Jenkins always asks for one; a signed record needs one "
                + "per approver).", defaultValue = "false") Boolean requireReason,
        @Doc("Signing key ids approval records may carry, each with the last day it is accepted (key rotation). "
                + "Empty: any key id whose secret is set.") List<SigningKey> signingKeys) {

    public Approval {
        required = required != null && required;
        submitters = submitters == null ? List.of() : List.copyOf(submitters);
        usersOnly = usersOnly != null && usersOnly;
        timeout = timeout == null ? java.time.Duration.ofHours(24) : timeout;
        quorum = quorum == null ? 1 : quorum;
        allowSelfApproval = allowSelfApproval != null && allowSelfApproval;
        signingKeyRequired = signingKeyRequired != null && signingKeyRequired;
        requireReason = requireReason != null && requireReason;
        signingKeys = signingKeys == null ? List.of() : List.copyOf(signingKeys);
    }

    public static Approval none() {
        return new Approval(false, List.of(), false, null, null, null, null, null, null);
    }

    /** A signing key id and until when records signed with it are accepted. */
    public record SigningKey(
            @Doc(value = "The key id written into approval records (KOREA_APPROVAL_KEY_ID when signing).", required = true)
                    String id,
            @Doc("Last day (YYYY-MM-DD, UTC) a record signed with this key is accepted; empty: no end.") String notAfter) {

        /** The first instant records signed with this key are no longer accepted, or empty for no end. */
        public java.util.Optional<java.time.Instant> expiresAt() {
            try {
                return notAfter == null ? java.util.Optional.empty() : java.util.Optional.of(java.time.LocalDate.parse(notAfter)
                        .plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            } catch (java.time.format.DateTimeParseException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
