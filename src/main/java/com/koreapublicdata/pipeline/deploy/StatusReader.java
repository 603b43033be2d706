package com.koreapublicdata.pipeline.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.DeploySettings;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.Api;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.Deployments;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;
import com.koreapublicdata.pipeline.history.DeploymentRecord;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

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
                    DeploymentRecord last = records.stream().filter(r -> env.name().equals(r.environment())
                            && name.equals(r.component()) && (wave == null || wave.equals(r.cluster())))
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
            return fromRecord(env, component, settings, last, "unknown", "deployed through GitOps: see the Argo CD Application");
        }
        if (client == null) {
            return fromRecord(env, component, settings, last, "unknown", "cluster unreachable: " + clusterProblem);
        }
        Api api = new Api(s.sleeper(), s.tuning());
        try {
            if (settings.strategy() == Strategy.ROLLING) {
                Deployment d = new Deployments(client, api, env.namespace(), settings.workload()).get();
                if (d == null) {
                    return fromRecord(env, component, settings, last, "missing", "no deployment/" + settings.workload());
                }
                String health;
                String detail;
                try {
                    var v = DeploymentRules.judge(d);
                    health = v.progress() == null ? "healthy" : "progressing";
                    detail = v.progress() == null ? "rolled out" : v.progress();
                } catch (WaitFailure e) {
                    health = Boolean.TRUE.equals(d.getSpec().getPaused()) ? "paused" : "degraded";
                    detail = e.getMessage();
                }
                return fromAnnotations(env, component, settings, d.getMetadata().getAnnotations(),
                        Deployments.image(d, settings.container()), DeploymentRules.revision(d), health, detail, last);
            }
            GenericKubernetesResource ro = new Rollouts(client, api, env.namespace(), settings.workload()).get();
            if (ro == null) {
                return fromRecord(env, component, settings, last, "missing", "no rollout/" + settings.workload());
            }
            RolloutState st = RolloutState.of(ro);
            Map<String, String> a = ro.getMetadata().getAnnotations();
            return fromAnnotations(env, component, settings, a, Rollouts.image(ro, settings.container()),
                    a == null ? null : a.get(Rollouts.REVISION), st.phase().toLowerCase(java.util.Locale.ROOT), st.line(), last);
        } catch (RuntimeException e) {
            return fromRecord(env, component, settings, last, "unknown", "cannot read the workload: " + e.getMessage());
        }
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
