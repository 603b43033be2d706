package com.koreapublicdata.pipeline.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in korea.yaml and Argo Rollouts: 10m, 30s, 1h30m, 500ms, or whole seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("^(\\d+(ms|s|m|h|d))+$");

    private Durations() {
    }

    /** Parses a duration; empty when the text is not one (or too long for a Duration). */
    public static Optional<Duration> parse(String text) {
        try {
            return parseOrFail(text.trim());
        } catch (ArithmeticException | NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> parseOrFail(String t) {
        if (t.matches("\\d+")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(t)));
        }
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return Optional.of(total);
    }

    /** Formats as korea.yaml would write it: 10m, 1h30m, 45s, 250ms. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long hours = d.toHours();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.toString();
    }
}
