package com.koreapublicdata.pipeline.scan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.config.Severity;

/**
 * The gate's result, the one thing every renderer takes.
 *
 * @param verdict         {@code pass} or {@code fail}
 * @param counts          findings after ignore rules and ignore-unfixed, before the gate, by kind plural
 *                        (vulnerabilities, misconfigurations, secrets, licenses) and severity
 * @param targets         the same counts (all kinds) by target, most findings first; at most a few hundred
 * @param blocking        the blocking findings kept in detail (the most severe first), at most policy.maxDetails
 * @param blockingTotal   how many findings block, in all
 * @param suppressed      suppressed findings kept in detail, at most policy.maxDetails
 * @param suppressedTotal how many findings were suppressed, in all
 * @param expiredIgnores  exceptions whose date has passed
 * @param reports         the reports read
 * @param policy          the policy applied
 * @param digest          the image digest the scan is for, or null when unknown
 * @param record          where the scan record was written, or null
 * @param recordNote      why no record was written (fail, no digest), or null
 * @param warnings        things people should know (dropped ignore lines, disagreeing digests)
 * @param scanErrors      parts of the scan the scanner could not do; any of them makes the verdict fail
 * @param time            when the gate decided
 */
public record ScanReport(String verdict, Map<String, Map<Severity, Long>> counts, List<TargetCount> targets,
        List<Finding> blocking, long blockingTotal, List<Suppression> suppressed, long suppressedTotal,
        List<ExpiredIgnore> expiredIgnores, List<ReportInfo> reports, ScanPolicy policy, String digest, String record,
        String recordNote, List<String> warnings, List<String> scanErrors, Instant time) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";

    public ScanReport {
        counts = copy(counts);
        targets = List.copyOf(targets);
        blocking = List.copyOf(blocking);
        suppressed = List.copyOf(suppressed);
        expiredIgnores = List.copyOf(expiredIgnores);
        reports = List.copyOf(reports);
        warnings = List.copyOf(warnings);
        scanErrors = List.copyOf(scanErrors);
    }

    public boolean passed() {
        return PASS.equals(verdict);
    }

    /** Counts of one kind ({@code vulnerabilities}, ...), CRITICAL first. */
    public Map<Severity, Long> counts(FindingKind kind) {
        return counts.get(kind.plural());
    }

    /** Findings counted in all, every kind. */
    public long total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    ScanReport withDigest(String newDigest, String newRecord, String newRecordNote, List<String> moreWarnings) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(moreWarnings);
        return new ScanReport(verdict, counts, targets, blocking, blockingTotal, suppressed, suppressedTotal,
                expiredIgnores, reports, policy, newDigest, newRecord, newRecordNote, all, scanErrors, time);
    }

    /**
     * Counts for one target.
     *
     * @param target the Result Target (with the k8s resource in front, when there is one)
     * @param counts by severity, CRITICAL first
     * @param total  all findings there
     */
    public record TargetCount(String target, Map<Severity, Long> counts, long total) {
        public TargetCount {
            counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
        }
    }

    /** An unchangeable copy that keeps the order (kinds as given, CRITICAL first). */
    private static Map<String, Map<Severity, Long>> copy(Map<String, Map<Severity, Long>> counts) {
        Map<String, Map<Severity, Long>> copy = new java.util.LinkedHashMap<>();
        counts.forEach((kind, row) -> copy.put(kind, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row))));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
