package com.koreapublicdata.pipeline.deploy;

import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.KoreaException;

/**
 * An image reference split into repository, tag and digest: {@code registry:5000/team/app:1.2@sha256:...}.
 *
 * @param repository everything before the tag and digest
 * @param tag        the tag, or null
 * @param digest     {@code sha256:<hex>}, or null
 */
public record ImageReference(String repository, String tag, String digest) {
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");

    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw KoreaException.invalidInput("--image '" + reference + "' is not an image reference (e.g. registry/app:1.2 or registry/app@sha256:...)");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw KoreaException.invalidInput("--image '" + reference + "': the digest must be sha256: and 64 hex digits");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            throw KoreaException.invalidInput("--image '" + reference + "' has no repository");
        }
        return new ImageReference(rest, tag, digest);
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(repository, tag, newDigest);
    }

    /** What the workload gets: pinned by digest when known, the tag kept for people. */
    public String deployable() {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The version label: the tag, else the short digest. */
    public String version() {
        if (tag != null) {
            return tag;
        }
        return digest == null ? "latest" : digest.substring(7, 19);
    }
}
