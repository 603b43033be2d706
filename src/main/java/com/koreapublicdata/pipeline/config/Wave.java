package com.koreapublicdata.pipeline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a multi-cluster promotion ({@code environments.E.waves}): the kube contexts promoted together,
 * then an optional soak during which the analysis keeps running on every cluster promoted so far. Written as a
 * context ({@code - eu-1}), a list of contexts ({@code - [eu-2, us-1]}) or a mapping
 * ({@code - {clusters: [eu-2, us-1], soak: 30m}}).
 */
public record Wave(
        @Doc(value = "Kube contexts (clusters) promoted in this wave, one after another.", required = true)
                List<String> clusters,
        @Doc(value = "How long the analysis keeps running on every cluster promoted so far before the next wave starts "
                + "(after the last wave: before the promotion counts as deployed).", defaultValue = "0s") Duration soak) {

    public Wave {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        soak = soak == null ? Duration.ZERO : soak;
    }

    /**
     * The three written forms, as plain values (a text, a list, a mapping); the validator has already checked them,
     * so anything else is a binding error.
     */
    static Wave of(Object value) {
        if (value instanceof String context) {
            return new Wave(List.of(context), null);
        }
        if (value instanceof List<?> list) {
            return new Wave(strings(list), null);
        }
        if (value instanceof Map<?, ?> map) {
            Object clusters = map.get("clusters");
            Object soak = map.get("soak");
            return new Wave(clusters instanceof List<?> l ? strings(l) : clusters == null ? null : List.of(clusters.toString()),
                    soak == null ? null : Durations.parse(soak.toString())
                            .orElseThrow(() -> new IllegalArgumentException("soak: not a duration: " + soak)));
        }
        throw new IllegalArgumentException("a wave is a kube context, a list of them or {clusters, soak}; found " + value);
    }

    private static List<String> strings(List<?> list) {
        List<String> out = new ArrayList<>();
        list.forEach(o -> out.add(String.valueOf(o)));
        return out;
    }
}
