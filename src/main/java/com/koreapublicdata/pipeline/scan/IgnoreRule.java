package com.koreapublicdata.pipeline.scan;

import java.time.Instant;
import java.util.List;

/**
 * One exception from an ignore file.
 *
 * @param id        the finding id it suppresses (exact, case-sensitive): CVE/GHSA, misconfiguration ID or AVDID,
 *                  secret RuleID, license name
 * @param kind      the kind it applies to, or null for every kind (.trivyignore lines)
 * @param paths     doublestar globs matched against the Target or the package path; empty means everywhere
 * @param purls     package URLs it is limited to (vulnerabilities only); empty means any package
 * @param expires   the expiry as written (a date), or null when it never expires
 * @param expiresAt the instant it stops applying: 00:00 UTC of the expiry date, as Trivy reads it
 * @param statement why it was accepted, as written
 * @param source    where it was written: {@code file:line} or {@code file: vulnerabilities[i]}
 */
public record IgnoreRule(String id, FindingKind kind, List<String> paths, List<String> purls, String expires,
        Instant expiresAt, String statement, String source) {

    public IgnoreRule {
        paths = paths == null ? List.of() : List.copyOf(paths);
        purls = purls == null ? List.of() : List.copyOf(purls);
    }

    /** Whether it still applies at {@code now}: Trivy prunes an entry once its expiry is before now. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
