package com.koreapublicdata.pipeline.deploy;

import java.util.Optional;

/**
 * Whether an image digest passed the security gate. The engine asks before any cluster call; the CLI reads
 * {@code <stateDir>/scans/<sha256-hex>.json} ({@link ScanRecordFiles}); the integrator may plug in scan.ScanRecords.
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
}
