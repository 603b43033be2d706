package com.koreapublicdata.pipeline.scan;

import java.util.List;

/**
 * What one report said about itself.
 *
 * @param source         the file read (or "trivy image REF" when korea ran Trivy)
 * @param format         the format id: trivy, trivy-legacy, trivy-k8s or grype
 * @param artifactName   the image, path or cluster scanned, when the report names it
 * @param scanner        trivy or grype
 * @param scannerVersion the scanner's version, when the report (or the binary) tells it
 * @param repoDigests    manifest digests ({@code sha256:...}) from Metadata.RepoDigests (or Grype's repoDigests)
 * @param imageId        the image (config) id, {@code sha256:...}, when known
 * @param findings       how many findings the report held, before any rule
 * @param scanErrors     parts the scanner says it could not scan (k8s resources with an Error); any makes the gate
 *                       fail
 */
public record ReportInfo(String source, String format, String artifactName, String scanner, String scannerVersion,
        List<String> repoDigests, String imageId, long findings, List<String> scanErrors) {

    public ReportInfo {
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        scanErrors = scanErrors == null ? List.of() : List.copyOf(scanErrors);
    }

    ReportInfo withScannerVersion(String version) {
        return new ReportInfo(source, format, artifactName, scanner, version, repoDigests, imageId, findings,
                scanErrors);
    }

    ReportInfo withSource(String newSource) {
        return new ReportInfo(newSource, format, artifactName, scanner, scannerVersion, repoDigests, imageId, findings,
                scanErrors);
    }
}
