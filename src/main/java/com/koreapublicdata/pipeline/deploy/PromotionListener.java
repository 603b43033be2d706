package com.koreapublicdata.pipeline.deploy;

/**
 * Hears what a promotion or rollback does, for Slack and metrics. Every method defaults to nothing; a
 * listener that throws never changes the outcome.
 */
public interface PromotionListener {

    /**
     * One moment of a promotion.
     *
     * @param outcome        null while it runs, then the result's outcome
     * @param approvalReason why it was approved (the approvers' reasons), or null
     */
    record Event(String environment, String component, String image, String digest, String strategy, String approver,
            com.koreapublicdata.pipeline.Outcome outcome, String message, double durationSeconds, String approvalReason) {

        public Event(String environment, String component, String image, String digest, String strategy, String approver,
                com.koreapublicdata.pipeline.Outcome outcome, String message, double durationSeconds) {
            this(environment, component, image, digest, strategy, approver, outcome, message, durationSeconds, null);
        }

        public Event withApprovalReason(String reason) {
            return new Event(environment, component, image, digest, strategy, approver, outcome, message, durationSeconds,
                    reason);
        }
    }

    default void started(Event event) {
    }

    /** A person has to promote (blue-green preview ready, or an indefinite canary pause). */
    default void awaitingApproval(Event event) {
    }

    default void succeeded(Event event) {
    }

    /** Refused by a gate, or failed. */
    default void failed(Event event) {
    }

    /** A freeze window was broken (--break-glass) and the promotion goes ahead; message says who, which window and why. */
    default void brokeGlass(Event event) {
    }

    /** Rolled back, automatically or by {@code korea rollback}; outcome says whether the rollback worked. */
    default void rolledBack(Event event) {
    }

    PromotionListener NONE = new PromotionListener() {
    };
}
