package com.koreapublicdata.pipeline;

import java.util.regex.Pattern;

/**
 * An image reference by the distribution reference grammar, {@code [host[:port]/]path[:tag][@algorithm:hex]}:
 * {@code registry.example.com:5000/team/app:1.2@sha256:...}. The one type build, scan, deploy and GitOps use for
 * an image, so an image the engine writes into a workload or an overlay has always been through these rules.
 *
 * @param repository the name: an optional registry host (a domain name, {@code localhost} or an IPv6 address in
 *                   brackets, with an optional port) and lower-case path components separated by {@code /}
 * @param tag        the tag, or null
 * @param digest     {@code algorithm:hex} ({@code sha256:} and 64 lower-case hex digits), or null
 */
public record ImageReference(String repository, String tag, String digest) {
    /** Longest name (host and path) a registry accepts. */
    public static final int NAME_MAX = 255;
    /** Docker's tag grammar: a word character first, then up to 127 of word characters, dots and dashes. */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private static final String ALPHA_NUMERIC = "[a-z0-9]+";
    private static final Pattern PATH_COMPONENT = Pattern.compile(ALPHA_NUMERIC + "(?:(?:[._]|__|-+)" + ALPHA_NUMERIC + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern HOST = Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
    private static final Pattern HEX = Pattern.compile("[a-fA-F0-9]{32,}");
    private static final String GRAMMAR = "allowed: [host[:port]/]path[:tag][@algorithm:hex], e.g. "
            + "registry.example.com:5000/team/app:1.2@sha256:<64 hex digits>";

    /** Every instance is valid: a part that breaks the grammar is refused here too (exit 2). */
    public ImageReference {
        String problem = problem(repository, tag, digest);
        if (problem != null) {
            throw KoreaException.invalidInput("image reference '" + printable(join(repository, tag, digest))
                    + "' is not valid: " + problem + "; " + GRAMMAR);
        }
    }

    /** Parses an image reference; an error names it as "image". */
    public static ImageReference parse(String reference) {
        return parse(reference, "image");
    }

    /**
     * Parses an image reference.
     *
     * @param field what the reference is called in the error (an option such as {@code --image}, a file and key)
     * @throws KoreaException exit 2, naming {@code field}, the reference and what is allowed
     */
    public static ImageReference parse(String reference, String field) {
        String problem;
        if (reference == null || reference.isEmpty()) {
            problem = "it is empty";
        } else {
            problem = unprintable(reference);
        }
        String rest = reference;
        String tag = null;
        String digest = null;
        if (problem == null) {
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            int colon = rest.lastIndexOf(':');
            // a colon before the last slash belongs to a registry port (localhost:5000/app)
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            problem = problem(rest, tag, digest);
        }
        if (problem != null) {
            throw KoreaException.invalidInput(field + " '" + printable(reference) + "' is not a valid image reference: "
                    + problem + "; " + GRAMMAR);
        }
        return new ImageReference(rest, tag, digest);
    }

    /** Whether {@code reference} is a valid image reference. */
    public static boolean isValid(String reference) {
        try {
            parse(reference);
            return true;
        } catch (KoreaException e) {
            return false;
        }
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(repository, tag, newDigest);
    }

    /** The registry host with its port, or null when the name has none (Docker Hub). */
    public String host() {
        int slash = repository.indexOf('/');
        return slash >= 0 && isHost(repository.substring(0, slash)) ? repository.substring(0, slash) : null;
    }

    /** What a workload or overlay gets: pinned by digest when known, the tag kept for people. */
    public String deployable() {
        return join(repository, tag, digest);
    }

    /** The version label: the tag, else the first 12 hex digits of the digest, else latest. */
    public String version() {
        if (tag != null) {
            return tag;
        }
        if (digest == null) {
            return "latest";
        }
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return deployable();
    }

    private static String join(String repository, String tag, String digest) {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** What is wrong with the parts, or null. */
    private static String problem(String repository, String tag, String digest) {
        if (repository == null || repository.isEmpty()) {
            return "it has no repository name";
        }
        String unprintable = unprintable(repository + (tag == null ? "" : tag) + (digest == null ? "" : digest));
        if (unprintable != null) {
            return unprintable;
        }
        if (repository.length() > NAME_MAX) {
            return "the name is " + repository.length() + " characters long, at most " + NAME_MAX + " are allowed";
        }
        String path = repository;
        int slash = repository.indexOf('/');
        if (slash >= 0 && isHost(repository.substring(0, slash))) {
            String host = repository.substring(0, slash);
            if (!HOST.matcher(host).matches()) {
                return "the registry host '" + host + "' is not a host name, localhost or an IPv6 address in brackets, "
                        + "with an optional :port";
            }
            path = repository.substring(slash + 1);
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                return "the path '" + path + "' has an empty component (a leading, trailing or double '/')";
            }
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return "the path component '" + component + "' is not lower-case letters and digits separated by "
                        + "'.', '_', '__' or dashes";
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            return tag.isEmpty() ? "the tag after ':' is empty"
                    : "the tag '" + tag + "' is not a letter, digit or '_' followed by at most 127 letters, digits, "
                            + "'_', '.' or '-'";
        }
        if (digest != null) {
            return digestProblem(digest);
        }
        return null;
    }

    private static String digestProblem(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = colon < 0 ? digest : digest.substring(0, colon);
        String hex = colon < 0 ? "" : digest.substring(colon + 1);
        if (colon < 0 || !ALGORITHM.matcher(algorithm).matches()) {
            return "the digest '" + digest + "' is not algorithm:hex (e.g. sha256:<64 hex digits>)";
        }
        if (algorithm.equals("sha256") && !hex.matches("[a-f0-9]{64}")) {
            return "the digest '" + digest + "' is not sha256: followed by exactly 64 lower-case hex digits";
        }
        if (!HEX.matcher(hex).matches()) {
            return "the digest '" + digest + "' is not " + algorithm + ": followed by at least 32 hex digits";
        }
        return null;
    }

    /** Docker's rule: the first component names a registry when it has a dot or a port, is localhost or has capitals. */
    private static boolean isHost(String first) {
        return first.contains(".") || first.contains(":") || first.startsWith("[") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
    }

    private static String unprintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return "character " + (i + 1) + " is " + (c == ' ' ? "a space" : c < ' ' || c == 0x7f ? "a control character"
                        : "not ASCII") + " (only letters, digits and . _ - : / @ [ ] are allowed)";
            }
        }
        return null;
    }

    /** The text with control and non-ASCII characters escaped, so an error message cannot forge log lines. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < ' ' || c >= 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
