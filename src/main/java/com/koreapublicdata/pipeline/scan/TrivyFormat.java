package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Trivy's JSON report, schema 2 (v0.19 and later): image, fs, repo, rootfs, sbom and config scans. */
final class TrivyFormat implements ReportFormat {

    @Override
    public String id() {
        return "trivy";
    }

    @Override
    public String name() {
        return "Trivy JSON (schema 2)";
    }

    @Override
    public String scanner() {
        return "trivy";
    }

    @Override
    public Set<String> keys() {
        return Set.of("ArtifactName", "ArtifactType", "Metadata", "Results", "Trivy", "ReportID", "ArtifactID");
    }

    @Override
    public void readField(String key, JsonParser p, ReadContext c) throws IOException {
        switch (key) {
            case "ArtifactName" -> c.artifactName = c.text(p);
            case "Results" -> TrivyResults.readReportResults(p, c);
            case "Metadata" -> metadata(p, c);
            case "Trivy" -> c.scannerVersion = version(p, c);
            default -> p.skipChildren();
        }
    }

    private static void metadata(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "ImageID" -> {
                    String id = c.text(p);
                    c.imageId = Digests.isDigest(id) ? Digests.normalise(id) : null;
                }
                case "RepoDigests" -> c.texts(p).forEach(c::addRepoDigest);
                default -> p.skipChildren();
            }
        }
    }

    private static String version(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("Version".equals(key)) {
                version = c.text(p);
            } else {
                p.skipChildren();
            }
        }
        return version;
    }
}
