package com.koreapublicdata.pipeline.metrics;

import com.koreapublicdata.pipeline.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.koreapublicdata.pipeline.config.Durations;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

/**
 * Computes the seed's KPI table (success rate &gt; 95 %, mean deploy time &lt; 10 min, rollback time &lt; 3 min,
 * downtime 0) plus lead time and change failure rate from the deployment log. Definitions: docs/metrics.md.
 */
public final class Kpis {
    static final double SUCCESS_RATE_TARGET = 95.0;
    static final Duration DEPLOY_TIME_TARGET = Duration.ofMinutes(10);
    static final Duration ROLLBACK_TIME_TARGET = Duration.ofMinutes(3);
    /** The seed sets none; DORA's "elite" band is under one day. */
    static final Duration LEAD_TIME_TARGET = Duration.ofDays(1);
    /** The seed sets none; DORA's "elite" band is 0-15 %. */
    static final double CHANGE_FAILURE_TARGET = 15.0;

    private Kpis() {
    }

    /**
     * @param all         the whole log, oldest first
     * @param since       only records that finished at or after this; null for all
     * @param environment only this environment; null for all
     * @param now         end of the period
     */
    public static KpiReport compute(List<DeploymentRecord> all, Instant since, String environment, Instant now) {
        List<DeploymentRecord> scoped = all.stream()
                .filter(r -> environment == null || environment.equals(r.environment()))
                .filter(r -> r.time() != null)
                .sorted(Comparator.comparing(DeploymentRecord::time))
                .toList();
        List<DeploymentRecord> inPeriod = scoped.stream()
                .filter(r -> since == null || !r.time().isBefore(since)).toList();
        List<DeploymentRecord> finished = inPeriod.stream()
                .filter(r -> DeploymentRecord.PROMOTION.equals(r.kind()) && DeploymentMetrics.status(r) != null)
                .toList();
        List<DeploymentRecord> succeeded = finished.stream().filter(DeploymentRecord::succeeded).toList();
        int failed = finished.size() - succeeded.size();

        List<Double> rollbackSeconds = new ArrayList<>();
        for (DeploymentRecord r : inPeriod) {
            if (DeploymentRecord.ROLLBACK.equals(r.kind())) {
                rollbackSeconds.add(r.durationSeconds());
            } else if (DeploymentMetrics.automaticRollback(r) && r.rollbackSeconds() != null) {
                rollbackSeconds.add(r.rollbackSeconds());
            }
        }
        int rollbacks = (int) inPeriod.stream().filter(r -> DeploymentRecord.ROLLBACK.equals(r.kind())
                || DeploymentMetrics.automaticRollback(r)).count();

        List<Kpi> kpis = new ArrayList<>();
        kpis.add(successRate(finished.size(), succeeded.size()));
        kpis.add(meanDeployTime(succeeded));
        kpis.add(rollbackTime(rollbackSeconds));
        kpis.add(downtime(scoped, since, now, inPeriod.isEmpty()));
        kpis.add(leadTime(succeeded));
        kpis.add(changeFailureRate(scoped, finished));
        double days = days(since, scoped, now);
        List<KpiReport.Frequency> frequency = frequency(succeeded, days);
        kpis.add(deploymentFrequency(succeeded.size(), days, frequency));
        return new KpiReport(since, now, environment, finished.size(), failed, rollbacks, kpis, frequency);
    }

    /** The period in days: since..now, or from the first record for all history; never under one day (no spikes). */
    private static double days(Instant since, List<DeploymentRecord> scoped, Instant now) {
        Instant from = since != null ? since : scoped.isEmpty() ? now : scoped.get(0).time();
        double d = Duration.between(from, now).toMillis() / 86_400_000.0;
        return Math.max(1.0, d);
    }

    private static List<KpiReport.Frequency> frequency(List<DeploymentRecord> succeeded, double days) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        succeeded.forEach(r -> counts.merge(String.valueOf(r.environment()), 1, Integer::sum));
        List<KpiReport.Frequency> out = new ArrayList<>();
        counts.forEach((env, n) -> out.add(new KpiReport.Frequency(env, n, round(days), round(n / days), round(7 * n / days))));
        return out;
    }

    /** DORA's fourth key: how often a change reaches an environment (elite: on demand, several a day). */
    private static Kpi deploymentFrequency(int deployments, double days, List<KpiReport.Frequency> perEnvironment) {
        String target = ">= 1/day";
        if (deployments == 0) {
            return noData("deployment-frequency", "Deployment frequency", "per-day", target,
                    "no successful promotions in the period");
        }
        double perDay = deployments / days;
        String each = perEnvironment.stream().map(f -> f.environment() + " " + rate(f.perDay()) + "/day ("
                + rate(f.perWeek()) + "/week)").collect(java.util.stream.Collectors.joining(", "));
        return new Kpi("deployment-frequency", "Deployment frequency", round(perDay), "per-day",
                rate(perDay) + "/day", target, perDay >= 1.0 ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                deployments + " successful promotion(s) over " + rate(days) + " day(s): " + each
                        + " (target: DORA elite band; the seed sets none)");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
    }

    private static Kpi successRate(int finished, int succeeded) {
        String target = "> 95%";
        if (finished == 0) {
            return noData("deployment-success-rate", "Deployment success rate", "percent", target,
                    "no finished promotions in the period");
        }
        double rate = 100.0 * succeeded / finished;
        return new Kpi("deployment-success-rate", "Deployment success rate", rate, "percent", percent(rate), target,
                rate > SUCCESS_RATE_TARGET ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                succeeded + " of " + finished + " finished promotions deployed (refused and paused ones not counted)");
    }

    private static Kpi meanDeployTime(List<DeploymentRecord> succeeded) {
        String target = "< " + Durations.format(DEPLOY_TIME_TARGET);
        if (succeeded.isEmpty()) {
            return noData("mean-deploy-time", "Mean deploy time", "seconds", target, "no successful promotions");
        }
        // active time: a canary's deliberate pauses and approval waits are not slowness of the pipeline
        double mean = succeeded.stream().mapToDouble(DeploymentRecord::workingSeconds).average().orElse(0);
        double max = succeeded.stream().mapToDouble(DeploymentRecord::workingSeconds).max().orElse(0);
        return new Kpi("mean-deploy-time", "Mean deploy time", mean, "seconds", duration(mean), target,
                mean < DEPLOY_TIME_TARGET.toSeconds() ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                "mean active time of " + succeeded.size() + " successful promotions (pauses and approval waits left "
                        + "out), longest " + duration(max));
    }

    private static Kpi rollbackTime(List<Double> seconds) {
        String target = "< " + Durations.format(ROLLBACK_TIME_TARGET);
        if (seconds.isEmpty()) {
            return noData("rollback-time", "Rollback time (mean time to recovery)", "seconds", target,
                    "no rollbacks with a measured duration");
        }
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return new Kpi("rollback-time", "Rollback time (mean time to recovery)", mean, "seconds", duration(mean),
                target, mean < ROLLBACK_TIME_TARGET.toSeconds() ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                "mean of " + seconds.size() + " rollbacks (automatic and manual), longest " + duration(max));
    }

    /**
     * Time a component was left on a version the pipeline could not restore: from a promotion that ended
     * rollback-failed or failed until the next successful promotion or rollback of it there (or now), clipped to
     * the period. Minutes of degraded service that a successful rollback ended are in rollback time instead.
     */
    private static Kpi downtime(List<DeploymentRecord> scoped, Instant since, Instant now, boolean nothingInPeriod) {
        double total = 0;
        int incidents = 0;
        for (int i = 0; i < scoped.size(); i++) {
            DeploymentRecord r = scoped.get(i);
            if (!leftBroken(r)) {
                continue;
            }
            Instant end = now;
            for (int j = i + 1; j < scoped.size(); j++) {
                DeploymentRecord next = scoped.get(j);
                if (sameTarget(r, next) && restored(next)) {
                    end = next.time();
                    break;
                }
            }
            Instant start = since != null && r.time().isBefore(since) ? since : r.time();
            if (end.isAfter(start)) {
                total += Duration.between(start, end).toMillis() / 1000.0;
                incidents++;
            }
        }
        if (incidents == 0 && nothingInPeriod) {
            return noData("downtime", "Downtime", "seconds", "0m", "no promotions or rollbacks in the period");
        }
        return new Kpi("downtime", "Downtime", total, "seconds", duration(total), "0m",
                total == 0 ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                incidents == 0 ? "no deploy left a component broken (derived from the log; not an availability probe)"
                        : incidents + " failed deploy(s) left a component broken until the next successful deploy or "
                                + "rollback (derived from the log; not an availability probe)");
    }

    private static Kpi leadTime(List<DeploymentRecord> succeeded) {
        String target = "< 1d";
        List<Double> leads = succeeded.stream().filter(r -> r.commitTime() != null)
                .map(r -> Duration.between(r.commitTime(), r.time()).toMillis() / 1000.0).toList();
        if (leads.isEmpty()) {
            return noData("lead-time", "Lead time for changes", "seconds", target,
                    "no successful promotion records a commit time");
        }
        double mean = leads.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        List<Double> sorted = leads.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        return new Kpi("lead-time", "Lead time for changes", mean, "seconds", duration(mean), target,
                mean < LEAD_TIME_TARGET.toSeconds() ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                "mean commit-to-deployed time of " + leads.size() + " promotions, median " + duration(median)
                        + " (target: DORA elite band; the seed sets none)");
    }

    /** Failed promotions, plus successful ones that a manual rollback later undid, over finished promotions. */
    private static Kpi changeFailureRate(List<DeploymentRecord> scoped, List<DeploymentRecord> finished) {
        String target = "<= 15%";
        if (finished.isEmpty()) {
            return noData("change-failure-rate", "Change failure rate", "percent", target,
                    "no finished promotions in the period");
        }
        int failures = 0;
        int undone = 0;
        for (DeploymentRecord r : finished) {
            if (!r.succeeded()) {
                failures++;
            } else if (undoneByManualRollback(scoped, r)) {
                failures++;
                undone++;
            }
        }
        double rate = 100.0 * failures / finished.size();
        return new Kpi("change-failure-rate", "Change failure rate", rate, "percent", percent(rate), target,
                rate <= CHANGE_FAILURE_TARGET ? Kpi.Status.MET : Kpi.Status.NOT_MET,
                failures + " of " + finished.size() + " promotions failed or were rolled back by hand (" + undone
                        + ") (target: DORA elite band; the seed sets none)");
    }

    private static boolean undoneByManualRollback(List<DeploymentRecord> scoped, DeploymentRecord deployed) {
        int i = scoped.indexOf(deployed);
        for (int j = i + 1; j < scoped.size(); j++) {
            DeploymentRecord next = scoped.get(j);
            if (!sameTarget(deployed, next)) {
                continue;
            }
            if (DeploymentRecord.ROLLBACK.equals(next.kind())) {
                return true;
            }
            if (DeploymentRecord.PROMOTION.equals(next.kind()) && DeploymentMetrics.status(next) != null) {
                return false; // superseded by the next promotion first
            }
        }
        return false;
    }

    private static boolean leftBroken(DeploymentRecord r) {
        return DeploymentRecord.PROMOTION.equals(r.kind())
                && (r.outcome() == Outcome.ROLLBACK_FAILED || r.outcome() == Outcome.FAILED || r.outcome() == Outcome.UNKNOWN);
    }

    private static boolean restored(DeploymentRecord r) {
        if (DeploymentRecord.PROMOTION.equals(r.kind())) {
            return r.succeeded();
        }
        return DeploymentRecord.ROLLBACK.equals(r.kind()) && r.outcome() != Outcome.FAILED
                && r.outcome() != Outcome.ROLLBACK_FAILED;
    }

    private static boolean sameTarget(DeploymentRecord a, DeploymentRecord b) {
        return java.util.Objects.equals(a.environment(), b.environment())
                && java.util.Objects.equals(a.component(), b.component());
    }

    private static Kpi noData(String name, String title, String unit, String target, String why) {
        return new Kpi(name, title, null, unit, "no data", target, Kpi.Status.NO_DATA, why);
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String duration(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        return Durations.format(d.minusMillis(d.toMillisPart()).isZero() ? d : d.minusMillis(d.toMillisPart()));
    }
}
