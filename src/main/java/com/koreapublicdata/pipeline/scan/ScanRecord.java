package com.koreapublicdata.pipeline.scan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Proof that an image passed the security gate, written to {@code <stateDir>/scans/<sha256-hex>.json}. Promotion
 * to staging and production looks it up by digest.
 *
 * @param digest         {@code sha256:...} of the image scanned
 * @param image          the image reference or artifact scanned, when known
 * @param component      the korea.yaml component, when given
 * @param verdict        always {@code pass} (no record is written for a failed scan)
 * @param time           when the gate decided
 * @param policy         the policy it passed
 * @param counts         findings after ignore rules, by kind and severity
 * @param suppressed     how many findings were suppressed
 * @param scanner        trivy or grype
 * @param scannerVersion the scanner's version, when known
 * @param reports        the reports the decision was made from
 */
public record ScanRecord(String digest, String image, String component, String verdict, Instant time,
        Policy policy, Map<String, Map<String, Long>> counts, long suppressed, String scanner, String scannerVersion,
        List<String> reports) {

    public ScanRecord {
        reports = reports == null ? List.of() : List.copyOf(reports);
        if (counts != null) {
            // keep the order the record was written in (kinds, then CRITICAL first)
            Map<String, Map<String, Long>> copy = new java.util.LinkedHashMap<>();
            counts.forEach((kind, row) -> copy.put(kind, row == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row))));
            counts = java.util.Collections.unmodifiableMap(copy);
        }
    }

    public boolean passed() {
        return ScanReport.PASS.equals(verdict);
    }

    /**
     * The policy a record was made under, so promotion can tell a lenient scan from a strict one.
     *
     * @param failOn            blocking severities, most severe first
     * @param ignoreUnfixed     whether unfixed vulnerabilities were ignored
     * @param ignoreStatuses    vulnerability statuses ignored
     * @param secrets           whether secrets were gated
     * @param misconfigurations whether misconfigurations were gated
     * @param ignoreFile        the ignore file applied, or null
     * @param ignoreRules       how many active exceptions it held
     */
    public record Policy(List<String> failOn, boolean ignoreUnfixed, List<String> ignoreStatuses, boolean secrets,
            boolean misconfigurations, String ignoreFile, int ignoreRules) {
        public Policy {
            failOn = failOn == null ? List.of() : List.copyOf(failOn);
            ignoreStatuses = ignoreStatuses == null ? List.of() : List.copyOf(ignoreStatuses);
        }
    }
}
