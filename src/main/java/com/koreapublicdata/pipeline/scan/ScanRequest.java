package com.koreapublicdata.pipeline.scan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.koreapublicdata.pipeline.config.ScanTool;
import com.koreapublicdata.pipeline.config.SnykSettings;

/**
 * One {@code korea scan}: what to read or scan, under which policy, and where records go.
 *
 * @param reports   existing reports to read (Trivy or Grype JSON); when given, no scanner runs
 * @param image     the image reference: scanned with {@code trivy image} when there are no reports, otherwise only
 *                  the label (and digest, when it has {@code @sha256:}) of the reports
 * @param tarball   an image tarball to scan with {@code trivy image --input}
 * @param dir       a directory to scan with {@code trivy fs}
 * @param digest    the image digest ({@code sha256:...}) the scan is for, or null to take it from the image
 *                  reference or the report
 * @param component the korea.yaml component, recorded in the scan record, or null
 * @param policy    the gate's policy
 * @param stateDir  where {@code scans/<hex>.json} records go
 * @param timeout   how long each scanner may run
 * @param tools     the scanners that run when there are no reports (korea.yaml scan.tools), each gating
 * @param allowMissingScanner whether a scanner that cannot run here (not installed, no token) is left out with a
 *                  warning instead of failing the scan (the environment's allowMissingScanner); with none left the
 *                  scan fails all the same: a gate with no scanner is no pass
 * @param snyk      Snyk's settings (monitor after a pass, organisation)
 */
public record ScanRequest(List<Path> reports, String image, Path tarball, Path dir, String digest, String component,
        ScanPolicy policy, Path stateDir, Duration timeout, List<ScanTool> tools, boolean allowMissingScanner,
        SnykSettings snyk) {

    public ScanRequest {
        reports = reports == null ? List.of() : List.copyOf(reports);
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
        tools = tools == null || tools.isEmpty() ? List.of(ScanTool.TRIVY) : List.copyOf(tools);
        snyk = snyk == null ? SnykSettings.defaults() : snyk;
    }

    /** Trivy alone, as before scan.tools. */
    public ScanRequest(List<Path> reports, String image, Path tarball, Path dir, String digest, String component,
            ScanPolicy policy, Path stateDir, Duration timeout) {
        this(reports, image, tarball, dir, digest, component, policy, stateDir, timeout, null, false, null);
    }
}
