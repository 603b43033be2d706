package com.koreapublicdata.pipeline.deploy.gitops;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * The commit was pushed but Argo CD did not deploy it (Degraded, a failed sync, or the timeout). Carries the
 * result so the caller can {@link GitOpsDeployer#revert revert} exactly that commit.
 */
public final class GitOpsSyncException extends KoreaException {
    private static final long serialVersionUID = 1L;
    private final transient GitOpsResult result;

    GitOpsSyncException(GitOpsResult result, KoreaException cause) {
        super(cause.exitCode() == ExitCode.USAGE ? ExitCode.USAGE : ExitCode.FAILURE,
                "committed " + result.commit() + " to " + result.repository() + " but " + cause.getMessage(), cause);
        this.result = result;
    }

    /** The commit that was pushed. */
    public GitOpsResult result() {
        return result;
    }
}
