package com.koreapublicdata.pipeline.deploy.argo;

import java.util.List;
import java.util.Map;

/** Reading nested maps of an untyped custom resource. */
final class Maps {
    private Maps() {
    }

    static Object at(Object root, String... path) {
        Object cur = root;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    static String string(Object root, String... path) {
        Object v = at(root, path);
        return v == null ? null : String.valueOf(v);
    }

    static long number(Object root, long fallback, String... path) {
        Object v = at(root, path);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && s.matches("-?\\d+")) {
            return Long.parseLong(s);
        }
        return fallback;
    }

    static List<?> list(Object root, String... path) {
        Object v = at(root, path);
        return v instanceof List<?> l ? l : List.of();
    }

    static boolean flag(Object root, String... path) {
        Object v = at(root, path);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }
}
