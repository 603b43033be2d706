package com.koreapublicdata.pipeline.config;

/** Deployment metrics in Prometheus form. */
public record MetricsSettings(
        @Doc("Pushgateway base URL (e.g. http://pushgateway:9091); without it metrics are only written to the file.")
                String pushgateway,
        @Doc(value = "Pushgateway job name.", defaultValue = "korea-pipeline") String job,
        @Doc(value = "Text file (relative to korea.yaml) the metrics are always written to.",
                defaultValue = ".korea/metrics.prom") String file) {

    public MetricsSettings {
        job = job == null ? "korea-pipeline" : job;
        file = file == null ? ".korea/metrics.prom" : file;
    }

    public static MetricsSettings defaults() {
        return new MetricsSettings(null, null, null);
    }
}
