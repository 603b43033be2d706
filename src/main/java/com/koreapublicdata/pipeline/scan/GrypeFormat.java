package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * {@code grype -o json}: {@code {matches[], source, distro, descriptor}}. Matches Grype already ignored
 * ({@code ignoredMatches}) are not findings. Grype's fix state maps onto Trivy's statuses so one policy serves
 * both: fixed, not-fixed -> affected, wont-fix -> will_not_fix, unknown.
 */
final class GrypeFormat implements ReportFormat {

    @Override
    public String id() {
        return "grype";
    }

    @Override
    public String name() {
        return "Grype JSON (grype -o json)";
    }

    @Override
    public String scanner() {
        return "grype";
    }

    @Override
    public Set<String> keys() {
        return Set.of("matches", "ignoredMatches", "source", "distro", "descriptor");
    }

    @Override
    public void readField(String key, JsonParser p, ReadContext c) throws IOException {
        switch (key) {
            case "matches" -> TrivyResults.readList(p, c, "matches", () -> c.emit(match(p, c)));
            case "source" -> source(p, c);
            case "descriptor" -> descriptor(p, c);
            default -> p.skipChildren();
        }
    }

    private static Finding match(JsonParser p, ReadContext c) throws IOException {
        String id = null;
        String severity = null;
        String fixState = null;
        List<String> fixVersions = List.of();
        String url = null;
        String description = null;
        String pkgName = null;
        String version = null;
        String purl = null;
        String type = null;
        String path = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("vulnerability".equals(key) && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    switch (k) {
                        case "id" -> id = c.text(p);
                        case "severity" -> severity = c.text(p);
                        case "dataSource" -> url = c.text(p);
                        case "description" -> description = c.text(p);
                        case "fix" -> {
                            if (p.currentToken() == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String f = p.currentName();
                                    p.nextToken();
                                    if ("versions".equals(f)) {
                                        fixVersions = c.texts(p);
                                    } else if ("state".equals(f)) {
                                        fixState = c.text(p);
                                    } else {
                                        p.skipChildren();
                                    }
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } else if ("artifact".equals(key) && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    switch (k) {
                        case "name" -> pkgName = c.text(p);
                        case "version" -> version = c.text(p);
                        case "purl" -> purl = c.text(p);
                        case "type" -> type = c.text(p);
                        case "locations" -> path = firstPath(p, c);
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            throw c.invalid(p, "a Grype match has no vulnerability.id");
        }
        Severity sev = c.grypeSeverity(p, severity, id);
        String fixed = fixVersions.isEmpty() ? null : String.join(", ", fixVersions);
        String target = path != null ? path : (type == null ? pkgName : type + " packages");
        String title = description == null ? null
                : description.length() > 200 ? description.substring(0, 197) + "..." : description;
        return new Finding(FindingKind.VULNERABILITY, id, sev, target, null, pkgName, version, fixed, status(fixState),
                path, purl, title, url, null);
    }

    private static String status(String fixState) {
        if (fixState == null) {
            return null;
        }
        return switch (fixState) {
            case "fixed" -> "fixed";
            case "not-fixed" -> "affected";
            case "wont-fix" -> "will_not_fix";
            default -> "unknown";
        };
    }

    private static String firstPath(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        String first = null;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    if ("path".equals(k) && first == null) {
                        first = c.text(p);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return first;
    }

    private static void source(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("target".equals(key) && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    switch (k) {
                        case "userInput" -> c.artifactName = c.text(p);
                        case "imageID" -> {
                            String id = c.text(p);
                            c.imageId = Digests.isDigest(id) ? Digests.normalise(id) : null;
                        }
                        case "manifestDigest" -> c.addRepoDigest(c.text(p));
                        case "repoDigests" -> c.texts(p).forEach(c::addRepoDigest);
                        default -> p.skipChildren();
                    }
                }
            } else if ("target".equals(key) && p.currentToken() == JsonToken.VALUE_STRING && c.artifactName == null) {
                c.artifactName = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void descriptor(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("version".equals(key)) {
                c.scannerVersion = c.text(p);
            } else {
                p.skipChildren();
            }
        }
    }
}
