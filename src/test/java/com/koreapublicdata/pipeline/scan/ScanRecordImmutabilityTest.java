package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.config.Severity;

class ScanRecordImmutabilityTest {

    @Test
    void shouldKeepItsOwnCopyOfTheCountsAndPolicyLists() {
        Map<String, Long> row = new LinkedHashMap<>(Map.of("CRITICAL", 0L));
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("vulnerabilities", row);
        List<String> failOn = new ArrayList<>(List.of("CRITICAL", "HIGH"));
        List<String> statuses = new ArrayList<>(List.of("will_not_fix"));
        ScanRecord record = new ScanRecord("sha256:" + "a".repeat(64), "img", "web", ScanReport.PASS, Instant.EPOCH,
                new ScanRecord.Policy(failOn, false, statuses, true, false, null, 0), counts, 0, "trivy", "0.50",
                List.of());

        row.put("CRITICAL", 3L);
        counts.put("secrets", Map.of());
        failOn.clear();
        statuses.add("fixed");

        assertThat(record.counts()).containsOnlyKeys("vulnerabilities");
        assertThat(record.counts().get("vulnerabilities")).containsEntry("CRITICAL", 0L);
        assertThat(record.policy().failOn()).containsExactly("CRITICAL", "HIGH");
        assertThat(record.policy().ignoreStatuses()).containsExactly("will_not_fix");
        assertThatThrownBy(() -> record.counts().get("vulnerabilities").put("HIGH", 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldKeepTheReportCountsInTheirOrderAndUnchangeable() {
        Map<Severity, Long> bySeverity = new LinkedHashMap<>();
        bySeverity.put(Severity.CRITICAL, 1L);
        bySeverity.put(Severity.HIGH, 2L);
        Map<String, Map<Severity, Long>> counts = new LinkedHashMap<>();
        counts.put("vulnerabilities", bySeverity);
        counts.put("secrets", new LinkedHashMap<>(Map.of(Severity.CRITICAL, 0L)));
        ScanReport.TargetCount target = new ScanReport.TargetCount("app", bySeverity, 3);
        ScanReport report = new ScanReport(ScanReport.FAIL, counts, List.of(target), List.of(), 0, List.of(), 0,
                List.of(), List.of(), new ScanPolicy(Set.of(Severity.CRITICAL), false, null, true, false, null, 10),
                null, null, null, List.of(), List.of(), Instant.EPOCH);

        bySeverity.put(Severity.CRITICAL, 99L);
        counts.remove("secrets");

        assertThat(report.counts()).containsOnlyKeys("vulnerabilities", "secrets");
        assertThat(report.counts().keySet()).containsExactly("vulnerabilities", "secrets");
        assertThat(report.counts().get("vulnerabilities").keySet()).containsExactly(Severity.CRITICAL, Severity.HIGH);
        assertThat(report.counts().get("vulnerabilities")).containsEntry(Severity.CRITICAL, 1L);
        assertThat(report.targets().get(0).counts()).containsEntry(Severity.CRITICAL, 1L);
        assertThatThrownBy(() -> report.counts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
