package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.history.DeploymentLog;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

class KpiCommandTest {
    static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

    static DeploymentRecord promotion(String outcome, long hoursAgo, double seconds, Double rollbackSeconds) {
        Instant time = NOW.minusSeconds(hoursAgo * 3600);
        return DeploymentRecord.builder().id("production/backend/" + hoursAgo).kind(DeploymentRecord.PROMOTION)
                .time(time).startedAt(time.minusSeconds((long) seconds)).environment("production").component("backend")
                .strategy("canary").image("shop-backend:v" + hoursAgo).version("v" + hoursAgo).approver("ops")
                .approvalSource("cli").commit("c" + hoursAgo).commitTime(time.minusSeconds(3600))
                .outcome(com.koreapublicdata.pipeline.Outcome.fromJson(outcome)).durationSeconds(seconds)
                .rollbackSeconds(rollbackSeconds).build();
    }

    @Test
    void shouldPrintEachKpiWithValueTargetAndStatus(@TempDir Path dir) throws Exception {
        AnalyzeCommandTest.config(dir, "");
        DeploymentLog log = new DeploymentLog(dir.resolve(".korea"));
        log.append(promotion("deployed", 24 * 40, 100, null)); // outside the default 30 days
        log.append(promotion("deployed", 48, 300, null));
        log.append(promotion("rolled-back", 24, 400, 120.0));
        log.append(promotion("deployed", 2, 500, null));

        ClockedCli json = ClockedCli.run(dir, Clock.fixed(NOW, ZoneOffset.UTC), "kpi", "--format", "json");

        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("promotions").asInt()).isEqualTo(3);
        assertThat(report.path("since").asText()).isEqualTo("2026-10-27T06:00:00Z");
        JsonNode success = report.path("kpis").get(0);
        assertThat(success.path("name").asText()).isEqualTo("deployment-success-rate");
        assertThat(success.path("value").asDouble()).isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(success.path("target").asText()).isEqualTo("> 95%");
        assertThat(success.path("status").asText()).isEqualTo("not-met");
        assertThat(report.path("kpis").get(2).path("value").asDouble()).isEqualTo(120.0);
        assertThat(report.path("kpis").get(2).path("status").asText()).isEqualTo("met");

        ClockedCli text = ClockedCli.run(dir, Clock.fixed(NOW, ZoneOffset.UTC), "kpi", "--since", "all", "--environment",
                "production");

        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Deployment KPIs for production, all history: 4 finished promotion(s), 1 failed")
                .containsPattern("Deployment success rate\\s+75\\.0%\\s+> 95%\\s+NOT MET")
                .containsPattern("Mean deploy time\\s+5m\\s+< 10m\\s+MET")
                .containsPattern("Lead time for changes\\s+1h\\s+< 1d\\s+MET");
    }

    @Test
    void shouldRefuseAnUnknownEnvironment(@TempDir Path dir) throws Exception {
        AnalyzeCommandTest.config(dir, "");

        ClockedCli run = ClockedCli.run(dir, Clock.systemUTC(), "kpi", "--environment", "prod");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--environment prod: no such environment").contains("known: production");
    }
}
