package com.koreapublicdata.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.koreapublicdata.pipeline.config.JenkinsSettings;
import com.koreapublicdata.pipeline.config.TestService;

/**
 * The Jenkins agent pod (jenkins.kubernetesAgent: true): the library's default pod with one sidecar per test service
 * of the planned components. The korea container learns through KOREA_POD_SERVICES which services its sidecars
 * already run, so korea build uses them on localhost instead of starting its own.
 */
final class PodTemplate {
    static final String DEFAULT = JenkinsSettings.defaults().podTemplate();
    private final YAMLMapper yaml = new YAMLMapper();

    /** The pod YAML, or null when the template is not the library's default (the engine cannot read it). */
    String render(String template, List<TestService> services) {
        if (!DEFAULT.equals(template)) {
            return null;
        }
        try (InputStream in = PodTemplate.class.getResourceAsStream("/" + DEFAULT)) {
            if (in == null) {
                return null;
            }
            ObjectNode pod = (ObjectNode) yaml.readTree(in);
            ArrayNode containers = (ArrayNode) pod.with("spec").withArray("containers");
            Map<String, TestService> byName = new LinkedHashMap<>();
            services.forEach(s -> byName.putIfAbsent(s.name(), s)); // one sidecar per service name: they share localhost
            List<String> names = new ArrayList<>(byName.keySet());
            for (JsonNode container : containers) {
                if ("korea".equals(container.path("name").asText()) && !names.isEmpty()) {
                    ((ObjectNode) container).withArray("env").addObject().put("name", "KOREA_POD_SERVICES")
                            .put("value", String.join(",", names));
                }
            }
            for (TestService service : byName.values()) {
                ObjectNode sidecar = containers.addObject();
                sidecar.put("name", "service-" + service.name());
                sidecar.put("image", service.image());
                sidecar.withArray("ports").addObject().put("containerPort", service.port());
                if (!service.env().isEmpty()) {
                    ArrayNode env = sidecar.withArray("env");
                    service.env().forEach((k, v) -> env.addObject().put("name", k).put("value", v));
                }
            }
            return yaml.writeValueAsString(pod);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
