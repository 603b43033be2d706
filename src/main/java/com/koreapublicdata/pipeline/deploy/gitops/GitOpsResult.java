package com.koreapublicdata.pipeline.deploy.gitops;

/**
 * What a GitOps deploy or revert did.
 *
 * @param repository     the repository (a URL without credentials, or a local path)
 * @param branch         the branch committed to
 * @param path           the overlay file changed, relative to the repository root
 * @param commit         our commit; when nothing changed, the branch's current commit
 * @param changed        false when the overlay already held the image (no commit was made)
 * @param previousImage  the image the overlay held before, null when it held none
 * @param syncedRevision the revision Argo CD reported Synced and Healthy, null when not waited for
 * @param message        one line for people
 */
public record GitOpsResult(String repository, String branch, String path, String commit, boolean changed, String previousImage,
        String syncedRevision, String message) {
}
