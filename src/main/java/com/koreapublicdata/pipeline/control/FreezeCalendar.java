package com.koreapublicdata.pipeline.control;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import com.cronutils.model.time.ExecutionTime;
import com.koreapublicdata.pipeline.config.FreezeWindow;

/**
 * When an environment's freeze windows are in force. A cron window starts at each cron time in its zone (so
 * "Friday 18:00 Asia/Seoul" follows that zone's clock, DST included) and lasts its duration as elapsed time.
 */
public final class FreezeCalendar {
    private final List<FreezeWindow> windows;

    public FreezeCalendar(List<FreezeWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    /** One occurrence of a window: which window (index under freeze), when it starts and ends. */
    public record Occurrence(int index, FreezeWindow window, Instant start, Instant end) {
        public String describe() {
            return window.describe() + ", " + ZonedDateTime.ofInstant(start, window.zone()) + " until "
                    + ZonedDateTime.ofInstant(end, window.zone());
        }
    }

    /** The window in force at {@code now} that ends last, if any. */
    public Optional<Occurrence> active(Instant now) {
        return IntStream.range(0, windows.size()).mapToObj(i -> activeOccurrence(i, now)).flatMap(Optional::stream)
                .max(Comparator.comparing(Occurrence::end));
    }

    /** The next window starting after {@code now}. */
    public Optional<Occurrence> next(Instant now) {
        return IntStream.range(0, windows.size()).mapToObj(i -> nextOccurrence(i, now)).flatMap(Optional::stream)
                .min(Comparator.comparing(Occurrence::start));
    }

    private Optional<Occurrence> activeOccurrence(int i, Instant now) {
        FreezeWindow w = windows.get(i);
        if (!w.repeating()) {
            Instant from = w.fromInstant();
            Instant to = w.toInstant();
            return !now.isBefore(from) && now.isBefore(to) ? Optional.of(new Occurrence(i, w, from, to)) : Optional.empty();
        }
        ZonedDateTime at = ZonedDateTime.ofInstant(now, w.zone());
        ExecutionTime times = ExecutionTime.forCron(w.schedule());
        // the latest start at or before now; cron-utils' lastExecution is strictly before, so look a second ahead
        return times.lastExecution(at.plusSeconds(1)).map(start -> new Occurrence(i, w, start.toInstant(),
                start.toInstant().plus(w.duration()))).filter(o -> now.isBefore(o.end()));
    }

    private Optional<Occurrence> nextOccurrence(int i, Instant now) {
        FreezeWindow w = windows.get(i);
        if (!w.repeating()) {
            Instant from = w.fromInstant();
            return from.isAfter(now) ? Optional.of(new Occurrence(i, w, from, w.toInstant())) : Optional.empty();
        }
        return ExecutionTime.forCron(w.schedule()).nextExecution(ZonedDateTime.ofInstant(now, w.zone()))
                .map(start -> new Occurrence(i, w, start.toInstant(), start.toInstant().plus(w.duration())));
    }
}
