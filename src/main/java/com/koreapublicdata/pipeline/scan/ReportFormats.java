package com.koreapublicdata.pipeline.scan;

import java.util.List;
import java.util.NoSuchElementException;

/** The report formats korea reads, in an explicit list keyed by kebab-case id. */
public final class ReportFormats {
    private static final List<ReportFormat> ALL = List.of(new TrivyFormat(), new TrivyLegacyFormat(),
            new TrivyK8sFormat(), new GrypeFormat(), new SnykFormat());

    private ReportFormats() {
    }

    /** The ids of every supported format: trivy, trivy-legacy, trivy-k8s, grype, snyk. */
    public static List<String> ids() {
        return ALL.stream().map(ReportFormat::id).toList();
    }

    /** What people call the format with this id. */
    public static String name(String id) {
        return get(id).name();
    }

    static List<ReportFormat> all() {
        return ALL;
    }

    static ReportFormat get(String id) {
        return ALL.stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No such report format: " + id + "; known: " + ids()));
    }

    /** The format whose top-level key this is, or null. */
    static ReportFormat owning(String key) {
        for (ReportFormat format : ALL) {
            if (format.keys().contains(key)) {
                return format;
            }
        }
        return null;
    }

    /**
     * The format of a bare top-level array whose first element's first key is {@code firstKey} (null when unknown):
     * Snyk's {@code --all-projects} array when that key is Snyk's, otherwise pre-0.19 Trivy (whose reader says
     * what it expected of an array of anything else).
     */
    static ReportFormat forArrays(String firstKey) {
        if (firstKey != null) {
            for (ReportFormat format : ALL) {
                if (format.readsArrays() && format.keys().contains(firstKey)) {
                    return format;
                }
            }
        }
        return ALL.stream().filter(f -> f.readsArrays() && f.keys().isEmpty()).findFirst().orElseThrow();
    }
}
