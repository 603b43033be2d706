package com.koreapublicdata.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The pre-deploy check of Secrets the External Secrets Operator keeps in sync from the vault: a Secret the pod
 * template references and an ExternalSecret owns must have that ExternalSecret Ready, or nothing changes.
 */
class ExternalSecretCheckTest {
    @TempDir
    Path dir;
    DeployFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    /** A Deployment whose pods read db-credentials through envFrom and api-key through a volume. */
    void deploymentUsingSecrets() throws InterruptedException {
        f.kube.controllerClient.apps().deployments().inNamespace(DeployFixture.NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(DeployFixture.NS).endMetadata().withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage(DeployFixture.image("1.0", null))
                .addNewEnvFrom().withNewSecretRef().withName("db-credentials").endSecretRef().endEnvFrom().endContainer()
                .addNewVolume().withName("key").withNewSecret().withSecretName("api-key").endSecret().endVolume()
                .endSpec().endTemplate().endSpec().build()).create();
        f.awaitDeployment("web");
    }

    void ownedSecret(String name, String externalSecret, String apiVersion) {
        f.client().secrets().inNamespace(DeployFixture.NS).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(DeployFixture.NS).addNewOwnerReference().withApiVersion(apiVersion).withKind("ExternalSecret")
                .withName(externalSecret).withUid("uid-" + externalSecret).withController(true).endOwnerReference().endMetadata()
                .addToStringData("value", "from-vault").build()).create();
    }

    void externalSecret(String name, String version, String status, String reason, String message) {
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup("external-secrets.io")
                .withVersion(version).withKind("ExternalSecret").withPlural("externalsecrets").withNamespaced(true).build();
        GenericKubernetesResource es = new GenericKubernetesResourceBuilder().withApiVersion("external-secrets.io/" + version)
                .withKind("ExternalSecret").withNewMetadata().withName(name).withNamespace(DeployFixture.NS).endMetadata().build();
        es.setAdditionalProperty("spec", Map.of("secretStoreRef", Map.of("name", "vault", "kind", "ClusterSecretStore")));
        es.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready", "status", status,
                "reason", reason, "message", message))));
        f.client().genericKubernetesResources(context).inNamespace(DeployFixture.NS).resource(es).create();
    }

    @Test
    void shouldDeployWhenEveryOwningExternalSecretIsSynced() throws Exception {
        ownedSecret("db-credentials", "db-credentials", "external-secrets.io/v1");
        externalSecret("db-credentials", "v1", "True", "SecretSynced", "secret synced");
        ownedSecret("api-key", "api-key", "external-secrets.io/v1beta1");
        externalSecret("api-key", "v1beta1", "True", "SecretSynced", "secret synced");
        deploymentUsingSecrets();

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1",
                DeployFixture.DIGEST_B)));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
        assertThat(f.image("web")).contains(":1.1");
    }

    @Test
    void shouldRefuseUntouchedWhenAnExternalSecretIsNotReady() throws Exception {
        ownedSecret("db-credentials", "db-credentials", "external-secrets.io/v1");
        externalSecret("db-credentials", "v1", "True", "SecretSynced", "secret synced");
        ownedSecret("api-key", "api-key-es", "external-secrets.io/v1beta1");
        externalSecret("api-key-es", "v1beta1", "False", "SecretSyncedError",
                "could not get secret data from provider: vault: permission denied");
        deploymentUsingSecrets();
        String before = f.get("web").getMetadata().getResourceVersion();

        assertThatThrownBy(() -> f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1",
                DeployFixture.DIGEST_B))))
                .isInstanceOfSatisfying(KoreaException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE);
                    assertThat(e.getMessage()).contains("ExternalSecret shop/api-key-es")
                            .contains("owner of Secret api-key").contains("not Ready (SecretSyncedError)")
                            .contains("vault: permission denied").contains("nothing was changed")
                            .doesNotContain("db-credentials");
                });
        assertThat(f.image("web")).contains(":1.0");
        assertThat(f.get("web").getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(f.log().read()).last().satisfies(r -> assertThat(r.outcome()).isEqualTo(com.koreapublicdata.pipeline.Outcome.FAILED));
    }

    @Test
    void shouldIgnoreSecretsNotOwnedByAnExternalSecret() throws Exception {
        f.client().secrets().inNamespace(DeployFixture.NS).resource(new SecretBuilder().withNewMetadata()
                .withName("db-credentials").withNamespace(DeployFixture.NS).endMetadata().build()).create();
        ownedSecret("api-key", "api-key", "other.example.com/v1");
        deploymentUsingSecrets();

        PromotionResult result = f.promoter().promote(PromotionRequest.of("web", "staging", DeployFixture.image("1.1",
                DeployFixture.DIGEST_B)));

        assertThat(result.outcome()).as(result.message()).isEqualTo(PromotionResult.DEPLOYED);
    }
}
