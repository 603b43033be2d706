package com.koreapublicdata.pipeline.metrics;

import static com.koreapublicdata.pipeline.metrics.Records.T0;
import static com.koreapublicdata.pipeline.metrics.Records.promotion;
import static com.koreapublicdata.pipeline.metrics.Records.rollback;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.history.DeploymentRecord;

class KpisTest {

    static Kpi kpi(KpiReport report, String name) {
        return report.kpis().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldMeetEveryTargetWhenAllDeploysSucceedQuickly() {
        List<DeploymentRecord> log = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            log.add(promotion("production", "backend", "rolling", "deployed", i * 60L, 240, null,
                    T0.plusSeconds(i * 3600L - 7200)));
        }
        KpiReport report = Kpis.compute(log, null, null, T0.plusSeconds(86400));

        assertThat(report.promotions()).isEqualTo(20);
        assertThat(kpi(report, "deployment-success-rate").value()).isEqualTo(100.0);
        assertThat(kpi(report, "mean-deploy-time").shown()).isEqualTo("4m");
        assertThat(kpi(report, "rollback-time").status()).isEqualTo(Kpi.Status.NO_DATA);
        assertThat(kpi(report, "downtime").value()).isEqualTo(0.0);
        assertThat(kpi(report, "lead-time").value()).isEqualTo(7200.0);
        assertThat(kpi(report, "change-failure-rate").value()).isEqualTo(0.0);
        assertThat(report.allMet()).isTrue();
        assertThat(report.kpis()).extracting(Kpi::name).containsExactly("deployment-success-rate", "mean-deploy-time",
                "rollback-time", "downtime", "lead-time", "change-failure-rate", "deployment-frequency");
    }

    @Test
    void shouldCountDeploymentFrequencyPerEnvironmentOverTheWindow() {
        List<DeploymentRecord> log = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            log.add(promotion("staging", "backend", "deployed", i * 60L * 12, 60)); // two a day for a week
        }
        log.add(promotion("production", "backend", "deployed", 60, 60));
        log.add(promotion("production", "backend", "deployed", 120, 60));
        log.add(promotion("production", "backend", "failed", 180, 60)); // a failed one is no deployment
        log.add(rollback("production", "backend", "rolled-back", 200, 30)); // nor is a rollback

        KpiReport week = Kpis.compute(log, T0, null, T0.plusSeconds(7 * 86400));

        assertThat(week.frequency()).containsExactly(new KpiReport.Frequency("production", 2, 7.0, 0.29, 2.0),
                new KpiReport.Frequency("staging", 14, 7.0, 2.0, 14.0));
        Kpi frequency = kpi(week, "deployment-frequency");
        assertThat(frequency.value()).isEqualTo(2.29);
        assertThat(frequency.shown()).isEqualTo("2.29/day");
        assertThat(frequency.status()).isEqualTo(Kpi.Status.MET);
        assertThat(frequency.detail()).contains("16 successful promotion(s) over 7 day(s)")
                .contains("production 0.29/day (2/week)").contains("staging 2/day (14/week)");

        KpiReport production = Kpis.compute(log, T0, "production", T0.plusSeconds(7 * 86400));
        assertThat(production.frequency()).extracting(KpiReport.Frequency::environment).containsExactly("production");
        assertThat(kpi(production, "deployment-frequency").status()).isEqualTo(Kpi.Status.NOT_MET);

        // a window shorter than a day counts as one day, so one deploy in an hour is not 24 a day
        KpiReport hour = Kpis.compute(List.of(promotion("staging", "backend", "deployed", 10, 60)), T0, null,
                T0.plusSeconds(3600));
        assertThat(kpi(hour, "deployment-frequency").value()).isEqualTo(1.0);
        assertThat(kpi(Kpis.compute(List.of(), T0, null, T0.plusSeconds(3600)), "deployment-frequency").status())
                .isEqualTo(Kpi.Status.NO_DATA);
    }

    @Test
    void shouldCountRolledBackAndFailedPromotionsAgainstTheSuccessRate() {
        List<DeploymentRecord> log = List.of(
                promotion("production", "backend", "deployed", 0, 700),
                promotion("production", "backend", "rolled-back", 10, 300),          // auto rollback 45s
                promotion("production", "backend", "refused", 20, 1),                // not counted
                promotion("production", "backend", "deployed", 30, 400),
                rollback("production", "backend", "deployed", 40, 200),              // manual, undoes minute 30
                promotion("staging", "backend", "rollback-failed", 50, 100));        // other environment

        KpiReport production = Kpis.compute(log, null, "production", T0.plusSeconds(3600));

        assertThat(production.promotions()).isEqualTo(3);
        assertThat(production.failed()).isEqualTo(1);
        assertThat(production.rollbacks()).isEqualTo(2);
        Kpi success = kpi(production, "deployment-success-rate");
        assertThat(success.value()).isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(success.status()).isEqualTo(Kpi.Status.NOT_MET);
        assertThat(success.target()).isEqualTo("> 95%");
        assertThat(kpi(production, "mean-deploy-time").value()).isEqualTo(550.0);
        assertThat(kpi(production, "mean-deploy-time").status()).isEqualTo(Kpi.Status.MET);
        Kpi rollbackTime = kpi(production, "rollback-time");
        assertThat(rollbackTime.value()).isEqualTo(122.5);
        assertThat(rollbackTime.status()).isEqualTo(Kpi.Status.MET);
        assertThat(kpi(production, "downtime").value()).isEqualTo(0.0);
        Kpi cfr = kpi(production, "change-failure-rate");
        assertThat(cfr.value()).isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(cfr.detail()).contains("2 of 3").contains("(1)");
    }

    @Test
    void shouldDeriveDowntimeFromAFailedRollbackUntilTheNextSuccessfulDeploy() {
        List<DeploymentRecord> log = List.of(
                promotion("production", "backend", "rollback-failed", 0, 300),
                promotion("production", "frontend", "deployed", 5, 60),              // other component: no fix
                promotion("production", "backend", "deployed", 12, 200),             // fixed 12 min later
                promotion("production", "backend", "failed", 100, 30));              // still broken at "now"

        KpiReport report = Kpis.compute(log, null, null, T0.plusSeconds(110 * 60));

        Kpi downtime = kpi(report, "downtime");
        assertThat(downtime.value()).isEqualTo(12 * 60 + 10 * 60.0);
        assertThat(downtime.shown()).isEqualTo("22m");
        assertThat(downtime.status()).isEqualTo(Kpi.Status.NOT_MET);
        assertThat(downtime.detail()).startsWith("2 failed deploy(s)");
    }

    @Test
    void shouldOnlyLookAtThePeriodAsked() {
        List<DeploymentRecord> log = List.of(
                promotion("production", "backend", "rolled-back", 0, 300),
                promotion("production", "backend", "deployed", 60, 300));
        Instant since = T0.plusSeconds(30 * 60);

        KpiReport report = Kpis.compute(log, since, null, T0.plusSeconds(120 * 60));

        assertThat(report.since()).isEqualTo(since);
        assertThat(report.promotions()).isEqualTo(1);
        assertThat(kpi(report, "deployment-success-rate").value()).isEqualTo(100.0);
        assertThat(kpi(report, "rollback-time").status()).isEqualTo(Kpi.Status.NO_DATA);
    }

    @Test
    void shouldReportNoDataRatherThanASuccessForAnEmptyLog() {
        KpiReport report = Kpis.compute(List.of(), null, null, T0);

        assertThat(kpi(report, "deployment-success-rate").status()).isEqualTo(Kpi.Status.NO_DATA);
        assertThat(kpi(report, "deployment-success-rate").shown()).isEqualTo("no data");
        assertThat(kpi(report, "lead-time").status()).isEqualTo(Kpi.Status.NO_DATA);
        assertThat(kpi(report, "downtime").status()).isEqualTo(Kpi.Status.NO_DATA);
        assertThat(report.kpis()).noneMatch(k -> k.status() == Kpi.Status.MET);
    }

    @Test
    void shouldUseActiveTimeForTheMeanDeployTime() {
        // two canaries with 40 minutes of deliberate pauses each: 5 and 7 minutes of work
        List<DeploymentRecord> log = List.of(Records.canary("deployed", 0, 300, 2400, 600),
                Records.canary("deployed", 60, 420, 2400, 0));

        KpiReport report = Kpis.compute(log, null, null, T0.plusSeconds(86400));

        assertThat(kpi(report, "mean-deploy-time").value()).isEqualTo(360.0);
        assertThat(kpi(report, "mean-deploy-time").status()).isEqualTo(Kpi.Status.MET);
        assertThat(kpi(report, "mean-deploy-time").detail()).contains("active time");
    }
}
