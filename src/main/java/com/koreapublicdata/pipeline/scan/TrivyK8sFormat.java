package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * {@code trivy k8s --format json}: {@code {ClusterName, Resources:[{Namespace, Kind, Name, Results, Error}]}}.
 * Older versions split resources into top-level {@code Vulnerabilities[]} and {@code Misconfigurations[]}
 * arrays of the same resource objects; both are read.
 */
final class TrivyK8sFormat implements ReportFormat {

    @Override
    public String id() {
        return "trivy-k8s";
    }

    @Override
    public String name() {
        return "Trivy Kubernetes JSON (trivy k8s)";
    }

    @Override
    public String scanner() {
        return "trivy";
    }

    @Override
    public Set<String> keys() {
        return Set.of("ClusterName", "Resources", "Vulnerabilities", "Misconfigurations");
    }

    @Override
    public void readField(String key, JsonParser p, ReadContext c) throws IOException {
        switch (key) {
            case "ClusterName" -> c.artifactName = c.text(p);
            case "Resources", "Vulnerabilities", "Misconfigurations" ->
                    TrivyResults.readList(p, c, key, () -> resource(p, c));
            default -> p.skipChildren();
        }
    }

    private static void resource(JsonParser p, ReadContext c) throws IOException {
        String namespace = null;
        String kind = null;
        String name = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "Namespace" -> namespace = c.text(p);
                case "Kind" -> kind = c.text(p);
                case "Name" -> name = c.text(p);
                case "Results" -> TrivyResults.readResults(p, c, label(namespace, kind, name));
                case "Error" -> {
                    String error = c.text(p);
                    if (error != null && !error.isBlank()) {
                        // a resource Trivy could not scan has unknown findings: the report still counts, but
                        // the gate cannot pass
                        c.scanError(label(namespace, kind, name) + ": " + error);
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static String label(String namespace, String kind, String name) {
        StringBuilder sb = new StringBuilder();
        if (namespace != null && !namespace.isEmpty()) {
            sb.append(namespace).append('/');
        }
        sb.append(kind == null ? "?" : kind).append('/').append(name == null ? "?" : name);
        return sb.toString();
    }
}
