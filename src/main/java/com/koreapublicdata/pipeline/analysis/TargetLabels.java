package com.koreapublicdata.pipeline.analysis;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.config.Durations;

/**
 * What the analysis looks at: one component's new version in one environment. These fill the
 * {@code {component}}, {@code {environment}}, {@code {namespace}} and {@code {version}} placeholders of query
 * templates and health-check URLs.
 *
 * @param component   component name
 * @param environment environment name
 * @param namespace   Kubernetes namespace, or null
 * @param version     the new version's label value, or null to look at every version
 */
public record TargetLabels(String component, String environment, String namespace, String version) {

    private static final Pattern VERSION_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"\\{version}\"");

    public TargetLabels {
        if (component == null || component.isBlank() || environment == null || environment.isBlank()) {
            throw new IllegalArgumentException("component and environment are required");
        }
    }

    /**
     * Fills a PromQL template. Label values are escaped for PromQL strings. Without a version, a matcher
     * {@code label="{version}"} becomes {@code label=~".*"} so the query covers every version.
     */
    public String fillQuery(String template, Duration window, Double quantile) {
        String t = template;
        if (version == null) {
            Matcher m = VERSION_MATCHER.matcher(t);
            t = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "=~\".*\""));
        }
        return t.replace("{component}", promql(component))
                .replace("{environment}", promql(environment))
                .replace("{namespace}", promql(namespace == null ? "" : namespace))
                .replace("{version}", promql(version == null ? "" : version))
                .replace("{window}", window == null ? "1m" : promqlDuration(window))
                .replace("{quantile}", quantile == null ? "0.99" : String.format(Locale.ROOT, "%s", quantile));
    }

    /** Fills a health-check URL template (no escaping: names are DNS-safe by validation). */
    public String fillUrl(String template) {
        return template.replace("{component}", component)
                .replace("{environment}", environment)
                .replace("{namespace}", namespace == null ? "" : namespace)
                .replace("{version}", version == null ? "" : version);
    }

    /** PromQL range durations: 5m, 1h30m, 10s, 500ms. */
    static String promqlDuration(Duration d) {
        return d.isZero() ? "0s" : Durations.format(d);
    }

    private static String promql(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
