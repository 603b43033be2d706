package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.notify.NotificationEvent;

/**
 * Deliberately breaks docs/architecture.md (deploy may not use notify) so PackageArchitectureTest can prove its
 * rule fails on a forbidden import. Test code only; never referenced by the engine.
 */
public final class ArchitectureViolationFixture {
    private ArchitectureViolationFixture() {
    }

    public static NotificationEvent.Kind forbidden() {
        return NotificationEvent.Kind.STARTED;
    }
}
