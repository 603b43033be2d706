package com.koreapublicdata.pipeline.deploy;

import java.util.Optional;

/**
 * Whether an image digest passed the security gate. The engine asks before any cluster call; the CLI reads
 * {@code <stateDir>/scans/<sha256-hex>.json} ({@code wiring.ScanRecordFiles}, which the CLI's wiring plugs in).
 */
@FunctionalInterface
public interface ScanGate {

    /**
     * @param digest {@code sha256:<hex>}
     * @return empty when a passing scan record exists; otherwise why not (no record, or its verdict)
     */
    Optional<String> refusal(String digest);

    /** A gate that passes everything (for environments with requireScan false only). */
    ScanGate NONE = digest -> Optional.empty();

    /** Used when no scan records are wired: refuses (fail closed) instead of pretending an image was scanned. */
    ScanGate UNAVAILABLE = digest -> Optional.of("no scan records are wired into this engine (DeployServices.withScanGate), "
            + "so nothing can vouch for " + digest);
}
