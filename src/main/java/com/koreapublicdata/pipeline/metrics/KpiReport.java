package com.koreapublicdata.pipeline.metrics;

import java.time.Instant;
import java.util.List;

/**
 * The KPI table for one period.
 *
 * @param since        start of the period, or null for all history
 * @param until        end of the period (now)
 * @param environment  the environment looked at, or null for all
 * @param promotions   finished promotions in the period (success + failed)
 * @param failed       of those, the ones that failed (rolled back, rollback failed, failed)
 * @param rollbacks    rollbacks in the period, automatic and manual
 * @param kpis         each KPI with value, target and whether it was met
 * @param frequency    deployments per environment over the period (the DORA deployment frequency, per environment)
 */
public record KpiReport(Instant since, Instant until, String environment, int promotions, int failed, int rollbacks,
        List<Kpi> kpis, List<Frequency> frequency) {
    public KpiReport {
        kpis = List.copyOf(kpis);
        frequency = frequency == null ? List.of() : List.copyOf(frequency);
    }

    public KpiReport(Instant since, Instant until, String environment, int promotions, int failed, int rollbacks,
            List<Kpi> kpis) {
        this(since, until, environment, promotions, failed, rollbacks, kpis, List.of());
    }

    /**
     * How often one environment got a successful promotion in the period.
     *
     * @param deployments successful promotions (outcome deployed)
     * @param days        the period's length in days (at least one)
     * @param perDay      deployments / days
     * @param perWeek     perDay * 7
     */
    public record Frequency(String environment, int deployments, double days, double perDay, double perWeek) {
    }

    /** Whether every KPI that could be measured met its target. */
    public boolean allMet() {
        return kpis.stream().noneMatch(k -> k.status() == Kpi.Status.NOT_MET);
    }
}
