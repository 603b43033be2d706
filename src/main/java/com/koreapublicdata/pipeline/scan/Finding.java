package com.koreapublicdata.pipeline.scan;

import java.util.List;

import com.koreapublicdata.pipeline.config.Severity;

/**
 * One finding of a scanner, reduced to what the gate and the renderers need. Fields a format does not carry are
 * null.
 *
 * @param kind             vulnerability, misconfiguration, secret or license
 * @param id               VulnerabilityID, misconfiguration ID, secret RuleID or license name
 * @param severity         Trivy's five severities (Grype's Negligible reads as LOW)
 * @param target           the Result's Target: OS (e.g. {@code img (alpine 3.19)}), lockfile, binary or file path
 * @param resource         for {@code trivy k8s} reports, {@code namespace/Kind/name}; null otherwise
 * @param pkgName          the package (vulnerabilities, licenses)
 * @param installedVersion the installed version
 * @param fixedVersion     the version(s) that fix it; null or empty when there is no fix
 * @param status           vulnerability status (fixed, affected, will_not_fix, ...) or misconfiguration status
 *                         (PASS, FAIL, EXCEPTION); null when the report has none
 * @param pkgPath          the file the package was found in (jar, node module, Go binary)
 * @param purl             the package URL, when the report has one
 * @param title            one line for people
 * @param primaryUrl       where to read more
 * @param aliases          other ids the finding is known by (a misconfiguration's AVDID, a Snyk issue's CVEs), for
 *                         ignore rules
 * @param paths            the dependency paths that bring the package in (Snyk lists one entry per path; korea
 *                         counts the finding once and keeps its paths here), at most {@link #MAX_PATHS}
 * @param pathCount        how many paths there were in all (more than {@code paths} when they were cut)
 */
public record Finding(FindingKind kind, String id, Severity severity, String target, String resource, String pkgName,
        String installedVersion, String fixedVersion, String status, String pkgPath, String purl, String title,
        String primaryUrl, List<String> aliases, List<String> paths, int pathCount) implements PendingFinding {

    /** Paths kept per finding; a package pulled in a thousand ways needs only a few to be understood. */
    public static final int MAX_PATHS = 20;

    public Finding {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        paths = paths == null ? List.of() : List.copyOf(paths.size() > MAX_PATHS ? paths.subList(0, MAX_PATHS) : paths);
        pathCount = Math.max(pathCount, paths.size());
    }

    /** A finding of a scanner that names no dependency paths (Trivy, Grype). */
    public Finding(FindingKind kind, String id, Severity severity, String target, String resource, String pkgName,
            String installedVersion, String fixedVersion, String status, String pkgPath, String purl, String title,
            String primaryUrl, List<String> aliases) {
        this(kind, id, severity, target, resource, pkgName, installedVersion, fixedVersion, status, pkgPath, purl,
                title, primaryUrl, aliases, List.of(), 0);
    }

    /** This finding: it is built already. */
    @Override
    public Finding finding() {
        return this;
    }

    Finding withTarget(String newTarget) {
        return new Finding(kind, id, severity, newTarget, resource, pkgName, installedVersion, fixedVersion, status,
                pkgPath, purl, title, primaryUrl, aliases, paths, pathCount);
    }

    /** Whether a fixed version exists: Status {@code fixed}, or no Status and a FixedVersion (older reports). */
    public boolean fixed() {
        if (status != null && !status.isEmpty()) {
            return "fixed".equals(status);
        }
        return fixedVersion != null && !fixedVersion.isBlank();
    }

    /** Where it was found, for one-line displays: resource, target, and the package path when it adds anything. */
    public String location() {
        StringBuilder sb = new StringBuilder();
        if (resource != null) {
            sb.append(resource).append(": ");
        }
        sb.append(target == null ? "" : target);
        if (pkgPath != null && target != null && pkgPath.startsWith(target + ":")) {
            sb.append(pkgPath.substring(target.length())); // a secret's line
        } else if (pkgPath != null && !pkgPath.isEmpty() && !pkgPath.equals(target)) {
            sb.append(" (").append(pkgPath).append(')');
        }
        if (pathCount > 1) {
            sb.append(" and ").append(pathCount - 1).append(pathCount == 2 ? " more path" : " more paths");
        }
        return sb.toString();
    }
}
