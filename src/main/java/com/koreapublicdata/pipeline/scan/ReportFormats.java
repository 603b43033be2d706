package com.koreapublicdata.pipeline.scan;

import java.util.List;
import java.util.NoSuchElementException;

/** The report formats korea reads, in an explicit list keyed by kebab-case id. */
public final class ReportFormats {
    private static final List<ReportFormat> ALL = List.of(new TrivyFormat(), new TrivyLegacyFormat(),
            new TrivyK8sFormat(), new GrypeFormat());

    private ReportFormats() {
    }

    /** The ids of every supported format: trivy, trivy-legacy, trivy-k8s, grype. */
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

    static ReportFormat forArrays() {
        return ALL.stream().filter(ReportFormat::readsArrays).findFirst().orElseThrow();
    }
}
