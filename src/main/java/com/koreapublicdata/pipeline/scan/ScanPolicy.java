package com.koreapublicdata.pipeline.scan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.ScanSettings;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * What the gate blocks and what it lets go, after korea.yaml's {@code scan:} and the command line.
 *
 * @param blocking          the exact set of severities that fail the gate
 * @param ignoreUnfixed     drop vulnerabilities without a fix (Status present and not {@code fixed}, or no Status
 *                          and no FixedVersion)
 * @param ignoreStatuses    drop vulnerabilities whose Status is one of these
 * @param secrets           whether secrets are gated (they are always counted)
 * @param misconfigurations whether failed misconfiguration checks are gated (they are always counted)
 * @param ignores           exceptions from the ignore file
 * @param maxDetails        how many blocking and suppressed findings are kept in detail; the rest are only counted
 */
public record ScanPolicy(Set<Severity> blocking, boolean ignoreUnfixed, Set<String> ignoreStatuses, boolean secrets,
        boolean misconfigurations, IgnoreRules ignores, int maxDetails) {

    /** Trivy's vulnerability statuses (trivy-db pkg/types/status.go). */
    public static final List<String> STATUSES = List.of("unknown", "not_affected", "affected", "fixed",
            "under_investigation", "will_not_fix", "fix_deferred", "end_of_life");

    public static final int DEFAULT_MAX_DETAILS = 1000;

    public ScanPolicy {
        if (blocking == null || blocking.isEmpty()) {
            throw KoreaException.invalidInput("the gate needs at least one blocking severity; allowed: "
                    + "CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN");
        }
        blocking = Collections.unmodifiableSet(EnumSet.copyOf(blocking));
        ignoreStatuses = ignoreStatuses == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(ignoreStatuses));
        for (String status : ignoreStatuses) {
            if (!STATUSES.contains(status)) {
                throw KoreaException.invalidInput("ignore status '" + status + "' is not a Trivy status; allowed: "
                        + String.join(", ", STATUSES));
            }
        }
        ignores = ignores == null ? IgnoreRules.none() : ignores;
        if (maxDetails < 1) {
            throw KoreaException.invalidInput("maxDetails must be at least 1, not " + maxDetails);
        }
    }

    /** The command line's word over korea.yaml's; null fields keep korea.yaml's value. */
    public record Overrides(List<Severity> failOn, Boolean ignoreUnfixed, List<String> ignoreStatuses,
            Path ignoreFile, Boolean secrets, Boolean misconfigurations, Integer maxDetails) {

        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null);
        }
    }

    /**
     * Builds the policy. {@code --fail-on} is the exact set; without it the set is korea.yaml's failOn plus
     * UNKNOWN unless allowUnknown. The ignore file is the command line's, else korea.yaml's (both must exist),
     * else {@code .trivyignore} next to korea.yaml when present.
     */
    public static ScanPolicy from(ScanSettings settings, Overrides overrides, Path baseDir) {
        ScanSettings s = settings == null ? ScanSettings.defaults() : settings;
        Overrides o = overrides == null ? Overrides.none() : overrides;
        Set<Severity> blocking = o.failOn() != null ? new LinkedHashSet<>(o.failOn()) : s.blockingSeverities();
        if (o.failOn() != null && o.failOn().isEmpty()) {
            throw KoreaException.invalidInput("--fail-on needs at least one severity: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN");
        }
        Set<String> statuses = new LinkedHashSet<>(o.ignoreStatuses() != null ? o.ignoreStatuses() : s.ignoreStatuses());
        IgnoreRules ignores;
        if (o.ignoreFile() != null) {
            ignores = IgnoreRules.load(o.ignoreFile(), true);
        } else if (s.ignoreFile() != null) {
            ignores = IgnoreRules.load(s.ignoreFile(baseDir), true);
        } else {
            ignores = IgnoreRules.load(baseDir == null ? null : baseDir.resolve(".trivyignore"), false);
        }
        return new ScanPolicy(blocking, o.ignoreUnfixed() != null ? o.ignoreUnfixed() : s.ignoreUnfixed(), statuses,
                o.secrets() != null ? o.secrets() : s.secrets(),
                o.misconfigurations() != null ? o.misconfigurations() : s.misconfigurations(), ignores,
                o.maxDetails() != null ? o.maxDetails() : DEFAULT_MAX_DETAILS);
    }

    /** The blocking severities, most severe first, as people read them. */
    public List<Severity> blockingOrdered() {
        List<Severity> out = new ArrayList<>(blocking);
        Collections.reverse(out);
        return out;
    }

    /** Whether a finding of this kind and severity fails the gate (once it survived the ignore rules). */
    public boolean blocks(FindingKind kind, Severity severity) {
        if (!blocking.contains(severity)) {
            return false;
        }
        return switch (kind) {
            case SECRET -> secrets;
            case MISCONFIGURATION -> misconfigurations;
            default -> true;
        };
    }
}
