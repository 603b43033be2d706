package com.koreapublicdata.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * A database or other service the component's tests need (e.g. redis), started by {@code korea build} around the
 * test and e2e commands and added as a sidecar to the Jenkins pod.
 */
public record TestService(
        @Doc("The service's name; set from its key under services. It names the variables: redis gives REDIS_HOST, "
                + "REDIS_PORT and REDIS_URL.") String name,
        @Doc("Container image (e.g. redis:7-alpine), run with docker or podman when one works, and as the pod sidecar.")
                String image,
        @Doc(value = "Port the service listens on inside its container.", required = true) Integer port,
        @Doc("Environment of the service's container or command.") Map<String, String> env,
        @Doc("Local command used when no container runtime works, e.g. [redis-server, --port, \"{port}\", --bind, "
                + "127.0.0.1]; {port} is the free local port chosen for it.") List<String> command,
        @Doc(value = "Template of {NAME}_URL; {host} and {port} are filled in.",
                defaultValue = "by image: redis -> redis://{host}:{port}, mongo -> mongodb://{host}:{port}, "
                        + "postgres -> postgresql://{host}:{port}, mysql/mariadb -> mysql://{host}:{port}; "
                        + "else {host}:{port}") String url,
        @Doc(value = "How long the service may take to accept connections on its port.", defaultValue = "60s")
                java.time.Duration timeout,
        @Doc(value = "Only a sidecar of the Jenkins pod: korea build does not start it elsewhere (for a service no "
                + "local binary exists for); tests must then do without its variables.", defaultValue = "false")
                Boolean onlyInPod) {

    public TestService {
        env = env == null ? Map.of() : Map.copyOf(env);
        command = command == null ? List.of() : List.copyOf(command);
        timeout = timeout == null ? java.time.Duration.ofSeconds(60) : timeout;
        onlyInPod = onlyInPod != null && onlyInPod;
    }

    TestService withName(String newName) {
        return new TestService(newName, image, port, env, command, url, timeout, onlyInPod);
    }

    /** The {NAME}_URL template: url, or the default for a well-known image. */
    public String urlTemplate() {
        return url != null ? url : defaultUrl(image, name);
    }

    /** The prefix of its variables: {@code my-cache} gives {@code MY_CACHE}. */
    public String variablePrefix() {
        return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The URL template for a well-known image (by the image's last path segment), or plain host:port. */
    static String defaultUrl(String image, String name) {
        String base = image == null ? (name == null ? "" : name) : image;
        base = base.substring(base.lastIndexOf('/') + 1);
        int colon = base.indexOf(':');
        base = colon >= 0 ? base.substring(0, colon) : base;
        return switch (base) {
            case "redis", "valkey", "redis-server" -> "redis://{host}:{port}";
            case "mongo", "mongodb" -> "mongodb://{host}:{port}";
            case "postgres", "postgresql" -> "postgresql://{host}:{port}";
            case "mysql", "mariadb" -> "mysql://{host}:{port}";
            default -> "{host}:{port}";
        };
    }
}
