package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsChange;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsDeployer;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsResult;
import com.koreapublicdata.pipeline.deploy.gitops.GitOpsSyncException;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;
import com.koreapublicdata.pipeline.deploy.kubernetes.WaitFailure;

/**
 * A GitOps overlay: apply is a pushed commit of the image (GitOpsDeployer waits for Argo CD while pushing when
 * {@code gitops.application} and the cluster are configured), await reads Argo CD's answer, undo is a revert
 * commit (git revert semantics: a new commit restoring the image before, never a reset or force-push). korea never
 * touches the workload itself.
 */
final class GitOpsStrategy implements WorkloadStrategy {
    private final ConfigFile file;
    private final Environment env;
    private final Component component;
    private final Consumer<String> progress;
    private final GitOpsDeployer deployer;
    private final HealthCheck health;
    private final String requestedBy;
    private final String buildUrl;
    private Change change;
    /** The last commit this strategy made (deploy or revert), or the branch tip when nothing changed. */
    private GitOpsResult result;
    private boolean changed;
    /** Why Argo CD did not deploy our last pushed commit, or null. */
    private String syncFailure;

    /**
     * @param requestedBy who approved the promotion or asked for the rollback, for the commit message
     * @param buildUrl    the CI build, for the commit message
     */
    GitOpsStrategy(ConfigFile file, Environment env, Component component, GitOpsDeployer deployer, HealthCheck health,
            Consumer<String> progress, String requestedBy, String buildUrl) {
        this.file = file;
        this.env = env;
        this.component = component;
        this.progress = progress;
        this.deployer = deployer;
        this.health = health;
        this.requestedBy = requestedBy;
        this.buildUrl = buildUrl;
    }

    @Override
    public String describe() {
        return "the GitOps overlay of " + component.name() + " in " + env.name();
    }

    @Override
    public String currentImage() {
        return deployer.currentImage(file, env, component).orElseThrow(() -> new KoreaException(ExitCode.FAILURE,
                describe() + " sets no image (the base manifests' image runs)"));
    }

    @Override
    public void apply(Change c) {
        this.change = c;
        try {
            result = deployer.deploy(gitOpsChange(c.image()));
        } catch (GitOpsSyncException e) {
            result = e.result();
            syncFailure = e.getMessage();
        }
        changed = result.changed();
    }

    @Override
    public boolean changed() {
        return changed;
    }

    @Override
    public Stage await(Instant deadline) {
        if (syncFailure != null) {
            throw new WaitFailure(syncFailure);
        }
        return Stage.ROLLED_OUT;
    }

    /**
     * Whether Argo CD reported the new version Synced and Healthy: without that answer nobody knows when it serves
     * traffic, so analysing would judge the old version, or find no data and revert a deploy that never got a chance.
     */
    boolean analysable() {
        return changed && result.syncedRevision() != null;
    }

    /** The AFTER_ROLLOUT analysis for the verification window (only once {@link #analysable}). */
    @Override
    public void verify() {
        if (!analysable()) {
            return;
        }
        HealthCheck.Verdict verdict;
        try {
            verdict = health.check(new HealthCheck.Request(env.name(), component.name(), env.namespace(),
                    change.version(), HealthCheck.Point.AFTER_ROLLOUT, -1, 100, file.config().analysis().verification()));
        } catch (RuntimeException e) {
            verdict = HealthCheck.Verdict.fail("the analysis itself failed: " + e.getMessage());
        }
        if (verdict == null || !verdict.passed()) {
            throw new WaitFailure("analysis failed (after-rollout): " + (verdict == null ? "no verdict" : verdict.reason()));
        }
        progress.accept("Analysis passed (after-rollout): " + verdict.reason());
    }

    /** The commit this strategy made last (the branch tip when it changed nothing), or null. */
    @Override
    public String revision() {
        return result == null ? null : result.commit();
    }

    @Override
    public String deployedMessage() {
        return result.message() + (changed && result.syncedRevision() == null ? "; not analysed: korea did not wait for "
                + "Argo CD (set gitops.application and the environment's cluster)" : "");
    }

    /**
     * Reverts the image change of this run's commit (korea promote), or else of the latest commit that changed the
     * component's image (korea rollback; {@link #undo(String)} names the commit).
     */
    @Override
    public UndoPlan undo(long toRevision) {
        if (toRevision != 0) {
            throw KoreaException.invalidInput("--to-revision " + toRevision + ": a GitOps rollback reverts the latest image "
                    + "change of the overlay; to go further back, promote the earlier image (korea history shows it)");
        }
        return undo(changed ? result.commit() : null);
    }

    /**
     * A revert commit of {@code commit}'s image change (null: the latest image change in the overlay).
     *
     * @return fromRevision the reverted commit, toRevision the revert commit, image the image restored
     */
    UndoPlan undo(String commit) {
        syncFailure = null;
        GitOpsResult revert;
        try {
            revert = deployer.revert(gitOpsChange(null), commit);
        } catch (GitOpsSyncException e) {
            revert = e.result();
            syncFailure = e.getMessage();
        }
        return plan(commit, revert);
    }

    /** Restores {@code image} with a new commit: the fallback when the commit to undo cannot be reverted cleanly. */
    UndoPlan restore(String commit, String image) {
        syncFailure = null;
        GitOpsResult restore;
        try {
            restore = deployer.deploy(gitOpsChange(image));
        } catch (GitOpsSyncException e) {
            restore = e.result();
            syncFailure = e.getMessage();
        }
        return plan(commit, restore);
    }

    private UndoPlan plan(String undone, GitOpsResult r) {
        result = r;
        changed |= r.changed();
        String restored = deployer.currentImage(file, env, component).orElse(null);
        return new UndoPlan(undone, r.commit(), restored, !r.changed());
    }

    /** Waits for Argo CD's answer to the revert (GitOpsDeployer waited while pushing it). */
    @Override
    public void awaitRestored(Instant deadline) {
        if (syncFailure != null) {
            throw new WaitFailure(syncFailure);
        }
    }

    /** The image the overlay's branch tip sets; the health is Argo CD's business (unknown here). */
    @Override
    public Live status() {
        String image = deployer.currentImage(file, env, component).orElse(null);
        return new Live(image, Map.of(), null, "unknown", image == null
                ? describe() + " sets no image (the base manifests' image runs)"
                : "deployed through GitOps: the overlay sets this image; see the Argo CD Application for its state");
    }

    private GitOpsChange gitOpsChange(String image) {
        return new GitOpsChange(file, env, component, image, change == null ? null : change.version(), requestedBy,
                buildUrl);
    }
}
