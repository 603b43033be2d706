package com.koreapublicdata.pipeline.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Finds the digest of an image given by tag, so the deploy can pin it. */
@FunctionalInterface
public interface DigestLookup {

    Optional<String> digestOf(String component, ImageReference image);

    DigestLookup NONE = (component, image) -> Optional.empty();

    /**
     * The build records {@code korea build} writes, {@code <stateDir>/builds/<component>/<sha256-hex>.json}
     * ({@code {image, tags, digest, reference}}): the record whose reference or image:tag matches.
     */
    static DigestLookup buildRecords(Path stateDir) {
        return (component, image) -> {
            Path dir = stateDir.resolve("builds").resolve(component);
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            String wanted = image.repository() + (image.tag() == null ? "" : ":" + image.tag());
            ObjectMapper json = new ObjectMapper();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    JsonNode r = json.readTree(f.toFile());
                    String digest = r.path("digest").asText(null);
                    if (digest == null) {
                        continue;
                    }
                    if (wanted.equals(r.path("reference").asText()) || matchesTag(r, image)) {
                        return Optional.of(digest);
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.empty();
        };
    }

    private static boolean matchesTag(JsonNode record, ImageReference image) {
        if (image.tag() == null || !image.repository().equals(record.path("image").asText())) {
            return false;
        }
        for (JsonNode t : record.path("tags")) {
            String tag = t.asText();
            if (tag.equals(image.tag()) || tag.endsWith(":" + image.tag())) {
                return true;
            }
        }
        return false;
    }
}
