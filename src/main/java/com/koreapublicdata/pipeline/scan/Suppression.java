package com.koreapublicdata.pipeline.scan;

/**
 * A finding the policy let go, and why.
 *
 * @param finding   what was suppressed
 * @param reason    {@code ignore-file}, {@code ignore-unfixed} or {@code ignore-status}
 * @param detail    one line for people: the rule and its source, or the status
 * @param rule      the ignore rule's source ({@code .trivyignore:3}), or null
 * @param expires   the rule's expiry as written, or null (never expires / not a rule)
 * @param statement the rule's statement or comment, or null
 */
public record Suppression(Finding finding, String reason, String detail, String rule, String expires,
        String statement) {
}
