package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Durations;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Waits for one object to reach a state, the way {@code kubectl rollout status} does: watch, judge every event,
 * start over with a fresh read when the watch closes, fail when the object is deleted. Unlike kubectl it always
 * has a deadline. The watch is opened before the read so no change falls between them; a watch that stays
 * silent for {@code resync} is checked with one GET (as informers resync), so the number of requests grows
 * with time, not with the number of status changes.
 */
public final class ObjectWaiter {

    /** The object being waited for. */
    public interface Target<T> {
        /** The object now, or null when it does not exist. */
        T get();

        Watch watch(Watcher<T> watcher);

        String describe();
    }

    /** A judgement of one observed state: done (with a result) or still waiting (with a progress line). */
    public record Verdict<R>(R result, String progress) {
        public static <R> Verdict<R> done(R result) {
            return new Verdict<>(result, null);
        }

        public static <R> Verdict<R> waiting(String progress) {
            return new Verdict<>(null, progress);
        }

        boolean isDone() {
            return result != null;
        }
    }

    /** Judges a state; throws {@link WaitFailure} when the state is a failure. */
    @FunctionalInterface
    public interface Judge<T, R> {
        Verdict<R> judge(T object);
    }

    private static final Object CLOSED = new Object();

    private final Api api;
    private final Clock clock;
    private final Consumer<String> progress;

    public ObjectWaiter(Api api, Clock clock, Consumer<String> progress) {
        this.api = api;
        this.clock = clock;
        this.progress = progress;
    }

    public <T extends HasMetadata, R> R await(Target<T> target, Judge<T, R> judge, Instant deadline) {
        Reporter reporter = new Reporter();
        while (true) {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            Watch watch = openWatch(target, events, deadline);
            try {
                T current = api.callUntil("read " + target.describe(), target::get, clock, deadline);
                if (current == null) {
                    throw new WaitFailure(target.describe() + " has been deleted");
                }
                Verdict<R> verdict = reporter.judge(judge, current);
                if (verdict.isDone()) {
                    return verdict.result();
                }
                while (true) {
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        throw new WaitFailure("timed out waiting for " + target.describe() + " (last: " + reporter.last + ")");
                    }
                    Object event = poll(events, left.compareTo(api.tuning().resync()) < 0 ? left : api.tuning().resync());
                    if (event == CLOSED) {
                        break;
                    }
                    if (event == null) {
                        if (!Duration.between(clock.instant(), deadline).isNegative()) {
                            event = api.callUntil("read " + target.describe(), target::get, clock, deadline);
                            if (event == null) {
                                throw new WaitFailure(target.describe() + " has been deleted");
                            }
                        } else {
                            continue;
                        }
                    }
                    if (event instanceof Deleted) {
                        throw new WaitFailure(target.describe() + " has been deleted");
                    }
                    @SuppressWarnings("unchecked")
                    T object = (T) event;
                    verdict = reporter.judge(judge, object);
                    if (verdict.isDone()) {
                        return verdict.result();
                    }
                }
            } finally {
                watch.close();
            }
        }
    }

    private <T> Watch openWatch(Target<T> target, BlockingQueue<Object> events, Instant deadline) {
        Watcher<T> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                switch (action) {
                    case ADDED, MODIFIED -> events.add(resource);
                    case DELETED -> events.add(new Deleted());
                    default -> {
                        // BOOKMARK and ERROR carry no state of the object
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add(CLOSED);
            }
        };
        return api.callUntil("watch " + target.describe(), () -> target.watch(watcher), clock, deadline);
    }

    private static Object poll(BlockingQueue<Object> events, Duration timeout) {
        try {
            return events.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(ExitCode.FAILURE, "interrupted while waiting");
        }
    }

    /** Formats a remaining time for messages. */
    public static String format(Duration d) {
        return Durations.format(d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private record Deleted() {
    }

    /** Prints a progress line only when it changes. */
    private final class Reporter {
        String last = "no state seen";

        <T, R> Verdict<R> judge(Judge<T, R> judge, T object) {
            Verdict<R> verdict = judge.judge(object);
            if (verdict.progress() != null && !verdict.progress().equals(last)) {
                last = verdict.progress();
                progress.accept(last);
            }
            return verdict;
        }
    }

    static boolean isTransient(KubernetesClientException e) {
        return Api.transientError(e);
    }
}
