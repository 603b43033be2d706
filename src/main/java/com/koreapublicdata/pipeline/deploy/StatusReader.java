package com.koreapublicdata.pipeline.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** {@code korea status} and {@code korea history}: read-only views of the cluster and the deployment log. */
public final class StatusReader {
    private final KoreaConfig config;
    private final DeployServices s;

    public StatusReader(KoreaConfig config, DeployServices services) {
        this.config = config;
        this.s = services;
    }

    /** Every (environment, component) pair matching the filters (null = all). */
    public List<WorkloadStatus> status(String environment, String component) {
        if (environment != null && config.environment(environment).isEmpty()) {
            throw KoreaException.invalidInput("--environment " + environment + ": no such environment; known: "
                    + config.environments().keySet());
        }
        if (component != null && config.component(component).isEmpty()) {
            throw KoreaException.invalidInput("--component " + component + ": no such component; known: "
                    + config.components().keySet());
        }
        List<DeploymentRecord> records = s.log().read();
        List<WorkloadStatus> out = new ArrayList<>();
        for (Environment configured : config.environments().values()) {
            if (environment != null && !environment.equals(configured.name())) {
                continue;
            }
            // an environment with waves: one status per cluster, each from that cluster and its own records
            for (Environment env : configured.hasWaves() ? configured.waveClusters().stream().map(configured::onCluster).toList()
                    : List.of(configured)) {
            String wave = configured.hasWaves() ? env.cluster() : null;
            KubernetesClient client = null;
            String clusterProblem = null;
            if (!env.isGitOps()) {
                try {
                    client = s.clusters().connect(env);
                } catch (RuntimeException e) {
                    clusterProblem = e.getMessage();
                }
            }
            try {
                for (String name : config.components().keySet()) {
                    if (component != null && !component.equals(name)) {
                        continue;
                    }
                    DeploySettings settings = env.deployment(name);
                    // what runs is what was last deployed: a failed or refused promotion changed nothing lasting
                    DeploymentRecord last = records.stream().filter(r -> env.name().equals(r.environment())
                            && name.equals(r.component()) && deployed(r) && (wave == null || wave.equals(r.cluster())))
                            .reduce((a, b) -> b).orElse(null);
                    WorkloadStatus status = read(env, name, settings, client, clusterProblem, last);
                    out.add(wave == null ? status : status.onCluster(wave));
                }
            } finally {
                if (client != null) {
                    s.clusters().release(client);
                }
            }
            }
        }
        return out;
    }

    private WorkloadStatus read(Environment env, String component, DeploySettings settings, KubernetesClient client,
            String clusterProblem, DeploymentRecord last) {
        if (env.isGitOps() || settings.strategy() == Strategy.GITOPS) {
            return gitOps(env, component, settings, last);
        }
        if (client == null) {
            return fromRecord(env, component, settings, last, "unknown", "the live state is unknown: the cluster is not "
                    + "reachable: " + clusterProblem);
        }
        WorkloadStrategy strategy = WorkloadStrategy.of(new DeployContext(config, env, config.component(component).orElseThrow(),
                settings, client, s));
        try {
            WorkloadStrategy.Live live = strategy.status();
            if (live == null) {
                return fromRecord(env, component, settings, last, "missing", "no " + strategy.describe());
            }
            return fromAnnotations(env, component, settings, live.annotations(), live.image(), live.revision(), live.health(),
                    live.detail(), last);
        } catch (KubernetesClientException e) {
            return fromRecord(env, component, settings, last, "unknown", "the live state is unknown: cannot read "
                    + strategy.describe() + ": " + (Api.forbidden(e) ? Api.forbiddenMessage(e) : Api.describe(e)));
        } catch (RuntimeException e) {
            return fromRecord(env, component, settings, last, "unknown", "the live state is unknown: cannot read "
                    + strategy.describe() + ": " + e.getMessage());
        }
    }

    /** The overlay's image (what Argo CD deploys), the rest from the last deployed record. */
    private WorkloadStatus gitOps(Environment env, String component, DeploySettings settings, DeploymentRecord last) {
        WorkloadStrategy.Live live;
        try {
            live = s.gitOps().status(env, config.component(component).orElseThrow());
        } catch (RuntimeException e) {
            return fromRecord(env, component, settings, last, "unknown", "cannot read the GitOps overlay: " + e.getMessage());
        }
        if (live == null) {
            return fromRecord(env, component, settings, last, "unknown", "deployed through GitOps: see the Argo CD Application");
        }
        WorkloadStatus r = fromRecord(env, component, settings, last, live.health(), live.detail());
        // an overlay edited by hand since the last record: that record's version does not describe its image
        String version = last != null && java.util.Objects.equals(last.image(), live.image()) ? r.version() : null;
        return new WorkloadStatus(r.environment(), r.component(), r.namespace(), r.workload(), Strategy.GITOPS.id(), live.image(),
                version, r.revision(), r.approver(), r.approvalSource(), r.build(), r.deployedAt(), r.health(), r.detail(),
                last);
    }

    private static WorkloadStatus fromAnnotations(Environment env, String component, DeploySettings settings,
            Map<String, String> a, String image, String revision, String health, String detail, DeploymentRecord last) {
        Map<String, String> ann = a == null ? Map.of() : a;
        return new WorkloadStatus(env.name(), component, env.namespace(), settings.workload(), settings.strategy().id(), image,
                blankToNull(ann.get(Annotations.VERSION)), revision, blankToNull(ann.get(Annotations.APPROVED_BY)),
                blankToNull(ann.get(Annotations.APPROVAL_SOURCE)), blankToNull(ann.get(Annotations.BUILD)),
                blankToNull(ann.get(Annotations.DEPLOYED_AT)), health, detail, last);
    }

    private static WorkloadStatus fromRecord(Environment env, String component, DeploySettings settings, DeploymentRecord last,
            String health, String detail) {
        return new WorkloadStatus(env.name(), component, env.namespace(), settings.workload(), settings.strategy().id(),
                last == null ? null : last.image(), last == null ? null : last.version(), last == null ? null : last.revision(),
                last == null ? null : last.approver(), last == null ? null : last.approvalSource(),
                last == null ? null : last.buildUrl(), last == null || last.time() == null ? null : last.time().toString(), health,
                detail, last);
    }

    /** A record whose image then ran: a deployed promotion, or a manual rollback that worked. */
    private static boolean deployed(DeploymentRecord r) {
        return r.outcome() == Outcome.DEPLOYED
                || DeploymentRecord.ROLLBACK.equals(r.kind()) && r.outcome() == Outcome.ROLLED_BACK;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    /** The last {@code limit} records matching the filters, newest first. */
    public List<DeploymentRecord> history(String environment, String component, int limit) {
        if (limit < 1) {
            throw KoreaException.invalidInput("--limit must be at least 1, not " + limit);
        }
        List<DeploymentRecord> all = new ArrayList<>(s.log().read().stream()
                .filter(r -> environment == null || environment.equals(r.environment()))
                .filter(r -> component == null || component.equals(r.component())).toList());
        java.util.Collections.reverse(all);
        all.sort(Comparator.comparing(DeploymentRecord::time, Comparator.nullsLast(Comparator.reverseOrder())));
        return all.subList(0, Math.min(limit, all.size()));
    }
}
