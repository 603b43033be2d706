package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.wiring.AnalysisHealthCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** kubectl's rollout-status order, the plugin's phase rules and image references, without a server. */
class RulesTest {

    private static Deployment deployment(long generation, long observed, int desired, int replicas, int updated, int available,
            String progressingReason, boolean paused) {
        var b = new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).withPaused(paused).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available);
        if (progressingReason != null) {
            b = b.addNewCondition().withType("Progressing").withReason(progressingReason).endCondition();
        }
        return b.endStatus().build();
    }

    @Test
    void shouldApplyKubectlRolloutStatusRulesInOrder() {
        assertThat(DeploymentRules.judge(deployment(2, 1, 3, 3, 3, 3, null, false)).progress())
                .isEqualTo("Waiting for deployment spec update to be observed...");
        // the deadline is checked before the replica counts
        assertThatThrownBy(() -> DeploymentRules.judge(deployment(2, 2, 3, 3, 1, 0, "ProgressDeadlineExceeded", false)))
                .isInstanceOf(WaitFailure.class).hasMessageContaining("exceeded its progress deadline");
        assertThat(DeploymentRules.judge(deployment(2, 2, 3, 4, 1, 1, null, false)).progress())
                .contains("1 out of 3 new replicas have been updated");
        assertThat(DeploymentRules.judge(deployment(2, 2, 3, 4, 3, 3, null, false)).progress())
                .contains("1 old replicas are pending termination");
        assertThat(DeploymentRules.judge(deployment(2, 2, 3, 3, 3, 2, null, false)).progress())
                .contains("2 of 3 updated replicas are available");
        assertThat(DeploymentRules.judge(deployment(2, 2, 3, 3, 3, 3, "NewReplicaSetAvailable", false)).result())
                .contains("successfully rolled out");
    }

    @Test
    void shouldFailAPausedDeploymentInsteadOfWaitingForever() {
        assertThatThrownBy(() -> DeploymentRules.judge(deployment(2, 2, 3, 3, 1, 1, null, true)))
                .isInstanceOf(WaitFailure.class).hasMessageContaining("paused");
    }

    private static GenericKubernetesResource rollout(long generation, Map<String, Object> status) {
        GenericKubernetesResource ro = new GenericKubernetesResource();
        ro.setMetadata(new ObjectMetaBuilder().withName("api").withGeneration(generation).build());
        ro.setAdditionalProperty("spec", Map.of("replicas", 3, "strategy", Map.of("canary", Map.of("steps", List.of(
                Map.of("setWeight", 20), Map.of("pause", Map.of()))))));
        ro.setAdditionalProperty("status", status);
        return ro;
    }

    @Test
    void shouldTrustTheRolloutPhaseOnlyOnceTheStringObservedGenerationMatches() {
        assertThat(RolloutState.of(rollout(5, Map.of("observedGeneration", "4", "phase", "Healthy"))).phase())
                .isEqualTo("Progressing");
        assertThat(RolloutState.of(rollout(5, Map.of("observedGeneration", "5", "phase", "Healthy"))).phase())
                .isEqualTo("Healthy");
        // a controller pause without pause conditions is still progressing
        assertThat(RolloutState.of(rollout(5, Map.of("observedGeneration", "5", "phase", "Paused", "controllerPause", true)))
                .message()).isEqualTo("waiting for rollout to unpause");
    }

    @Test
    void shouldCalculateThePhaseWhenTheControllerGivesNone() {
        RolloutState aborted = RolloutState.of(rollout(1, Map.of("observedGeneration", "1", "conditions",
                List.of(Map.of("type", "Progressing", "reason", "RolloutAborted")))));
        assertThat(aborted.phase()).isEqualTo("Degraded");
        assertThat(aborted.aborted()).isTrue();
        assertThat(RolloutState.of(rollout(1, Map.of("observedGeneration", "1", "pauseConditions",
                List.of(Map.of("reason", "CanaryPauseStep"))))).phase()).isEqualTo("Paused");
        assertThat(RolloutState.of(rollout(1, Map.of("observedGeneration", "1", "replicas", 3, "updatedReplicas", 3,
                "availableReplicas", 3, "currentPodHash", "abc", "stableRS", "abc"))).phase()).isEqualTo("Healthy");
        assertThat(RolloutState.of(rollout(1, Map.of("observedGeneration", "1", "replicas", 3, "updatedReplicas", 3,
                "availableReplicas", 3, "currentPodHash", "new", "stableRS", "abc"))).phase()).isEqualTo("Progressing");
    }

    @Test
    void shouldPassWhenNoAnalysisIsConfigured() {
        var check = new AnalysisHealthCheck(com.koreapublicdata.pipeline.config.AnalysisSettings.defaults(), null, line -> { });
        assertThat(check.check(new HealthCheck.Request("web", "staging", "shop", "1.1", HealthCheck.Point.AFTER_ROLLOUT, -1,
                100, java.time.Duration.ofMinutes(5))).passed()).isTrue();
    }

    @Test
    void shouldSplitImageReferencesAndPinByDigest() {
        ImageReference r = ImageReference.parse("registry:5000/team/app:1.2@" + DeployFixture.DIGEST_A);
        assertThat(r.repository()).isEqualTo("registry:5000/team/app");
        assertThat(r.tag()).isEqualTo("1.2");
        assertThat(r.digest()).isEqualTo(DeployFixture.DIGEST_A);
        assertThat(ImageReference.parse("registry:5000/team/app").tag()).isNull();
        assertThat(ImageReference.parse("app:1.0").withDigest(DeployFixture.DIGEST_B).deployable())
                .isEqualTo("app:1.0@" + DeployFixture.DIGEST_B);
        assertThatThrownBy(() -> ImageReference.parse("app@sha256:xyz")).isInstanceOf(KoreaException.class)
                .hasMessageContaining("64 hex");
    }
}
