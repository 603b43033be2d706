package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

class RolloutPromotionTest {
    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeEach
    void setUp() throws Exception {
        if (System.getenv("KOREA_TEST_TRACE") != null) {
            System.err.println(java.time.LocalTime.now() + " setup");
        }
        f = new DeployFixture(dir);
        if (System.getenv("KOREA_TEST_TRACE") != null) {
            System.err.println(java.time.LocalTime.now() + " setup done");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private GenericKubernetesResource rollout(String name) {
        return f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace("shop").withName(name).get();
    }

    private String image(String name) {
        return Rollouts.image(rollout(name), name);
    }

    private PromotionResult promote(String component, String tag) {
        return f.promoter().promote(PromotionRequest.of(component, "staging", "registry.local/shop/" + component + ":" + tag));
    }

    @Test
    void shouldWalkTheDefaultCanaryStepsAnalysingEachPause() {
        assertThat(promote("api", "1.0").outcome()).isEqualTo(PromotionResult.DEPLOYED);
        f.checks.clear();

        PromotionResult result = promote("api", "1.1");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(result.strategy()).isEqualTo("canary");
        RolloutState st = RolloutState.of(rollout("api"));
        assertThat(st.phase()).isEqualTo("Healthy");
        assertThat(st.fullyPromoted()).isTrue();
        assertThat(image("api")).isEqualTo("registry.local/shop/api:1.1");
        // the 10-minute pauses took milliseconds: each was analysed once, with its weight and its window
        assertThat(f.checks).extracting(HealthCheck.Request::point).containsOnly(HealthCheck.Point.CANARY_PAUSE);
        assertThat(f.checks).extracting(HealthCheck.Request::weight).containsExactly(20, 40, 60, 80);
        assertThat(f.checks).extracting(HealthCheck.Request::window).containsOnly(Duration.ofMinutes(10));
        assertThat(f.progress).anyMatch(l -> l.contains("step 2/8, weight 20%") && l.contains("paused"));
        // the strategy in the cluster is korea.yaml's
        Map<?, ?> canary = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) rollout("api").getAdditionalProperties().get("spec"))
                .get("strategy")).get("canary");
        assertThat(canary.get("maxSurge")).isEqualTo("25%");
        assertThat(canary.get("maxUnavailable")).isEqualTo(0);
        assertThat((List<?>) canary.get("steps")).hasSize(8).first().isEqualTo(Map.of("setWeight", 20));
    }

    @Test
    void shouldAbortAndUndoTheCanaryWhenAnalysisFails() {
        promote("api", "1.0");
        f.health = r -> r.weight() >= 40 ? HealthCheck.Verdict.fail("error rate 9% > 5% for 5m")
                : HealthCheck.Verdict.pass("error rate 0.1%");

        PromotionResult result = promote("api", "1.1");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(result.message()).contains("error rate 9%").contains("rolled back to revision 1");
        assertThat(image("api")).isEqualTo("registry.local/shop/api:1.0");
        assertThat(RolloutState.of(rollout("api")).phase()).isEqualTo("Healthy");
        assertThat(f.kube.requests()).contains("PATCH /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/api/status");
        assertThat(f.checks).extracting(HealthCheck.Request::weight).containsExactly(20, 40);
        assertThat(f.events).endsWith("rollback:rolled-back");
        // the revision is the Rollout's new one after the undo, as a Deployment's is, not the number it went back to
        String revisionNow = rollout("api").getMetadata().getAnnotations().get(Rollouts.REVISION);
        assertThat(result.revision()).isEqualTo(revisionNow).isNotEqualTo("1");
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.revision()).isEqualTo(revisionNow));
    }

    @Test
    void shouldUndoADegradedCanary() {
        promote("api", "1.0");

        PromotionResult result = promote("api", "1.1-degraded");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.message()).contains("rollout degraded").contains("ProgressDeadlineExceeded");
        assertThat(image("api")).isEqualTo("registry.local/shop/api:1.0");
    }

    @Test
    void shouldStopAtTheBlueGreenPreviewAndPromoteOnConfirmation() {
        assertThat(promote("front", "1.0").outcome()).isEqualTo(PromotionResult.DEPLOYED);
        f.checks.clear();
        String stable = RolloutState.of(rollout("front")).stableRS();

        PromotionResult waiting = promote("front", "1.1");

        assertThat(waiting.outcome()).as(waiting.message()).isEqualTo(PromotionResult.AWAITING_PROMOTION);
        assertThat(waiting.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(waiting.message()).contains("front-preview").contains("korea rollout promote");
        RolloutState paused = RolloutState.of(rollout("front"));
        assertThat(paused.phase()).isEqualTo("Paused");
        assertThat(paused.activeSelector()).as("active still serves the old version").isEqualTo(stable);
        assertThat(f.checks).extracting(HealthCheck.Request::point).containsExactly(HealthCheck.Point.PRE_PROMOTION);
        assertThat(f.events).contains("awaiting-approval");
        @SuppressWarnings("unchecked")
        Map<String, Object> blueGreen = (Map<String, Object>) ((Map<?, ?>) ((Map<?, ?>) rollout("front").getAdditionalProperties().get("spec"))
                .get("strategy")).get("blueGreen");
        assertThat(blueGreen).containsEntry("autoPromotionEnabled", false).containsEntry("activeService", "front-active")
                .containsEntry("scaleDownDelaySeconds", 30).containsKey("prePromotionAnalysis");

        PromotionResult promoted = f.promoter().promoteRollout("front", "staging", "alice", "cli", null, null);

        assertThat(promoted.outcome()).as(promoted.message()).isEqualTo(PromotionResult.DEPLOYED);
        RolloutState healthy = RolloutState.of(rollout("front"));
        assertThat(healthy.phase()).isEqualTo("Healthy");
        assertThat(healthy.activeSelector()).isEqualTo(healthy.currentPodHash()).isNotEqualTo(stable);
        assertThat(f.checks).extracting(HealthCheck.Request::point).containsExactly(HealthCheck.Point.PRE_PROMOTION,
                HealthCheck.Point.POST_PROMOTION);
        assertThat(rollout("front").getMetadata().getAnnotations()).containsEntry(Annotations.APPROVED_BY, "alice");
    }

    @Test
    void shouldPromoteInOneGoWithConfirm() {
        promote("front", "1.0");

        PromotionResult result = f.promoter().promote(PromotionRequest.of("front", "staging", "registry.local/shop/front:1.1")
                .confirmed());

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(RolloutState.of(rollout("front")).fullyPromoted()).isTrue();
    }

    @Test
    void shouldRollBackTheBlueGreenPreviewWhenPrePromotionAnalysisFails() {
        promote("front", "1.0");
        f.health = r -> HealthCheck.Verdict.fail("3 failed health checks");

        PromotionResult result = promote("front", "1.1");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(image("front")).isEqualTo("registry.local/shop/front:1.0");
        assertThat(RolloutState.of(rollout("front")).phase()).isEqualTo("Healthy");
    }

    @Test
    void shouldRollBackAfterPromotionWhenPostPromotionAnalysisFails() {
        promote("front", "1.0");
        f.health = r -> r.point() == HealthCheck.Point.POST_PROMOTION ? HealthCheck.Verdict.fail("latency 2.5s > 2s for 3m")
                : HealthCheck.Verdict.pass("ok");

        PromotionResult result = f.promoter().promote(PromotionRequest.of("front", "staging", "registry.local/shop/front:1.1")
                .confirmed());

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(image("front")).isEqualTo("registry.local/shop/front:1.0");
        RolloutState st = RolloutState.of(rollout("front"));
        assertThat(st.phase()).isEqualTo("Healthy");
        assertThat(st.fullyPromoted()).isTrue();
    }

    @Test
    void shouldAbortOnRequest() {
        promote("front", "1.0");
        promote("front", "1.1");

        PromotionResult aborted = f.promoter().abortRollout("front", "staging", "wrong colour");

        assertThat(aborted.outcome()).isEqualTo(PromotionResult.ABORTED);
        RolloutState st = RolloutState.of(rollout("front"));
        assertThat(st.phase()).isEqualTo("Degraded");
        assertThat(st.aborted()).isTrue();
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.kind()).isEqualTo("rollback"));
    }

    @Test
    void shouldUndoADegradedBlueGreenPreview() {
        promote("front", "1.0");

        PromotionResult result = promote("front", "1.1-degraded");

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(image("front")).isEqualTo("registry.local/shop/front:1.0");
    }
}
