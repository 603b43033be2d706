package com.koreapublicdata.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.config.ConfigException;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.config.ConfigProblem;
import com.koreapublicdata.pipeline.config.KoreaConfig;

class FreezeWindowTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    Path write(String freeze) throws IOException {
        Path file = dir.resolve("korea.yaml");
        Files.writeString(file, """
                project: shop
                components:
                  backend: {paths: [be/**], kind: python}
                environments:
                  production:
                    branches: [main]
                    freeze:
                """ + freeze);
        return file;
    }

    KoreaConfig config(String freeze) throws IOException {
        return new ConfigLoader().load(write(freeze)).config();
    }

    static Decision at(KoreaConfig config, String time, Authorization auth) {
        return new ChangeControl(config, List::of, Clock.fixed(OffsetDateTime.parse(time).toInstant(), ZoneOffset.UTC),
                new ApprovalRecords(new ApprovalKeys(Map.of()))).check(new ChangeRequest("production", "backend", DIGEST, auth));
    }

    static Decision at(KoreaConfig config, String time) {
        return at(config, time, null);
    }

    static final String SEOUL_WEEKEND = """
                  - {cron: '0 18 * * 5', duration: 62h, timezone: Asia/Seoul, reason: weekend freeze, breakGlass: [olivia]}
            """;

    @Test
    void shouldFreezeFromFridayEveningOverMidnightAndTheWeekBoundaryInSeoul() throws IOException {
        KoreaConfig config = config(SEOUL_WEEKEND);

        assertThat(at(config, "2026-12-04T17:59:59+09:00").allowed()).isTrue();
        Decision friday = at(config, "2026-12-04T18:00:00+09:00");
        assertThat(friday.refusals()).extracting(Refusal::rule).containsExactly("environments.production.freeze[0]");
        assertThat(friday.message()).startsWith("production is frozen until 2026-12-07T08:00+09:00 (freeze '0 18 * * 5' for "
                + "62h (Asia/Seoul): weekend freeze); --break-glass REASON by one of [olivia]");
        assertThat(at(config, "2026-12-05T00:30:00+09:00").allowed()).as("past midnight").isFalse();
        assertThat(at(config, "2026-12-07T07:59:00+09:00").allowed()).as("Monday, a new ISO week").isFalse();
        assertThat(at(config, "2026-12-07T08:00:00+09:00").allowed()).isTrue();
    }

    static final String BERLIN_WEEKEND = """
                  - {cron: '0 18 * * 5', duration: 62h, timezone: Europe/Berlin, reason: weekend}
            """;

    @Test
    void shouldLastElapsedHoursAcrossTheAutumnDstChangeInBerlin() throws IOException {
        KoreaConfig config = config(BERLIN_WEEKEND);

        // Friday 2026-10-23 18:00 CEST (16:00Z) + 62h = Monday 06:00Z, 07:00 CET after the clocks went back on Sunday
        assertThat(at(config, "2026-10-23T16:00:00Z").message()).contains("frozen until 2026-10-26T07:00+01:00");
        assertThat(at(config, "2026-10-26T06:59:00+01:00").allowed()).isFalse();
        assertThat(at(config, "2026-10-26T07:00:00+01:00").allowed()).isTrue();
    }

    @Test
    void shouldStartAtTheLocalTimeAfterTheSpringDstChangeInBerlin() throws IOException {
        KoreaConfig config = config(BERLIN_WEEKEND);

        // Friday 2026-03-27 18:00 CET (17:00Z) + 62h = Monday 07:00Z = 09:00 CEST
        assertThat(at(config, "2026-03-27T17:00:00Z").message()).contains("frozen until 2026-03-30T09:00+02:00");
        // the next Friday is in summer time: 18:00 CEST is 16:00Z, an hour earlier in UTC than in winter
        assertThat(at(config, "2026-04-03T15:59:00Z").allowed()).isTrue();
        assertThat(at(config, "2026-04-03T16:30:00Z").allowed()).isFalse();
    }

    @Test
    void shouldFreezeANightlyWindowAcrossMidnight() throws IOException {
        KoreaConfig config = config("      - {cron: '0 22 * * *', duration: 4h, timezone: Asia/Seoul, reason: batch}\n");

        assertThat(at(config, "2026-12-01T21:59:00+09:00").allowed()).isTrue();
        assertThat(at(config, "2026-12-01T23:30:00+09:00").allowed()).isFalse();
        assertThat(at(config, "2026-12-02T01:59:00+09:00").message()).contains("frozen until 2026-12-02T02:00+09:00");
        assertThat(at(config, "2026-12-02T02:00:00+09:00").allowed()).isTrue();
    }

    @Test
    void shouldFreezeADatedWindowAndTellTheNextOne() throws IOException {
        KoreaConfig config = config("      - {from: '2026-12-24', to: '2026-12-27', timezone: Asia/Seoul, reason: holidays}\n");
        ChangeControl control = new ChangeControl(config, List::of, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"),
                ZoneOffset.UTC), new ApprovalRecords(ApprovalKeys.none()));

        assertThat(control.nextFreeze("production")).get().satisfies(o -> assertThat(o.start())
                .isEqualTo(OffsetDateTime.parse("2026-12-24T00:00:00+09:00").toInstant()));
        assertThat(at(config, "2026-12-23T23:59:00+09:00").allowed()).isTrue();
        assertThat(at(config, "2026-12-26T12:00:00+09:00").message()).contains("frozen until 2026-12-27T00:00+09:00")
                .contains("holidays");
        assertThat(at(config, "2026-12-27T00:00:00+09:00").allowed()).isTrue();
    }

    @Test
    void shouldAcceptBreakGlassOnlyFromARequesterOrApproverInTheList() throws IOException {
        KoreaConfig config = config(SEOUL_WEEKEND);
        String saturday = "2026-12-05T10:00:00+09:00";

        Decision byOlivia = at(config, saturday, new Authorization(List.of(), "olivia", null, null, "payment outage", false));
        Decision approvedByOlivia = at(config, saturday, new Authorization(List.of("olivia"), "dave", null, null, "outage", false));
        Decision byDave = at(config, saturday, new Authorization(List.of("erin"), "dave", null, null, "I want to", false));

        assertThat(byOlivia.allowed()).isTrue();
        assertThat(byOlivia.breakGlass()).isEqualTo("payment outage");
        assertThat(byOlivia.notes()).singleElement().asString().startsWith("break-glass by olivia during freeze")
                .endsWith(": payment outage");
        assertThat(approvedByOlivia.allowed()).isTrue();
        assertThat(byDave.refusals()).extracting(Refusal::rule).containsExactly("environments.production.freeze[0].breakGlass");
        assertThat(byDave.message()).contains("--break-glass needs the requester or an approver among [olivia]; got [dave, erin]");
    }

    @Test
    void shouldNameTheLineOfABadCronZoneOrDuration() throws IOException {
        Path file = write("""
                      - {cron: '0 18 * * fri-x', duration: 62h, timezone: Asia/Seoul}
                      - {cron: '0 18 * * 5', duration: 0s, timezone: Europe/Berlinn}
                      - {cron: '0 18 * * 5'}
                      - {from: '2026-12-27', to: '2026-12-24'}
                """);

        List<ConfigProblem> problems = new ConfigLoader().problems(file);

        assertThat(problems).extracting(p -> p.line() + " " + p.field()).contains(
                "8 environments.production.freeze[0].cron", "9 environments.production.freeze[1].timezone",
                "9 environments.production.freeze[1].duration", "10 environments.production.freeze[2].duration",
                "11 environments.production.freeze[3].to");
        assertThat(problems).filteredOn(p -> p.field().endsWith("timezone")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'Europe/Berlinn' is not a time zone").contains("Asia/Seoul"));
        assertThat(problems).filteredOn(p -> p.field().endsWith("[0].cron")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("is not a 5-field cron expression"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader().load(file)).isInstanceOf(ConfigException.class);
    }
}
