package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;
import java.util.Map;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Strategy;
import com.koreapublicdata.pipeline.deploy.kubernetes.UndoPlan;

/**
 * How one kind of workload takes a new image and gives it back: a rolling Deployment, a blue-green or a canary
 * Rollout, a GitOps overlay ({@link GitOpsStrategy}). {@link Promoter}, {@link Rollbacker} and {@link StatusReader} differ only in which of these
 * steps they call, so each kind's rules live in one class. One instance serves one command run and remembers what
 * its {@link #apply} changed. (A GitOps overlay's apply, await and undo are a commit, Argo CD's sync and a revert
 * commit; it is reached through {@link GitOpsPromotion}, which holds the loaded korea.yaml and git credentials.)
 */
interface WorkloadStrategy {

    /** Where a wait ended: the new version serves all traffic, waits for a person, or is held by a marginal comparison. */
    enum Stage {
        ROLLED_OUT, PAUSED, HELD
    }

    /**
     * What to deploy.
     *
     * @param confirm a person confirmed the promotion: a paused Rollout is promoted instead of awaiting it
     * @param times   the rollout's active and paused time, for rollout.budget
     */
    record Change(String image, String version, Map<String, String> annotations, boolean confirm, RolloutTimes times) {
    }

    /** What the workload runs now ({@code korea status}). */
    record Live(String image, Map<String, String> annotations, String revision, String health, String detail) {
    }

    /** "deployment/web in namespace shop", for messages. */
    String describe();

    /** The image the workload runs now; exit 1 when the workload does not exist. */
    String currentImage();

    /** The pre-deploy checks, then the change; a failed check throws and nothing has changed. */
    void apply(Change change);

    /** Whether {@link #apply} changed the workload. */
    boolean changed();

    /** Waits for the change (analysing canary pauses and a blue-green preview); a WaitFailure when it failed. */
    Stage await(Instant deadline);

    /** Promotes a paused change to all traffic and waits again. */
    default Stage promote(Instant deadline) {
        throw KoreaException.invalidInput(describe() + " has no promotion step: only bluegreen and canary Rollouts pause");
    }

    /** Takes traffic back to the stable version and leaves the workload as it is (korea rollout abort). */
    default void abort(Instant deadline) {
        throw KoreaException.invalidInput(describe() + " cannot be aborted: only bluegreen and canary Rollouts can");
    }

    /** Keeps a held canary at its weight for a person to promote or abort. */
    default void hold() {
    }

    /** The strategy's own analysis once the new version serves all traffic; a WaitFailure when it fails. */
    void verify();

    /** The workload's revision now (Deployment or Rollout revision annotation), or null. */
    String revision();

    /** One line saying what now serves, after a successful promotion. */
    String deployedMessage();

    /** One line saying what waits for a person and how to go on, after a {@link Stage#PAUSED} wait. */
    default String awaitingMessage() {
        return describe() + " waits for a promotion";
    }

    /** One line saying why the change is held and how to go on, after a {@link Stage#HELD} wait. */
    default String heldMessage() {
        return awaitingMessage();
    }

    /** Stops a change still in progress before an undo (a Rollout is aborted first). */
    default void halt() {
    }

    /** Restores revision {@code toRevision} (0: the one before). */
    UndoPlan undo(long toRevision);

    /** Waits until the restored version runs again; a WaitFailure when it does not. */
    void awaitRestored(Instant deadline);

    /** What the workload runs and how healthy it is; null when it does not exist. */
    Live status();

    /** The strategy for the component's kind in this environment (GitOps: {@link GitOpsPromotion#withStrategy}). */
    static WorkloadStrategy of(DeployContext ctx) {
        if (ctx.env().isGitOps() || ctx.settings().strategy() == Strategy.GITOPS) {
            throw new IllegalStateException("GitOps environments deploy through GitOpsPromotion");
        }
        return switch (ctx.settings().strategy()) {
            case BLUEGREEN -> new BlueGreenStrategy(ctx);
            case CANARY -> new CanaryStrategy(ctx);
            default -> new RollingStrategy(ctx);
        };
    }

    /** Refuses with exit 1 and "nothing was changed": a pre-deploy check failed. */
    static KoreaException preDeploy(String problem) {
        return new KoreaException(ExitCode.FAILURE, "pre-deploy check: " + problem + "; nothing was changed");
    }

    /** What an undo restored, for messages. */
    static String restored(UndoPlan plan) {
        return "rolled back to revision " + plan.toRevision() + " (" + plan.image() + ")";
    }
}
