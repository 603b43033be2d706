package com.koreapublicdata.pipeline.control;

import java.util.List;

/**
 * What change control decided about one promotion.
 *
 * @param refusals   every rule that refused, in the order checked; empty when allowed
 * @param approvers  the distinct approvers that count (from --approved-by or the approval record)
 * @param reasons    their reasons
 * @param breakGlass the break-glass reason when a freeze was broken, or null
 * @param notes      what people should know even when allowed (a broken freeze)
 */
public record Decision(List<Refusal> refusals, List<String> approvers, List<String> reasons, String breakGlass,
        List<String> notes) {

    public Decision {
        refusals = List.copyOf(refusals);
        approvers = List.copyOf(approvers);
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    public boolean allowed() {
        return refusals.isEmpty();
    }

    /** One line naming every refusing rule. */
    public String message() {
        return refusals.stream().map(r -> r.message() + " (" + r.rule() + ")").reduce((a, b) -> a + "; " + b).orElse("allowed");
    }

    /** The approvers as one text for records and annotations ("alice, bob"), or null. */
    public String approvedBy() {
        return approvers.isEmpty() ? null : String.join(", ", approvers);
    }

    /** The approvers' reasons as one text ("CAB-42; looks good") for records and Slack, or null when none was given. */
    public String reason() {
        return reasons.stream().filter(r -> r != null && !r.isBlank()).reduce((a, b) -> a + "; " + b).orElse(null);
    }
}
