package com.koreapublicdata.pipeline.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who asks for a change and who allowed it, as the promote command was given it.
 *
 * @param approvers   the --approved-by users, in order (may repeat: the same person twice counts once)
 * @param requestedBy who started the run (Jenkins build user, or the commit author), or null
 * @param reason      why it was approved (--reason), or null
 * @param approval    a signed approval record (--approval FILE), or null
 * @param breakGlass  the reason given with --break-glass, or null
 * @param manual      a person deploys by hand (no CI build): the environment's team applies
 */
public record Authorization(List<String> approvers, String requestedBy, String reason, ApprovalRecord approval,
        String breakGlass, boolean manual) {

    public Authorization {
        approvers = approvers == null ? List.of() : approvers.stream().filter(a -> a != null && !a.isBlank())
                .map(String::trim).toList();
        requestedBy = blankToNull(requestedBy);
        reason = blankToNull(reason);
        breakGlass = blankToNull(breakGlass);
    }

    /** What the single --approved-by of old amounts to. */
    public static Authorization of(String approvedBy) {
        return new Authorization(approvedBy == null ? List.of() : List.of(approvedBy), null, null, null, null, false);
    }

    /** The approvers once each, in first-seen order; Jenkins user ids compare case-insensitively. */
    public List<String> distinctApprovers() {
        return distinct(approvers);
    }

    static List<String> distinct(List<String> users) {
        List<String> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String u : users) {
            String key = u.toLowerCase(Locale.ROOT);
            if (!seen.contains(key)) {
                seen.add(key);
                out.add(u);
            }
        }
        return List.copyOf(out);
    }

    static boolean sameUser(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
