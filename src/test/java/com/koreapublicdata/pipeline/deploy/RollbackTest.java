package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.argo.RolloutState;
import com.koreapublicdata.pipeline.deploy.argo.Rollouts;
import com.koreapublicdata.pipeline.deploy.kubernetes.DeploymentRules;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

class RollbackTest {
    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
        f.deployment("web", DeployFixture.image("1.0", null), 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private RollbackResult rollback(long toRevision) {
        return new Rollbacker(f.config.config(), f.services()).rollback(new RollbackRequest("web", "staging", toRevision,
                "checkout errors", "alice", null));
    }

    private void promote(String tag) {
        assertThat(f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image(tag, null))).outcome())
                .isEqualTo(PromotionResult.DEPLOYED);
    }

    @Test
    void shouldGoBackToThePreviousRevisionByDefaultAndRecordIt() throws Exception {
        promote("1.1");
        promote("1.2");

        RollbackResult result = rollback(0);

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(result.fromRevision()).isEqualTo("3");
        assertThat(result.toRevision()).isEqualTo("2");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.1", null));
        // the restored revision is re-numbered as the newest, like the real controller does
        assertThat(f.annotations("web")).containsEntry(DeploymentRules.REVISION, "4").containsEntry(Annotations.VERSION, "1.1");
        assertThat(f.log().read()).last().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("rollback");
            assertThat(r.approver()).isEqualTo("alice");
            assertThat(r.requestedBy()).isEqualTo("alice");
            assertThat(r.message()).contains("checkout errors");
        });
        assertThat(f.events).endsWith("rollback:rolled-back");
    }

    @Test
    void shouldGoToAnExactRevision() {
        promote("1.1");
        promote("1.2");

        RollbackResult result = rollback(1);

        assertThat(result.toRevision()).isEqualTo("1");
        assertThat(f.image("web")).isEqualTo(DeployFixture.image("1.0", null));
    }

    @Test
    void shouldRefuseAnUnknownRevisionAsBadInput() {
        promote("1.1");

        assertThatThrownBy(() -> rollback(7))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("revision 7").hasMessageContaining("[2, 1]");
        assertThat(f.image("web")).contains("1.1");
    }

    @Test
    void shouldRefuseWhenThereIsNoEarlierRevision() {
        assertThatThrownBy(() -> rollback(0))
                .isInstanceOfSatisfying(KoreaException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no rollout history found");
    }

    @Test
    void shouldRefuseAPausedDeployment() {
        promote("1.1");
        f.kube.controllerClient.apps().deployments().inNamespace("shop").withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true}}");

        assertThatThrownBy(() -> rollback(0)).isInstanceOf(KoreaException.class)
                .hasMessageContaining("cannot roll back a paused deployment").hasMessageContaining("kubectl rollout resume");
        assertThat(f.image("web")).contains("1.1");
    }

    @Test
    void shouldSkipWhenTheTemplateAlreadyMatches() {
        promote("1.1");
        promote("1.0");

        RollbackResult result = new Rollbacker(f.config.config(), f.services()).rollback(new RollbackRequest("web", "staging", 3,
                null, null, null));

        assertThat(result.outcome()).isEqualTo(RollbackResult.SKIPPED);
        assertThat(result.message()).contains("already matches revision 3");
    }

    @Test
    void shouldRollBackACanaryRolloutWithArgosUndoRules() {
        for (String tag : new String[] {"1.0", "1.1"}) {
            assertThat(f.promoter().promote(PromotionRequest.of("api", "staging", "registry.local/shop/api:" + tag)).outcome())
                    .isEqualTo(PromotionResult.DEPLOYED);
        }

        RollbackResult result = new Rollbacker(f.config.config(), f.services()).rollback(new RollbackRequest("api", "staging", 0,
                null, null, null));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        var ro = f.client().genericKubernetesResources(Rollouts.ROLLOUT).inNamespace("shop").withName("api").get();
        assertThat(Rollouts.image(ro, "api")).isEqualTo("registry.local/shop/api:1.0");
        assertThat(RolloutState.of(ro).phase()).isEqualTo("Healthy");
        assertThat(f.kube.requests()).anyMatch(r -> r.equals("PATCH /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/api"));
        // recorded with the Rollout's revision after the rollback (like a Deployment's), not the one it went back to
        String revisionNow = ro.getMetadata().getAnnotations().get(Rollouts.REVISION);
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.revision()).isEqualTo(revisionNow)
                .isNotEqualTo(result.toRevision()));
    }

    @Test
    void shouldShowTheLastDeployedRecordAndSayTheLiveStateIsUnknownWhenTheWorkloadCannotBeRead() {
        promote("1.1");
        PromotionResult failed = f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.2-crash", null)));
        assertThat(failed.outcome()).as(failed.message()).isEqualTo(PromotionResult.ROLLED_BACK);
        f.kube.fail("GET", "/deployments/web", 500, 1_000);

        WorkloadStatus web = new StatusReader(f.config.config(), f.services()).status("staging", "web").get(0);

        assertThat(web.health()).isEqualTo("unknown");
        assertThat(web.detail()).startsWith("the live state is unknown").contains("deployment/web");
        assertThat(web.image()).isEqualTo(DeployFixture.image("1.1", null));
        assertThat(web.version()).isEqualTo("1.1");
        assertThat(web.lastRecord().outcome()).isEqualTo(com.koreapublicdata.pipeline.Outcome.DEPLOYED);
    }

    @Test
    void shouldShowStatusAndHistory() {
        promote("1.1");
        new Rollbacker(f.config.config(), f.services()).rollback(new RollbackRequest("web", "staging", 0, null, "bob", null));

        StatusReader reader = new StatusReader(f.config.config(), f.services());
        WorkloadStatus web = reader.status("staging", "web").get(0);

        assertThat(web.health()).isEqualTo("healthy");
        assertThat(web.image()).isEqualTo(DeployFixture.image("1.0", null));
        assertThat(web.revision()).isEqualTo("3");
        assertThat(web.lastRecord().kind()).isEqualTo("rollback");
        assertThat(reader.status("staging", null)).extracting(WorkloadStatus::component).contains("web", "api", "front");
        assertThat(reader.history(null, "web", 10)).extracting(r -> r.kind()).containsExactly("rollback", "promotion");
        assertThat(reader.history(null, null, 1)).hasSize(1);
    }
}
