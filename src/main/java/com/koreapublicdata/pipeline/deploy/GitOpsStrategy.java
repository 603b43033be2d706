package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;

import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsSyncException;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

/**
 * A GitOps overlay: the change is a pushed commit (Argo CD waited for when configured), the undo a revert
 * commit. korea never touches the workload itself.
 */
final class GitOpsStrategy implements WorkloadStrategy {
    private final DeployContext ctx;
    private final GitOpsRepository repository;
    private Change change;
    private GitOpsResult result;
    /** Why Argo CD did not deploy our pushed commit, or null. */
    private String syncFailure;
    private String requestedBy;
    private String buildUrl;

    GitOpsStrategy(DeployContext ctx) {
        this.ctx = ctx;
        this.repository = ctx.services().gitOps();
    }

    @Override
    public String describe() {
        return "the GitOps overlay of " + ctx.component().name() + " in " + ctx.env().name();
    }

    @Override
    public String currentImage() {
        throw KoreaException.invalidInput(describe() + ": a GitOps environment has no Rollout to promote or abort");
    }

    /** Who asks for an undo outside a promotion (korea rollback), for the revert commit. */
    GitOpsStrategy requestedBy(String user, String build) {
        this.requestedBy = user;
        this.buildUrl = build;
        return this;
    }

    @Override
    public void apply(Change c) {
        this.change = c;
        String approver = blankToNull(c.annotations().get(Annotations.APPROVED_BY));
        buildUrl = blankToNull(c.annotations().get(Annotations.BUILD));
        requestedBy = approver;
        try {
            result = repository.deploy(ctx.env(), ctx.component(), c.image(), c.version(), approver, buildUrl);
        } catch (GitOpsSyncException e) {
            result = e.result();
            syncFailure = e.getMessage();
        }
    }

    @Override
    public boolean changed() {
        return result != null && result.changed();
    }

    @Override
    public Stage await(Instant deadline) {
        // GitOpsDeployer waits for Argo CD while pushing; here only its answer is read
        if (syncFailure != null) {
            throw new WaitFailure(syncFailure);
        }
        return Stage.ROLLED_OUT;
    }

    @Override
    public boolean verify() {
        if (!changed() || result.syncedRevision() == null) {
            // without Argo CD's answer nobody knows when the version serves traffic: analysing now would judge the
            // old version, or find no data and revert a deploy that never got a chance
            return false;
        }
        ctx.analysis(change.version(), HealthCheck.Point.AFTER_ROLLOUT, -1, 100, ctx.config().analysis().verification());
        return true;
    }

    @Override
    public String revision() {
        return result == null ? null : result.commit();
    }

    @Override
    public String deployedMessage() {
        return result.message() + (changed() && result.syncedRevision() == null ? "; not analysed: korea did not wait for "
                + "Argo CD (set gitops.application and the environment's cluster)" : "");
    }

    @Override
    public UndoPlan undo(long toRevision) {
        if (toRevision != 0) {
            throw KoreaException.invalidInput("--to-revision " + toRevision + ": a GitOps rollback reverts the latest image "
                    + "change of the overlay; to go further back, promote the earlier image (korea history shows it)");
        }
        String reverted = changed() ? result.commit() : null;
        GitOpsResult revert;
        try {
            revert = repository.revert(ctx.env(), ctx.component(), reverted, change == null ? null : change.version(),
                    requestedBy, buildUrl);
        } catch (GitOpsSyncException e) {
            result = e.result();
            throw new WaitFailure(e.getMessage());
        }
        result = revert;
        return new UndoPlan(reverted, revert.commit(), null, !revert.changed());
    }

    @Override
    public void awaitRestored(Instant deadline) {
        // the revert waited for Argo CD like a deploy
    }

    @Override
    public String restoredMessage(UndoPlan plan) {
        return "reverted with commit " + plan.toRevision();
    }

    @Override
    public Live status() {
        return new Live(null, null, null, "unknown", "deployed through GitOps: see the Argo CD Application");
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }
}
