package com.koreapublicdata.pipeline.control;

/**
 * One change-control rule that said no.
 *
 * @param rule    the korea.yaml key (or option) of the rule, e.g. {@code environments.production.approval.quorum}
 * @param message what is missing and what is allowed, for people
 */
public record Refusal(String rule, String message) {
}
