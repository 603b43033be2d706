package com.koreapublicdata.pipeline.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * Runs every real Trivy report in the shared fixtures folder (never copied into the project) and compares the counts
 * with the ones its SOURCES.md states. The folder is beside the project in CI ({@code korea.project.dir/../shared}),
 * or at {@code $KOREA_SHARED_DIR} or {@code /work/shared}; without it the test is skipped, saying so.
 */
class SharedFixturesTest {
    private static final Pattern VULNS = Pattern.compile("^(\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\d+)\\s*=\\s*(\\d+)");
    private static final Pattern SECRETS = Pattern.compile("(\\d+) secrets?(?: \\(?(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\\)?)?");
    private static final Pattern MISCONFIGS = Pattern.compile("(\\d+) misconfigs?(?::)?(?: FAIL/(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)(?!\\s*\\d))?");
    private static final Pattern MISCONFIG_SPLIT = Pattern.compile("FAIL/(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN) (\\d+)");

    @Test
    void shouldCountEverySharedFixtureAsSourcesMdStates() throws IOException {
        Path dir = sharedFixtures();
        Assumptions.assumeTrue(dir != null, "shared Trivy fixtures not found (korea.project.dir/../shared, "
                + "$KOREA_SHARED_DIR, /work/shared): skipped");
        Map<String, String[]> rows = rows(dir.resolve("SOURCES.md"));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("report files in " + dir).isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        int compared = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            String[] row = rows.get(name);
            ScanReport[] read = new ScanReport[1];
            Throwable thrown = catchThrowable(() -> read[0] = gate(file));
            if (row == null || !VULNS.matcher(row[0]).find() && !row[0].strip().equals("0")) {
                // no stated counts: it must be read, or refused as bad input; never anything else
                if (thrown != null) {
                    softly.assertThat(thrown).as(name).isInstanceOfSatisfying(KoreaException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
                }
                continue;
            }
            softly.assertThat(thrown).as(name).isNull();
            if (thrown != null) {
                continue;
            }
            ScanReport report = read[0];
            compared++;
            Matcher v = VULNS.matcher(row[0].strip());
            Map<Severity, Long> vulns = report.counts(FindingKind.VULNERABILITY);
            if (v.find()) {
                softly.assertThat(List.of(vulns.get(Severity.CRITICAL), vulns.get(Severity.HIGH),
                        vulns.get(Severity.MEDIUM), vulns.get(Severity.LOW), vulns.get(Severity.UNKNOWN)))
                        .as(name + " vulnerabilities C/H/M/L/U").containsExactly(Long.parseLong(v.group(1)),
                                Long.parseLong(v.group(2)), Long.parseLong(v.group(3)), Long.parseLong(v.group(4)),
                                Long.parseLong(v.group(5)));
                softly.assertThat(total(vulns)).as(name + " vulnerabilities").isEqualTo(Long.parseLong(v.group(6)));
            } else {
                softly.assertThat(total(vulns)).as(name + " vulnerabilities").isZero();
            }
            String other = row[1];
            Map<Severity, Long> secrets = report.counts(FindingKind.SECRET);
            Map<Severity, Long> misconfigs = report.counts(FindingKind.MISCONFIGURATION);
            Matcher s = SECRETS.matcher(other);
            if (s.find()) {
                softly.assertThat(total(secrets)).as(name + " secrets").isEqualTo(Long.parseLong(s.group(1)));
                if (s.group(2) != null) {
                    softly.assertThat(secrets.get(Severity.valueOf(s.group(2)))).as(name + " secrets " + s.group(2))
                            .isEqualTo(Long.parseLong(s.group(1)));
                }
            } else {
                softly.assertThat(total(secrets)).as(name + " secrets").isZero();
            }
            Matcher m = MISCONFIGS.matcher(other);
            if (m.find()) {
                softly.assertThat(total(misconfigs)).as(name + " misconfigurations").isEqualTo(Long.parseLong(m.group(1)));
                Matcher split = MISCONFIG_SPLIT.matcher(other);
                while (split.find()) {
                    softly.assertThat(misconfigs.get(Severity.valueOf(split.group(1))))
                            .as(name + " misconfigurations " + split.group(1)).isEqualTo(Long.parseLong(split.group(2)));
                }
                if (m.group(2) != null) {
                    softly.assertThat(misconfigs.get(Severity.valueOf(m.group(2))))
                            .as(name + " misconfigurations " + m.group(2)).isEqualTo(Long.parseLong(m.group(1)));
                }
            } else {
                softly.assertThat(total(misconfigs)).as(name + " misconfigurations").isZero();
            }
        }
        softly.assertAll();
        assertThat(compared).as("fixtures compared with SOURCES.md").isPositive();
    }

    private static ScanReport gate(Path file) {
        Gate gate = new Gate(Fixtures.defaults(), Instant.EPOCH);
        ReportInfo info = new ReportReader().read(file, gate);
        return gate.report(List.of(info));
    }

    private static long total(Map<Severity, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** file name -> [vulns column, other findings column], from the markdown table. */
    private static Map<String, String[]> rows(Path sources) throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        if (!Files.exists(sources)) {
            return rows;
        }
        List<String> header = null;
        for (String line : Files.readAllLines(sources, StandardCharsets.UTF_8)) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1).split("\\|", -1)) {
                cells.add(cell.strip());
            }
            if (header == null) {
                header = cells;
                continue;
            }
            int fileCol = indexOf(header, "file");
            int vulnCol = indexOf(header, "vulns");
            int otherCol = indexOf(header, "other");
            if (fileCol < 0 || vulnCol < 0 || cells.size() <= Math.max(vulnCol, otherCol)) {
                continue;
            }
            String file = cells.get(fileCol).replace("`", "");
            if (file.endsWith(".json")) {
                rows.put(file, new String[] {cells.get(vulnCol), otherCol < 0 ? "" : cells.get(otherCol)});
            }
        }
        return rows;
    }

    private static int indexOf(List<String> header, String word) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase().startsWith(word)) {
                return i;
            }
        }
        return -1;
    }

    static Path sharedFixtures() {
        List<Path> candidates = new ArrayList<>();
        String project = System.getProperty("korea.project.dir");
        if (project != null) {
            candidates.add(Path.of(project).resolve("../shared/fixtures/trivy").normalize());
        }
        String shared = System.getenv("KOREA_SHARED_DIR");
        if (shared != null && !shared.isBlank()) {
            candidates.add(Path.of(shared).resolve("fixtures/trivy"));
        }
        candidates.add(Path.of("/work/shared/fixtures/trivy"));
        return candidates.stream().filter(Files::isDirectory).findFirst().orElse(null);
    }
}
