package com.koreapublicdata.pipeline.scan;

import com.koreapublicdata.pipeline.config.Severity;

/**
 * A finding as the gate first sees it: what it decides on, with the whole {@link Finding} built only when the gate
 * keeps it in detail or matches it against ignore rules. Of the 180,000 findings of a large report the gate lists
 * at most a few thousand, so the Trivy reader does not build the others' text (a {@link Finding} is one too).
 */
interface PendingFinding {
    FindingKind kind();

    Severity severity();

    String status();

    /** As {@link Finding#fixed()}. */
    boolean fixed();

    String target();

    String resource();

    /** The whole finding. A reader may reuse what it read from, so the gate calls this before it returns. */
    Finding finding();
}
