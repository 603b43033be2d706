package com.koreapublicdata.pipeline.deploy;

import java.util.Optional;

import com.koreapublicdata.pipeline.config.Environment;

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

    /** Why {@code env} refuses {@code image} (digest null when it could not be pinned), or empty when it accepts it. */
    default Optional<String> refusal(Environment env, String image, String digest) {
        if (!env.requireScan()) {
            return Optional.empty();
        }
        Optional<String> scan = digest == null
                ? Optional.of("the digest of " + image + " is unknown (no @sha256: in --image and no build record), "
                        + "so no scan record can vouch for it")
                : refusal(digest);
        return scan.map(why -> "environment " + env.name() + " requires a passing scan (environments." + env.name()
                + ".requireScan): " + why);
    }
}
