package com.koreapublicdata.pipeline.deploy;

/**
 * Deploys through git for environments where {@code Environment.isGitOps()}: commit the image into the
 * overlay, push, wait for Argo CD. Implemented in {@code deploy.gitops}; {@link Promoter} runs the gates
 * first and records the result.
 */
@FunctionalInterface
public interface GitOpsPromotion {

    /**
     * @param request the promotion, already past the approval and scan gates
     * @param image   the image reference to write (digest form when known)
     * @param digest  {@code sha256:...} or null
     */
    PromotionResult promote(PromotionRequest request, String image, String digest);

    /**
     * Runs {@code action} on the overlay's {@link GitOpsStrategy} ({@code korea rollback}, {@code korea status}),
     * with Argo CD's cluster connected while it runs when the environment names an Application.
     *
     * @param requestedBy who asks (for revert commit messages), or null
     * @param buildUrl    the CI build, or null
     */
    default <T> T withStrategy(com.koreapublicdata.pipeline.config.Environment environment,
            com.koreapublicdata.pipeline.config.Component component, String requestedBy, String buildUrl,
            java.util.function.Function<GitOpsStrategy, T> action) {
        throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE,
                "environment '" + environment.name() + "' deploys through GitOps, which this build of korea cannot do");
    }

    /**
     * What the overlay's branch tip sets for the component ({@link GitOpsStrategy#status}, for {@code korea status});
     * null when no GitOps implementation is wired.
     */
    default WorkloadStrategy.Live status(com.koreapublicdata.pipeline.config.Environment environment,
            com.koreapublicdata.pipeline.config.Component component) {
        return null;
    }

    /** Used when no GitOps implementation is wired: refuses clearly instead of pretending. */
    GitOpsPromotion UNAVAILABLE = (request, image, digest) -> {
        throw new com.koreapublicdata.pipeline.KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE,
                "environment '" + request.environment() + "' deploys through GitOps, which this build of korea cannot do");
    };
}
