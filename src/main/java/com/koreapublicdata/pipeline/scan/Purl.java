package com.koreapublicdata.pipeline.scan;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}), parsed for Trivy's ignore
 * matching: type, namespace and name must be equal; version and subpath only when the rule gives them;
 * the rule's qualifiers must be a subset of the finding's.
 */
record Purl(String type, String namespace, String name, String version, Map<String, String> qualifiers,
        String subpath) {

    /** Parses {@code text}; null when it is not a package URL. */
    static Purl parse(String text) {
        if (text == null || !text.startsWith("pkg:")) {
            return null;
        }
        String rest = text.substring(4);
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        String subpath = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            subpath = trimSlashes(rest.substring(hash + 1));
            rest = rest.substring(0, hash);
        }
        Map<String, String> qualifiers = new TreeMap<>();
        int question = rest.indexOf('?');
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    qualifiers.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
                }
            }
            rest = rest.substring(0, question);
        }
        String version = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            version = decode(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String type = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = trimSlashes(rest.substring(slash + 1));
        int last = path.lastIndexOf('/');
        String namespace = last < 0 ? "" : decode(path.substring(0, last));
        String name = decode(path.substring(last + 1));
        if (name.isEmpty()) {
            return null;
        }
        return new Purl(type, namespace, name, version, qualifiers, subpath);
    }

    /** Whether this rule purl covers the finding's {@code other}. */
    boolean covers(Purl other) {
        if (other == null || !type.equals(other.type) || !namespace.equals(other.namespace)
                || !name.equals(other.name)) {
            return false;
        }
        if (version != null && !version.isEmpty() && !version.equals(other.version)) {
            return false;
        }
        if (subpath != null && !subpath.isEmpty() && !subpath.equals(other.subpath)) {
            return false;
        }
        for (Map.Entry<String, String> q : qualifiers.entrySet()) {
            if (!q.getValue().equals(other.qualifiers.get(q.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
