package com.koreapublicdata.pipeline.deploy;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;

/**
 * The GitOps repository of environments where {@code Environment.isGitOps()}: commit an image into the overlay
 * and push (waiting for Argo CD when configured), or revert such a commit. {@link GitOpsOverlays} is the one
 * implementation; it needs the loaded korea.yaml file, which only the CLI has.
 */
public interface GitOpsRepository {

    /**
     * @throws com.koreapublicdata.pipeline.deploy.gitops.GitOpsSyncException pushed, but Argo CD did not deploy it
     */
    GitOpsResult deploy(Environment environment, Component component, String image, String version, String approver,
            String buildUrl);

    /**
     * @param commit  the commit whose image change to undo; null: the latest image change of the component
     * @param version the version being reverted, for the commit message, or null
     */
    GitOpsResult revert(Environment environment, Component component, String commit, String version,
                String requestedBy,
            String buildUrl);

    /** Used when no GitOps implementation is wired: refuses clearly instead of pretending. */
    GitOpsRepository UNAVAILABLE = new GitOpsRepository() {
        @Override
        public GitOpsResult deploy(Environment environment, Component component, String image, String version, String approver,
                String buildUrl) {
            throw unavailable(environment);
        }

        @Override
        public GitOpsResult revert(Environment environment, Component component, String commit, String version,
                String requestedBy,
                String buildUrl) {
            throw unavailable(environment);
        }

        private KoreaException unavailable(Environment environment) {
            return new KoreaException(ExitCode.FAILURE, "environment '" + environment.name()
                    + "' deploys through GitOps, which this build of korea cannot do");
        }
    };
}
