package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.LeaseLock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** The Leases of every cluster of a waved environment, all taken before the first wave changes anything. */
final class WaveLocks implements AutoCloseable {
    private final DeployServices s;
    private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();
    private final Map<String, LeaseLock.Held> held = new LinkedHashMap<>();

    /** Why a lock was lost (someone took it over), or null. */
    String lost() {
        for (Map.Entry<String, LeaseLock.Held> e : held.entrySet()) {
            if (e.getValue().lost() != null) {
                return "cluster " + e.getKey() + ": " + e.getValue().lost();
            }
        }
        return null;
    }

    /** Lets go of one cluster's lock (Rollbacker takes it itself). */
    void release(String cluster) {
        LeaseLock.Held h = held.remove(cluster);
        if (h != null) {
            h.close();
        }
    }

    @Override
    public void close() {
        new ArrayList<>(held.keySet()).forEach(this::release);
        clients.values().forEach(c -> s.clusters().release(c));
        clients.clear();
    }

    private WaveLocks(DeployServices s) {
        this.s = s;
    }

    /** Every cluster reachable, its namespace there, its Lease ours; or nothing changed anywhere. */
    static WaveLocks takeAll(DeployServices s, Environment env, String component, String buildUrl) {
        WaveLocks locks = new WaveLocks(s);
        Api api = new Api(s.sleeper(), s.tuning());
        String holder = Lookups.holder(buildUrl);
        Instant giveUp = s.clock().instant().plus(env.lockTimeout());
        String current = null;
        try {
            for (String cluster : env.waveClusters()) {
                current = cluster;
                KubernetesClient client = s.clusters().connect(env.onCluster(cluster));
                locks.clients.put(cluster, client);
                PreDeployChecks.clusterAndNamespace(client, api, env.name(), env.namespace());
                Duration wait = Duration.between(s.clock().instant(), giveUp);
                locks.held.put(cluster, new LeaseLock(client, api, s.clock(), s.progress()).acquire(env.namespace(),
                        component, holder, wait.isNegative() ? Duration.ZERO : wait));
            }
            return locks;
        } catch (KoreaException e) {
            locks.close();
            String where = "cluster " + current + " (wave " + env.waveOf(current) + "): ";
            if (e.exitCode() == ExitCode.LOCKED) {
                throw KoreaException.locked(where + e.getMessage() + "; no wave was started, nothing was changed",
                        e.holder());
            }
            throw new KoreaException(e.exitCode(), where + e.getMessage() + "; no wave was started", e);
        } catch (KubernetesClientException e) {
            locks.close();
            throw new KoreaException(ExitCode.FAILURE, "cluster " + current + " (wave " + env.waveOf(current)
                    + "): the Kubernetes API failed: " + Api.describe(e) + "; no wave was started, nothing was changed", e);
        } catch (RuntimeException e) {
            locks.close();
            throw e;
        }
    }
}
