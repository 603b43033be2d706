package com.koreapublicdata.pipeline.control;

import java.util.List;

/**
 * What change control says about an environment ahead of a promotion, for {@code korea plan} and {@code korea status}.
 *
 * @param frozen      the freeze in force now, or null
 * @param nextFreeze  the next freeze window to start, or null
 * @param promoteFrom the environment whose verified digests this one takes, or null
 * @param minSoak     how long they must have run there (e.g. 30m)
 * @param candidates  per component: the digest promoteFrom runs now and whether it may be promoted yet
 */
public record Outlook(String environment, Freeze frozen, Freeze nextFreeze, String promoteFrom, String minSoak,
        List<Candidate> candidates) {

    public Outlook {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** One freeze occurrence: ISO times in the window's zone, and its description. */
    public record Freeze(String start, String until, String window, String reason) {
    }

    /** The verified digest a component would get from promoteFrom (digest null: nothing deployed there). */
    public record Candidate(String component, String digest, String image, String deployedAt, boolean soaked) {
    }
}
