package com.koreapublicdata.pipeline.scan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.config.Severity;

/**
 * The security gate. It takes findings one at a time (straight from the streaming readers), applies the policy
 * in Trivy's order (status and ignore-unfixed, then the ignore file), counts what is left, and keeps only the
 * blocking and suppressed findings, each bounded, so a report of any size runs in constant memory.
 */
public final class Gate implements Consumer<Finding> {
    private static final int MAX_TARGETS = 500;
    private static final String OTHER_TARGETS = "(other targets)";
    /**
     * Targets a continuation counts one by one, so that each can be merged where reading in order would have
     * counted it; a later part with more is not merged (the reader reads it itself), which keeps memory bounded.
     */
    private static final int CONTINUATION_TARGETS = 2 * MAX_TARGETS;
    private static final Severity[] SEVERITIES = Severity.values();

    private final ScanPolicy policy;
    private final Instant now;
    private final long[][] counts = new long[FindingKind.values().length][SEVERITIES.length];
    // in order of first appearance, so a continuation's targets merge as if read in order
    private final Map<String, long[]> targets = new LinkedHashMap<>();
    private final boolean continuation;
    private boolean tooManyTargets;
    private final PriorityQueue<Kept> blocking;
    private long blockingTotal;
    private long sequence;
    private final List<Suppression> suppressed = new ArrayList<>();
    private long suppressedTotal;
    private final Map<IgnoreRule, Long> expiredHits = new LinkedHashMap<>();

    public Gate(ScanPolicy policy, Instant now) {
        this(policy, now, false);
    }

    private Gate(ScanPolicy policy, Instant now, boolean continuation) {
        this.policy = policy;
        this.now = now;
        this.continuation = continuation;
        // the least severe (then the latest) kept finding sits on top, so it is the one dropped at the limit
        this.blocking = new PriorityQueue<>(Gate::leastKept);
    }

    @Override
    public void accept(Finding f) {
        accept((PendingFinding) f);
    }

    /** Takes a finding; its text is built ({@link PendingFinding#finding()}) only when it is kept or matched. */
    void accept(PendingFinding f) {
        FindingKind kind = f.kind();
        String status = f.status();
        if (kind == FindingKind.MISCONFIGURATION && status != null && !status.isEmpty() && !"FAIL".equals(status)) {
            return; // PASS and EXCEPTION are not findings; an absent status reads as FAIL (fail closed)
        }
        if (kind == FindingKind.VULNERABILITY) {
            if (status != null && !policy.ignoreStatuses().isEmpty() && policy.ignoreStatuses().contains(status)) {
                if (listsMoreSuppressed()) {
                    suppressed.add(new Suppression(f.finding(), "ignore-status", "status " + status + " is ignored",
                            null, null, null));
                }
                suppressedTotal++;
                return;
            }
            if (policy.ignoreUnfixed() && !f.fixed()) {
                if (listsMoreSuppressed()) {
                    suppressed.add(new Suppression(f.finding(), "ignore-unfixed", "no fixed version"
                            + (status == null ? "" : " (status " + status + ")"), null, null, null));
                }
                suppressedTotal++;
                return;
            }
        }
        // without an ignore file (the common case) no finding is built to be matched
        IgnoreRule rule = policy.ignores().rules().isEmpty() ? null : policy.ignores().match(f.finding(), now);
        if (rule != null) {
            if (rule.activeAt(now)) {
                if (listsMoreSuppressed()) {
                    suppressed.add(new Suppression(f.finding(), "ignore-file", "ignored by " + rule.source()
                            + (rule.expires() == null ? "" : " until " + rule.expires()), rule.source(),
                            rule.expires(), rule.statement()));
                }
                suppressedTotal++;
                return;
            }
            expiredHits.merge(rule, 1L, Long::sum);
        }
        Severity severity = f.severity();
        int sev = severity.ordinal();
        counts[kind.ordinal()][sev]++;
        countTarget(f.resource(), f.target(), sev);
        if (policy.blocks(kind, severity)) {
            blockingTotal++;
            keep(f, sequence++);
        }
    }

    private boolean listsMoreSuppressed() {
        return suppressed.size() < policy.maxDetails();
    }

    /**
     * Whether a finding taken from now on may need its text: it could still be listed (as blocking or suppressed)
     * or matched against ignore rules. Once the kept findings are all of the top severity and no more suppressed
     * ones can be listed, findings are only counted, and a reader need not read their text.
     */
    boolean mayList() {
        boolean ignoreFile = !policy.ignores().rules().isEmpty();
        boolean suppresses = ignoreFile || policy.ignoreUnfixed() || !policy.ignoreStatuses().isEmpty();
        return ignoreFile || (suppresses && listsMoreSuppressed()) || blocking.size() < policy.maxDetails()
                || blocking.peek().finding.severity() != SEVERITIES[SEVERITIES.length - 1];
    }

    /** Keeps a blocking finding in detail if it is among the most severe; {@code seq} is later than any kept. */
    private void keep(PendingFinding f, long seq) {
        // once full, a finding no more severe than the top would be the one dropped: skip the heap's work
        if (blocking.size() < policy.maxDetails() || f.severity().compareTo(blocking.peek().finding.severity()) > 0) {
            blocking.add(new Kept(f.finding(), seq));
            if (blocking.size() > policy.maxDetails()) {
                blocking.poll();
            }
        }
    }

    /**
     * A gate for the later part of the same report, read at the same time on another thread (ReportReader);
     * {@link #append} then adds what it saw as if this gate had gone on reading.
     */
    Gate continuation() {
        return new Gate(policy, now, true);
    }

    /** Whether {@link #append} can add this continuation exactly (it did not meet too many targets to track). */
    boolean appendable() {
        return continuation && !tooManyTargets;
    }

    /** Adds what {@code later} (a {@link #continuation()}) saw, as if its findings had come here after ours. */
    void append(Gate later) {
        if (!later.appendable()) {
            throw new IllegalArgumentException("not an appendable continuation of this gate");
        }
        for (int kind = 0; kind < counts.length; kind++) {
            for (int sev = 0; sev < SEVERITIES.length; sev++) {
                counts[kind][sev] += later.counts[kind][sev];
            }
        }
        // in the order they first appeared, so each lands where it would have landed read in order
        later.targets.forEach((target, counted) -> {
            long[] row = targetRow(target);
            for (int sev = 0; sev < row.length; sev++) {
                row[sev] += counted[sev];
            }
        });
        blockingTotal += later.blockingTotal;
        // in the order they were found, as keep() expects
        List<Kept> kept = new ArrayList<>(later.blocking);
        kept.sort(Comparator.comparingLong(Kept::sequence));
        kept.forEach(k -> keep(k.finding, sequence + k.sequence));
        sequence += later.sequence;
        for (Suppression s : later.suppressed) {
            if (suppressed.size() < policy.maxDetails()) {
                suppressed.add(s);
            }
        }
        suppressedTotal += later.suppressedTotal;
        later.expiredHits.forEach((rule, hits) -> expiredHits.merge(rule, hits, Long::sum));
    }

    /** The heap's order: less severe first, then later first (without boxing: it runs once per blocking finding). */
    private static int leastKept(Kept a, Kept b) {
        int bySeverity = a.finding.severity().compareTo(b.finding.severity());
        return bySeverity != 0 ? bySeverity : Long.compare(b.sequence, a.sequence);
    }

    private void countTarget(String resource, String target, int sev) {
        String key = resource == null ? nonNull(target) : resource + ": " + nonNull(target);
        if (continuation && !targets.containsKey(key) && targets.size() >= CONTINUATION_TARGETS) {
            tooManyTargets = true; // the reader then reads this part itself, in order
            return;
        }
        targetRow(key)[sev]++;
    }

    /** The counts of a target; past MAX_TARGETS (not in a continuation), the new ones share one row. */
    private long[] targetRow(String key) {
        long[] row = targets.get(key);
        if (row == null) {
            if (!continuation && targets.size() >= MAX_TARGETS) {
                key = OTHER_TARGETS;
                row = targets.get(key);
            }
            if (row == null) {
                row = new long[SEVERITIES.length];
                targets.put(key, row);
            }
        }
        return row;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** The verdict and everything kept, for the reports read. */
    public ScanReport report(List<ReportInfo> reports) {
        Map<String, Map<Severity, Long>> byKind = new LinkedHashMap<>();
        for (FindingKind kind : FindingKind.values()) {
            byKind.put(kind.plural(), bySeverity(counts[kind.ordinal()]));
        }
        List<ScanReport.TargetCount> targetCounts = new ArrayList<>();
        targets.forEach((target, row) -> targetCounts.add(new ScanReport.TargetCount(target, bySeverity(row), sum(row))));
        targetCounts.sort(Comparator.comparing((ScanReport.TargetCount t) -> OTHER_TARGETS.equals(t.target()))
                .thenComparing(Comparator.comparingLong(ScanReport.TargetCount::total).reversed())
                .thenComparing(ScanReport.TargetCount::target));
        List<Kept> kept = new ArrayList<>(blocking);
        kept.sort(Comparator.comparing((Kept k) -> k.finding.severity()).reversed()
                .thenComparingLong(k -> k.sequence));
        List<ExpiredIgnore> expired = new ArrayList<>();
        for (IgnoreRule rule : policy.ignores().rules()) {
            if (!rule.activeAt(now)) {
                expired.add(new ExpiredIgnore(rule.id(), rule.expires(), rule.source(), rule.statement(),
                        expiredHits.getOrDefault(rule, 0L)));
            }
        }
        List<String> warnings = new ArrayList<>(policy.ignores().warnings());
        if (blockingTotal > kept.size()) {
            warnings.add(blockingTotal + " findings block; the " + kept.size() + " most severe are listed");
        }
        if (suppressedTotal > suppressed.size()) {
            warnings.add(suppressedTotal + " findings were suppressed; the first " + suppressed.size() + " are listed");
        }
        List<String> scanErrors = new ArrayList<>();
        reports.forEach(info -> info.scanErrors().forEach(e -> scanErrors.add(info.source() + ": " + e)));
        boolean pass = blockingTotal == 0 && scanErrors.isEmpty();
        return new ScanReport(pass ? ScanReport.PASS : ScanReport.FAIL,
                Collections.unmodifiableMap(byKind), targetCounts, kept.stream().map(k -> k.finding).toList(),
                blockingTotal, suppressed, suppressedTotal, expired, reports, policy, null, null,
                pass ? "not recorded yet" : "the gate failed: no scan record written", warnings, scanErrors, now);
    }

    private static Map<Severity, Long> bySeverity(long[] row) {
        Map<Severity, Long> out = new LinkedHashMap<>();
        for (int i = SEVERITIES.length - 1; i >= 0; i--) {
            out.put(SEVERITIES[i], row[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static long sum(long[] row) {
        long total = 0;
        for (long n : row) {
            total += n;
        }
        return total;
    }

    private record Kept(Finding finding, long sequence) {
    }
}
