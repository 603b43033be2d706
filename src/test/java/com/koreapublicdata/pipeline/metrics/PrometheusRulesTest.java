package com.koreapublicdata.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.koreapublicdata.pipeline.analysis.LocalPrometheus;

/** The shipped PrometheusRule and Grafana dashboard: valid for promtool, and only on metrics the code emits. */
class PrometheusRulesTest {
    static final String RULES = "/com/koreapublicdata/pipeline/prometheus-rules.yaml";
    static final String DASHBOARD = "/com/koreapublicdata/pipeline/grafana-dashboard.json";
    static final Pattern METRIC = Pattern.compile("\\bkorea_[a-z_]+");

    static String resource(String name) throws IOException {
        try (InputStream in = PrometheusRulesTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The PrometheusRule's spec.groups as a plain Prometheus rules file. */
    static Path plainRulesFile(Path dir) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode rule = yaml.readTree(resource(RULES));
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        Path file = dir.resolve("rules.yml");
        yaml.writeValue(file.toFile(), Map.of("groups", rule.path("spec").path("groups")));
        return file;
    }

    static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        LocalPrometheus.requireBinaries("promtool");
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void shouldPassPromtoolCheckRules(@TempDir Path dir) throws Exception {
        Path rules = plainRulesFile(dir);

        String out = promtool(dir, "check", "rules", rules.toString());

        assertThat(out).contains("SUCCESS: 2 rules found");
    }

    @Test
    void shouldFireDeploymentFailedOnlyAboveTenPercentForFiveMinutes(@TempDir Path dir) throws Exception {
        plainRulesFile(dir);
        String series = "korea_deployments_total{environment=\"production\",component=\"backend\",strategy=\"canary\",";
        Files.writeString(dir.resolve("test.yml"), """
                rule_files: [rules.yml]
                evaluation_interval: 1m
                tests:
                  # one success and one failure a minute: half failed
                  - interval: 1m
                    input_series:
                      - series: '%1$sstatus="success"}'
                        values: '0+1x150'
                      - series: '%1$sstatus="failed"}'
                        values: '0+1x150'
                    alert_rule_test:
                      - eval_time: 2h
                        alertname: DeploymentFailed
                        exp_alerts:
                          - exp_labels: {severity: critical, environment: production}
                            exp_annotations:
                              summary: High deployment failure rate in production
                              description: 50%% of the promotions that finished in production in the last hour failed or were rolled back (limit 10%%).
                  # only successes: no alert
                  - interval: 1m
                    input_series:
                      - series: '%1$sstatus="success"}'
                        values: '0+1x150'
                      - series: '%1$sstatus="failed"}'
                        values: '0x150'
                    alert_rule_test:
                      - eval_time: 2h
                        alertname: DeploymentFailed
                        exp_alerts: []
                  # failures began 3 minutes ago: pending, not yet firing ("for: 5m")
                  - interval: 1m
                    input_series:
                      - series: '%1$sstatus="success"}'
                        values: '0+1x150'
                      - series: '%1$sstatus="failed"}'
                        values: '0x117 1+5x30'
                    alert_rule_test:
                      - eval_time: 2h
                        alertname: DeploymentFailed
                        exp_alerts: []
                """.formatted(series),
                StandardCharsets.UTF_8);

        promtool(dir, "test", "rules", "test.yml");
    }

    @Test
    void shouldOnlyUseMetricNamesTheCodeEmits() throws Exception {
        Set<String> emitted = new TreeSet<>(DeploymentMetrics.seriesNames());
        emitted.addAll(DeploymentMetrics.METRIC_NAMES); // family names, as descriptions mention them
        Set<String> inRules = names(resource(RULES));
        Set<String> inDashboard = names(resource(DASHBOARD));

        assertThat(inRules).isNotEmpty().isSubsetOf(emitted);
        assertThat(inDashboard).isSubsetOf(emitted)
                .contains(DeploymentMetrics.DEPLOYMENTS_TOTAL, DeploymentMetrics.ROLLBACKS_TOTAL,
                        DeploymentMetrics.LAST_SUCCESS, DeploymentMetrics.DEPLOYMENT_DURATION + "_bucket",
                        DeploymentMetrics.ROLLBACK_DURATION + "_sum");
        // and every emitted series name really appears in the exposition
        String text = DeploymentMetrics.render(DeploymentMetricsTest.sample());
        for (String name : DeploymentMetrics.seriesNames()) {
            assertThat(text).as(name).containsPattern("(?m)^" + name + "\\{");
        }
    }

    @Test
    void shouldShipAnImportableDashboard() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(resource(DASHBOARD));

        assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).anyMatch(t -> t.startsWith("Deployment frequency"))
                .anyMatch(t -> t.startsWith("Deployment success rate"))
                .anyMatch(t -> t.startsWith("Mean time to recovery"))
                .anyMatch(t -> t.startsWith("Deploy duration"));
    }

    static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            if (!m.group().equals("korea_deployment_slo") && !m.group().startsWith("korea_pipeline")) {
                names.add(m.group());
            }
        }
        return names;
    }
}
