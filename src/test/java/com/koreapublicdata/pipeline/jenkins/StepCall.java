package com.koreapublicdata.pipeline.jenkins;

import java.util.List;
import java.util.Map;

/**
 * One recorded step call.
 *
 * @param name    step name ({@code sh}, {@code input}, or a vars/ global such as {@code koreaBuild})
 * @param args    the arguments, closures left out
 * @param stage   the innermost enclosing stage, or null
 * @param context the enclosing block steps, outermost first (e.g. {@code stage:Deploy, node:linux})
 * @param var     the innermost vars/ global this call ran in, or null for the Jenkinsfile itself
 */
record StepCall(String name, List<Object> args, String stage, List<String> context, String var) {

    /** The named arguments, or the single positional argument under "value". */
    @SuppressWarnings("unchecked")
    Map<String, Object> named() {
        if (args.size() == 1 && args.get(0) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return args.isEmpty() ? Map.of() : Map.of("value", args.get(0));
    }

    Object arg(String key) {
        return named().get(key);
    }

    boolean inside(String kind) {
        return context.stream().anyMatch(c -> c.equals(kind) || c.startsWith(kind + ":"));
    }
}
