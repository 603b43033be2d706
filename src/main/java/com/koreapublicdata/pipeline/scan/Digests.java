package com.koreapublicdata.pipeline.scan;

import java.util.Locale;
import java.util.regex.Pattern;

/** Image digests: {@code sha256:} and 64 hex digits. */
final class Digests {
    private static final Pattern DIGEST = Pattern.compile("(?i)sha256:[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]{64}");

    private Digests() {
    }

    static boolean isDigest(String text) {
        return text != null && DIGEST.matcher(text).matches();
    }

    static String normalise(String digest) {
        return digest.toLowerCase(Locale.ROOT);
    }

    /** The 64 hex digits of {@code sha256:HEX} or of bare HEX; null when the text is neither. */
    static String hex(String text) {
        if (text == null) {
            return null;
        }
        if (isDigest(text)) {
            return text.substring("sha256:".length()).toLowerCase(Locale.ROOT);
        }
        return HEX.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
    }

    /** The digest in an image reference {@code repo@sha256:...}, or null. */
    static String fromReference(String reference) {
        if (reference == null) {
            return null;
        }
        int at = reference.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String digest = reference.substring(at + 1);
        return isDigest(digest) ? normalise(digest) : null;
    }
}
