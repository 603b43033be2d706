package com.koreapublicdata.pipeline.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.GitOpsTarget;

class OverlayTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String DIGEST2 = "sha256:" + "b".repeat(64);

    private final Overlay kustomize = new Overlay(GitOpsTarget.Format.KUSTOMIZE, "kustomization.yaml", "app-backend", List.of());

    private static Overlay helm(String path) {
        return new Overlay(GitOpsTarget.Format.HELM, "values.yaml", null, List.of(path.split("\\.")));
    }

    @Test
    void shouldReplaceTagWithDigestInExistingEntryKeepingCommentsAndOtherEntries() {
        String before = """
                # 개발 환경 오버레이 (comments stay)
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base   # the base
                images:
                  - name: app-frontend
                    newTag: "1.0"
                  - name: app-backend   # backend image
                    newName: registry.example.com/app-backend
                    newTag: 1.2.2
                namePrefix: dev-
                """;
        String after = kustomize.setImage(before, ImageReference.parse("registry.example.com/app-backend:1.2.3@" + DIGEST)).text();
        assertThat(after).isEqualTo("""
                # 개발 환경 오버레이 (comments stay)
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base   # the base
                images:
                  - name: app-frontend
                    newTag: "1.0"
                  - name: app-backend   # backend image
                    newName: registry.example.com/app-backend
                    digest: %s
                namePrefix: dev-
                """.formatted(DIGEST));
        assertThat(kustomize.currentImage(after)).contains("registry.example.com/app-backend@" + DIGEST);
        assertThat(kustomize.currentImage(before)).contains("registry.example.com/app-backend:1.2.2");
    }

    @Test
    void shouldAppendEntryWithTheListsIndentation() {
        String indentless = """
                images:
                - name: app-frontend
                  newTag: v1
                # trailing comment
                """;
        assertThat(kustomize.setImage(indentless, ImageReference.parse("reg/app-backend@" + DIGEST)).text()).isEqualTo("""
                images:
                - name: app-frontend
                  newTag: v1
                - name: app-backend
                  newName: reg/app-backend
                  digest: %s
                # trailing comment
                """.formatted(DIGEST));
        String indented = "images:\n    -   name: app-frontend\n        newTag: v1\nresources: []\n";
        assertThat(kustomize.setImage(indented, ImageReference.parse("app-backend:2.0")).text())
                .isEqualTo("images:\n    -   name: app-frontend\n        newTag: v1\n    -   name: app-backend\n        newTag: \"2.0\"\nresources: []\n");
    }

    @Test
    void shouldAddImagesListWhenAbsentOrEmpty() {
        String none = "# overlay\nkind: Kustomization\nresources: []";
        assertThat(kustomize.setImage(none, ImageReference.parse("reg/app-backend@" + DIGEST)).text())
                .isEqualTo("# overlay\nkind: Kustomization\nresources: []\nimages:\n- name: app-backend\n  newName: reg/app-backend\n  digest: "
                        + DIGEST + "\n");
        String empty = "kind: Kustomization\nimages: []\nnamespace: dev\n";
        assertThat(kustomize.setImage(empty, ImageReference.parse("app-backend:v2")).text())
                .isEqualTo("kind: Kustomization\nnamespace: dev\nimages:\n- name: app-backend\n  newTag: v2\n");
        assertThat(kustomize.setImage("", ImageReference.parse("app-backend:v2")).text())
                .isEqualTo("images:\n- name: app-backend\n  newTag: v2\n");
    }

    @Test
    void shouldSwitchFromDigestBackToTag() {
        String before = "images:\n- name: app-backend\n  digest: " + DIGEST + "\n  newName: reg/app-backend\n";
        String after = kustomize.setImage(before, ImageReference.parse("reg/app-backend:1.5.0")).text();
        assertThat(after).isEqualTo("images:\n- name: app-backend\n  newName: reg/app-backend\n  newTag: 1.5.0\n");
    }

    @Test
    void shouldLeaveTextIdenticalWhenImageIsAlreadyThere() {
        String before = "images:\n  - name: app-backend  # pinned\n    newName: 'reg/app-backend'\n    digest: " + DIGEST + "\n";
        assertThat(kustomize.setImage(before, ImageReference.parse("reg/app-backend@" + DIGEST)).text()).isEqualTo(before);
    }

    @Test
    void shouldRerenderFlowStyleAndStillOnlyChangeTheImage() {
        String before = "images: [{name: app-backend, newTag: v1}, {name: other, newTag: v9}]\nresources: [a.yaml]\n";
        Overlay.Edit edit = kustomize.setImage(before, ImageReference.parse("app-backend@" + DIGEST2));
        assertThat(edit.rerendered()).isTrue();
        assertThat(kustomize.currentImage(edit.text())).contains("app-backend@" + DIGEST2);
        assertThat(new Overlay(GitOpsTarget.Format.KUSTOMIZE, "k", "other", List.of()).currentImage(edit.text())).contains("other:v9");
    }

    @Test
    void shouldHandleEntriesWhoseFirstKeyIsNotTheName() {
        String before = "images:\n- newTag: v1\n  name: app-backend\n- {name: other, newTag: v3}\n";
        String after = kustomize.setImage(before, ImageReference.parse("app-backend@" + DIGEST)).text();
        assertThat(after).isEqualTo("images:\n- name: app-backend\n  digest: " + DIGEST + "\n- {name: other, newTag: v3}\n");
        Overlay other = new Overlay(GitOpsTarget.Format.KUSTOMIZE, "k", "other", List.of());
        Overlay.Edit flowItem = other.setImage(after, ImageReference.parse("other:v4"));
        assertThat(other.currentImage(flowItem.text())).contains("other:v4");
        assertThat(kustomize.currentImage(flowItem.text())).contains("app-backend@" + DIGEST);
    }

    @Test
    void shouldPreserveWindowsLineEndings() {
        String before = "images:\r\n- name: app-backend\r\n  newTag: v1\r\n";
        assertThat(kustomize.setImage(before, ImageReference.parse("app-backend:v2")).text())
                .isEqualTo("images:\r\n- name: app-backend\r\n  newTag: v2\r\n");
    }

    @Test
    void shouldSetHelmScalarAndCreateMissingPath() {
        String before = "# values\nbackend:\n  replicas: 2 # two\n  image: reg/app-backend:1.0.0\nfrontend:\n  image: reg/fe:1\n";
        assertThat(helm("backend.image").setImage(before, ImageReference.parse("reg/app-backend@" + DIGEST)).text())
                .isEqualTo("# values\nbackend:\n  replicas: 2 # two\n  image: reg/app-backend@" + DIGEST + "\nfrontend:\n  image: reg/fe:1\n");
        assertThat(helm("worker.image").setImage(before, ImageReference.parse("reg/w:1.0")).text())
                .isEqualTo(before + "worker:\n  image: reg/w:1.0\n");
        assertThat(helm("frontend.pod.image").setImage(before, ImageReference.parse("reg/fe:2")).text())
                .isEqualTo("# values\nbackend:\n  replicas: 2 # two\n  image: reg/app-backend:1.0.0\nfrontend:\n  image: reg/fe:1\n  pod:\n    image: reg/fe:2\n");
    }

    @Test
    void shouldWriteIntoAValuesFileThatHasOnlyComments() {
        String before = "# Helm values for the development environment\n";
        assertThat(helm("backend.image").setImage(before, ImageReference.parse("reg/be@" + DIGEST)).text())
                .isEqualTo(before + "backend:\n  image: reg/be@" + DIGEST + "\n");
    }

    @Test
    void shouldSetHelmRepositoryTagDigestMapping() {
        String before = "backend:\n  image:\n    repository: reg/app-backend\n    tag: \"1.0\"\n    pullPolicy: IfNotPresent\n";
        String after = helm("backend.image").setImage(before, ImageReference.parse("reg/app-backend:1.1@" + DIGEST)).text();
        assertThat(after).isEqualTo("backend:\n  image:\n    repository: reg/app-backend\n    tag: \"1.1\"\n    pullPolicy: IfNotPresent\n"
                + "    digest: " + DIGEST + "\n");
        assertThat(helm("backend.image").currentImage(after)).contains("reg/app-backend:1.1@" + DIGEST);
        String back = helm("backend.image").setImage(after, ImageReference.parse("reg/app-backend:1.2")).text();
        assertThat(back).isEqualTo("backend:\n  image:\n    repository: reg/app-backend\n    tag: \"1.2\"\n    pullPolicy: IfNotPresent\n");
    }

    @Test
    void shouldRemoveTheEntryOnRevertOfAFirstDeploy() {
        String two = "images:\n- name: app-frontend\n  newTag: v1\n- name: app-backend\n  newTag: v2\nresources: []\n";
        assertThat(kustomize.removeImage(two).text()).isEqualTo("images:\n- name: app-frontend\n  newTag: v1\nresources: []\n");
        String one = "kind: Kustomization\nimages:\n- name: app-backend\n  newTag: v2\nresources: []\n";
        assertThat(kustomize.removeImage(one).text()).isEqualTo("kind: Kustomization\nresources: []\n");
        assertThat(helm("backend.image").removeImage("backend:\n  image: x:1\n  port: 80\n").text()).isEqualTo("backend:\n  port: 80\n");
    }

    @Test
    void shouldRejectFilesThatAreNotOverlays() {
        assertThatThrownBy(() -> kustomize.setImage("images: 3\n", ImageReference.parse("a:b")))
                .isInstanceOf(KoreaException.class).extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        assertThatThrownBy(() -> kustomize.setImage("images: [\n", ImageReference.parse("a:b")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("kustomization.yaml is not valid YAML");
        assertThatThrownBy(() -> helm("backend.image").setImage("backend: 5\n", ImageReference.parse("a:b")))
                .isInstanceOf(KoreaException.class).hasMessageContaining("must be a mapping");
    }

    @Test
    void shouldParseImageReferences() {
        assertThat(ImageReference.parse("localhost:5000/team/app:1.0@" + DIGEST))
                .isEqualTo(new ImageReference("localhost:5000/team/app", "1.0", DIGEST));
        assertThat(ImageReference.parse("localhost:5000/app")).isEqualTo(new ImageReference("localhost:5000/app", null, null));
        assertThatThrownBy(() -> ImageReference.parse("app@sha256:xyz")).hasMessageContaining("the digest 'sha256:xyz'");
        assertThatThrownBy(() -> ImageReference.parse("app:")).hasMessageContaining("the tag after ':' is empty");
    }
}
