package com.koreapublicdata.pipeline.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of korea.yaml. Every section has the seed's defaults, so a short file works; see
 * {@code docs/config-reference.md} (generated from these records) for every field.
 */
@Doc("korea-pipeline configuration (korea.yaml).")
public record KoreaConfig(
        @Doc(value = "Project name, used in image and namespace names.", required = true,
                pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String project,
        @Doc("Container registry host and path images are pushed to (e.g. registry.example.com/team). Without it, images stay local.")
                String registry,
        @Doc(value = "The deployable parts of the repository, keyed by name.", required = true)
                Map<String, Component> components,
        @Doc(value = "Where the product runs, keyed by name, in promotion order.", required = true)
                Map<String, Environment> environments,
        @Doc("The security gate.") ScanSettings scan,
        @Doc("Automated analysis: the conditions that trigger a rollback.") AnalysisSettings analysis,
        @Doc("Rollback behaviour.") RollbackSettings rollback,
        @Doc("Slack notifications.") NotificationSettings notifications,
        @Doc("Deployment metrics.") MetricsSettings metrics,
        @Doc("Image build.") BuildSettings build,
        @Doc("Jenkins step settings.") JenkinsSettings jenkins,
        @Doc(value = "Directory (relative to korea.yaml) for build, scan and deployment records.", defaultValue = ".korea")
                String stateDir) {

    public KoreaConfig {
        components = named(components == null ? Map.of() : components, true, project);
        environments = namedEnvironments(environments == null ? Map.of() : environments, project);
        scan = scan == null ? ScanSettings.defaults() : scan;
        analysis = analysis == null ? AnalysisSettings.defaults() : analysis;
        rollback = rollback == null ? RollbackSettings.defaults() : rollback;
        notifications = notifications == null ? NotificationSettings.defaults() : notifications;
        metrics = metrics == null ? MetricsSettings.defaults() : metrics;
        build = build == null ? BuildSettings.defaults() : build;
        jenkins = jenkins == null ? JenkinsSettings.defaults() : jenkins;
        stateDir = stateDir == null ? ".korea" : stateDir;
    }

    public Optional<Component> component(String name) {
        return Optional.ofNullable(components.get(name));
    }

    public Optional<Environment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    /** The same configuration with {@code environment} in place of the one of its name (one cluster of a wave). */
    public KoreaConfig withEnvironment(Environment environment) {
        Map<String, Environment> envs = new LinkedHashMap<>(environments);
        envs.put(environment.name(), environment);
        return new KoreaConfig(project, registry, components, envs, scan, analysis, rollback, notifications, metrics, build,
                jenkins, stateDir);
    }

    private static Map<String, Component> named(Map<String, Component> in, boolean unused, String project) {
        Map<String, Component> out = new LinkedHashMap<>();
        in.forEach((name, c) -> {
            Component component = (c == null ? new Component(null, null, null, null, null, null, null, null, null, null, null, null)
                    : c).withName(name);
            if (component.image() == null) {
                component = component.withImage((project == null ? "" : project + "-") + name);
            }
            out.put(name, component);
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Map<String, Environment> namedEnvironments(Map<String, Environment> in, String project) {
        Map<String, Environment> out = new LinkedHashMap<>();
        in.forEach((name, e) -> out.put(name, (e == null
                ? new Environment(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null) : e)
                .resolve(name, project == null ? "app" : project)));
        return java.util.Collections.unmodifiableMap(out);
    }
}
