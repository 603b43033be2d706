package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class JsonMappingTest {
    record Sample(String name, Instant time, Duration took) {
    }

    private final Sample sample = new Sample("web", Instant.parse("2026-12-02T02:00:00Z"), Duration.ofSeconds(90));

    @Test
    void writesTimesAsIsoTextOnOneLine() throws Exception {
        assertThat(JsonMapping.mapper().writeValueAsString(sample))
                .isEqualTo("{\"name\":\"web\",\"time\":\"2026-12-02T02:00:00Z\",\"took\":\"PT1M30S\"}");
    }

    @Test
    void writesFilesWithJacksonsDefaultPrettyPrinter() throws Exception {
        // the layout the state files and results have always had
        assertThat(JsonMapping.pretty().writeValueAsString(sample)).isEqualTo("""
                {
                  "name" : "web",
                  "time" : "2026-12-02T02:00:00Z",
                  "took" : "PT1M30S"
                }""");
    }

    @Test
    void readsARecordWithFieldsItDoesNotKnow() throws Exception {
        Sample read = JsonMapping.mapper().readValue(
                "{\"name\":\"web\",\"time\":\"2026-12-02T02:00:00Z\",\"took\":\"PT1M30S\",\"addedLater\":1}", Sample.class);

        assertThat(read).isEqualTo(sample);
    }
}
