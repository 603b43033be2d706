package com.koreapublicdata.pipeline.deploy.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** The local default GitOps repository korea creates when an environment names neither a cluster nor a repository. */
final class LocalRepositories {

    private LocalRepositories() {
    }

    /** git init, branch {@code branch}, and a first commit with a README and the environment's overlay skeleton. */
    static Git create(Path dir, String branch, java.util.Map<String, String> env, Clock clock, String overlayFile, String skeleton)
            throws IOException, GitAPIException {
        Files.createDirectories(dir);
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call();
        Files.writeString(dir.resolve("README.md"), """
                # Local GitOps repository

                korea-pipeline created this repository because the environments that deploy here name no cluster
                and no GitOps repository in korea.yaml. Every `korea promote` commits the new image of a component
                to `environments/<environment>/kustomization.yaml` (the kustomize `images:` list), by digest when
                the image has one. Read the history with `git log -p`; point Argo CD (or `kustomize build`) at an
                overlay to apply it, or configure `environments.<name>.gitops.repository` to use a shared repository.
                """, StandardCharsets.UTF_8);
        Path overlay = dir.resolve(overlayFile);
        Files.createDirectories(overlay.getParent());
        Files.writeString(overlay, skeleton, StandardCharsets.UTF_8);
        git.add().addFilepattern("README.md").addFilepattern(overlayFile).call();
        var who = Identity.of(env, clock);
        git.commit().setMessage("Initialize the GitOps repository").setAuthor(who).setCommitter(who).setSign(false).call();
        return git;
    }

    /** The overlay file korea writes for an environment that has none yet in the local repository. */
    static String skeleton(com.koreapublicdata.pipeline.config.GitOpsTarget.Format format, String environment) {
        if (format == com.koreapublicdata.pipeline.config.GitOpsTarget.Format.HELM) {
            return "# Helm values for the %s environment, maintained by korea-pipeline.\n".formatted(environment);
        }
        return """
                # Overlay for the %s environment, maintained by korea-pipeline.
                # korea promote sets each component's image in the images: list below.
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: []
                """.formatted(environment);
    }
}
