package com.koreapublicdata.pipeline.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * A time in which an environment takes no promotion: a repeating window (cron start, duration, zone) or one
 * stretch of dates (from, to). The validator and the change-control engine read it through the same methods.
 */
@Doc("A freeze window: either cron + duration (+ timezone), or from + to.")
public record FreezeWindow(
        @Doc("When the window starts, as a 5-field Unix cron expression (minute hour day month weekday), "
                + "e.g. '0 18 * * 5' for every Friday 18:00.") String cron,
        @Doc("How long a cron window lasts, as elapsed time (a DST change does not stretch it), e.g. 62h.")
                Duration duration,
        @Doc(value = "IANA time zone the cron expression and from/to dates are read in, e.g. Asia/Seoul.",
                defaultValue = "UTC") String timezone,
        @Doc("Start of a one-off window: YYYY-MM-DD, YYYY-MM-DDTHH:MM (in timezone) or with an offset.") String from,
        @Doc("End (exclusive) of a one-off window, written like from; a date alone means the start of that day.")
                String to,
        @Doc("Why the environment is frozen; shown in refusals, plan and status.") String reason,
        @Doc("Users who may promote during this window with --break-glass REASON (as requester or approver).")
                List<String> breakGlass) {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public FreezeWindow {
        timezone = timezone == null ? "UTC" : timezone;
        breakGlass = breakGlass == null ? List.of() : List.copyOf(breakGlass);
    }

    public boolean repeating() {
        return cron != null;
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    /** The parsed cron expression (validated when korea.yaml was loaded). */
    public Cron schedule() {
        return PARSER.parse(cron);
    }

    public Instant fromInstant() {
        return instant(from, zone()).orElseThrow();
    }

    public Instant toInstant() {
        return instant(to, zone()).orElseThrow();
    }

    /** How people name this window in messages. */
    public String describe() {
        String when = repeating() ? "'" + cron + "' for " + Durations.format(duration) + " (" + timezone + ")"
                : from + " to " + to + " (" + timezone + ")";
        return "freeze " + when + (reason == null ? "" : ": " + reason);
    }

    /** Why a cron expression cannot be used, or empty when it can. */
    static Optional<String> cronProblem(String text) {
        try {
            PARSER.parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Optional<String> zoneProblem(String text) {
        try {
            ZoneId.of(text);
            return Optional.empty();
        } catch (DateTimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A date, a local date-time in {@code zone}, or a date-time with an offset; empty when it is none of these. */
    static Optional<Instant> instant(String text, ZoneId zone) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant());
            } catch (DateTimeParseException notLocal) {
                try {
                    return Optional.of(LocalDate.parse(text).atStartOfDay(zone).toInstant());
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        }
    }
}
