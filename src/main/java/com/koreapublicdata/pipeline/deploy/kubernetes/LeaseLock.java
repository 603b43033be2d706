package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The promotion lock: a {@code coordination.k8s.io/v1} Lease per namespace and component. The holder is who
 * deploys (the build URL); it is renewed while the promotion runs and taken over only once it has expired
 * (renewTime + leaseDurationSeconds in the past). Every change carries the resourceVersion it was based on, so
 * two promotions racing for it cannot both win.
 */
public final class LeaseLock {
    private static final String RACE = "a concurrent promotion (the Lease changed while we took it)";
    private final KubernetesClient client;
    private final Api api;
    private final Clock clock;
    private final Consumer<String> progress;

    public LeaseLock(KubernetesClient client, Api api, Clock clock, Consumer<String> progress) {
        this.client = client;
        this.api = api;
        this.clock = clock;
        this.progress = progress;
    }

    public static String leaseName(String component) {
        return "korea-promote-" + component;
    }

    /** A held lock; closing it stops the renewal and releases the Lease. */
    public final class Held implements AutoCloseable {
        private final String namespace;
        private final String name;
        private final String holder;
        private final ScheduledExecutorService renewer;
        private final AtomicReference<String> lost = new AtomicReference<>();

        Held(String namespace, String name, String holder) {
            this.namespace = namespace;
            this.name = name;
            this.holder = holder;
            this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "korea-lease-renewal-" + name);
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(50, api.tuning().leaseDuration().toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        /** Non-null when the lease was lost (another holder took it over): the promotion must not go on. */
        public String lost() {
            return lost.get();
        }

        private void renew() {
            try {
                Lease lease = client.leases().inNamespace(namespace).withName(name).get();
                if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                    lost.set("the lock " + name + " was taken over by "
                            + (lease == null ? "nobody (deleted)" : lease.getSpec().getHolderIdentity()));
                    return;
                }
                lease.getSpec().setRenewTime(now());
                client.leases().inNamespace(namespace).resource(lease).update();
            } catch (KubernetesClientException e) {
                // the next renewal tries again; the lease lasts three renewal periods
            }
        }

        @Override
        public void close() {
            renewer.shutdownNow();
            try {
                api.onConflict("release the lock " + name, () -> {
                    Lease lease = client.leases().inNamespace(namespace).withName(name).get();
                    if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                        return null;
                    }
                    lease.getSpec().setHolderIdentity(null);
                    lease.getSpec().setRenewTime(null);
                    return client.leases().inNamespace(namespace).resource(lease).update();
                });
            } catch (RuntimeException e) {
                // an unreleased lease expires by itself after leaseDuration
                progress.accept("warning: could not release the lock " + name + ": " + e.getMessage());
            }
        }
    }

    /**
     * Takes the lock, waiting up to {@code wait} for the current holder; exit 11 naming the holder after that.
     */
    public Held acquire(String namespace, String component, String holder, Duration wait) {
        String name = leaseName(component);
        Instant giveUp = clock.instant().plus(wait);
        String lastHolder = null;
        while (true) {
            String current = tryAcquire(namespace, name, holder);
            for (int race = 0; current == RACE && race < api.tuning().retries(); race++) {
                current = tryAcquire(namespace, name, holder);
            }
            if (current == null) {
                return new Held(namespace, name, holder);
            }
            if (!current.equals(lastHolder)) {
                progress.accept("Waiting for the lock " + namespace + "/" + name + ", held by " + current
                        + " (up to " + ObjectWaiter.format(wait) + ")");
                lastHolder = current;
            }
            if (!clock.instant().isBefore(giveUp)) {
                throw KoreaException.locked("another promotion of " + component + " in namespace " + namespace
                        + " holds the lock (Lease " + name + ", holder " + current + "); waited " + ObjectWaiter.format(wait),
                        current);
            }
            try {
                api.sleeper().sleep(api.tuning().lockPoll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KoreaException(ExitCode.FAILURE, "interrupted while waiting for the lock " + name);
            }
        }
    }

    /** Null when taken; otherwise the current holder. */
    private String tryAcquire(String namespace, String name, String holder) {
        try {
            return api.call("take the lock " + name, () -> {
                Lease lease = client.leases().inNamespace(namespace).withName(name).get();
                ZonedDateTime now = now();
                int seconds = (int) Math.max(1, api.tuning().leaseDuration().toSeconds());
                if (lease == null) {
                    client.leases().inNamespace(namespace).resource(new LeaseBuilder()
                            .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                                    .addToLabels("app.kubernetes.io/managed-by", "korea").build())
                            .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(seconds)
                            .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();
                    return null;
                }
                LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
                String current = spec.getHolderIdentity();
                if (current != null && !current.equals(holder) && !expired(spec)) {
                    return current;
                }
                if (current != null && !current.equals(holder)) {
                    progress.accept("The lock " + name + " held by " + current + " has expired; taking it over");
                }
                spec.setHolderIdentity(holder);
                spec.setAcquireTime(now);
                spec.setRenewTime(now);
                spec.setLeaseDurationSeconds(seconds);
                spec.setLeaseTransitions((spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + 1);
                lease.setSpec(spec);
                client.leases().inNamespace(namespace).resource(lease).update();
                return null;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // someone else created or changed it first: look again
                return RACE;
            }
            throw e;
        }
    }

    private boolean expired(LeaseSpec spec) {
        if (spec.getRenewTime() == null) {
            return true;
        }
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return spec.getRenewTime().toInstant().plusSeconds(seconds).isBefore(clock.instant());
    }

    private ZonedDateTime now() {
        return ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
