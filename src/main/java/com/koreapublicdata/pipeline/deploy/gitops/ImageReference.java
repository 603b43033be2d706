package com.koreapublicdata.pipeline.deploy.gitops;

import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.KoreaException;

/**
 * An image reference split the way kustomize's {@code images:} entry and Helm charts want it:
 * repository, optional tag, optional digest.
 */
record ImageReference(String repository, String tag, String digest) {

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

    static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw KoreaException.invalidInput("image reference '" + reference
                    + "' is not valid: expected repository[:tag][@sha256:digest], e.g. registry/app@sha256:...");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw KoreaException.invalidInput("image reference '" + reference + "' has an invalid digest '" + digest
                        + "': expected algorithm:hex, e.g. sha256:<64 hex digits>");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        // a colon before the last slash belongs to a registry port (localhost:5000/app)
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                throw KoreaException.invalidInput("image reference '" + reference + "' has an empty tag");
            }
        }
        if (rest.isEmpty()) {
            throw KoreaException.invalidInput("image reference '" + reference + "' has no repository");
        }
        return new ImageReference(rest, tag, digest);
    }

    /** Joins the parts back; the form written to Helm values and reported to people. */
    @Override
    public String toString() {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
