package com.koreapublicdata.pipeline.deploy.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.GitOpsTarget;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Deploys by committing: writes a component's new image into the environment's overlay in the GitOps
 * repository (kustomize {@code images:} or a Helm values path), commits, pushes (re-applying the edit on top of
 * the remote when someone else pushed first), then optionally waits for the Argo CD Application to be Synced
 * and Healthy at that commit. With no cluster and no gitops block the repository is a local one under the
 * state directory, created on first use. See docs/gitops.md.
 */
public final class GitOpsDeployer {

    /** How often a rejected push is re-applied on the new remote tip before giving up. */
    static final int PUSH_ATTEMPTS = 5;

    /** Runs just before each push; tests use it to push from elsewhere in between. */
    interface BeforePush {
        void run(int attempt);
    }

    private final Clock clock;
    private final Consumer<String> progress;
    private final KubernetesClient cluster;
    private final Map<String, String> env;
    private final BeforePush beforePush;

    /** Reads git credentials ({@code KOREA_GIT_TOKEN}, {@code KOREA_GIT_USERNAME}) from the process environment. */
    public GitOpsDeployer(Clock clock, Consumer<String> progress, KubernetesClient clusterOrNull) {
        this(clock, progress, clusterOrNull, System.getenv());
    }

    /**
     * @param env where {@code KOREA_GIT_TOKEN} / {@code KOREA_GIT_USERNAME} (HTTPS push) and
     *            {@code KOREA_GIT_AUTHOR_NAME} / {@code KOREA_GIT_AUTHOR_EMAIL} (commit identity) come from
     */
    public GitOpsDeployer(Clock clock, Consumer<String> progress, KubernetesClient clusterOrNull, Map<String, String> env) {
        this(clock, progress, clusterOrNull, env, attempt -> {
        });
    }

    GitOpsDeployer(Clock clock, Consumer<String> progress, KubernetesClient clusterOrNull, Map<String, String> env,
            BeforePush beforePush) {
        this.clock = Objects.requireNonNull(clock);
        this.progress = Objects.requireNonNull(progress);
        this.cluster = clusterOrNull;
        this.env = Map.copyOf(env);
        this.beforePush = beforePush;
    }

    /**
     * Commits {@code change.image()} to the overlay and pushes it; waits for Argo CD when
     * {@code gitops.application} is set and a cluster client was given. An overlay that already holds the image
     * makes no commit ({@code changed == false}).
     *
     * @throws GitOpsSyncException when the commit was pushed but Argo CD did not deploy it (carries the commit)
     * @throws KoreaException      exit 2 for bad configuration or input, 1 for git or network failures
     */
    public GitOpsResult deploy(GitOpsChange change) {
        Target target = target(change.config(), change.environment(), change.component());
        ImageReference image = ImageReference.parse(change.image());
        GitOpsResult result = commit(target, (ws, overlay, text) -> {
            String previous = overlay.currentImage(text).orElse(null);
            Overlay.Edit edit = overlay.setImage(text, image);
            if (edit.text().equals(text)) {
                return Plan.unchanged(previous, "unchanged: " + overlay.file() + " already sets " + change.component().name()
                        + " to " + image);
            }
            warnIfRerendered(edit, overlay);
            return new Plan(edit.text(), previous, deployMessage(change, image, previous),
                    "deployed " + image + " to " + change.environment().name());
        });
        return awaitArgoCd(target, result);
    }

    /**
     * Undoes the image change of {@code commit} (null: the latest commit that changed this component's image in
     * the overlay) with a new commit restoring the image before it, pushed the same way as a deploy. Refuses when
     * a newer deploy has replaced that image since.
     */
    public GitOpsResult revert(GitOpsChange change, String commit) {
        Target target = target(change.config(), change.environment(), change.component());
        GitOpsResult result = commit(target, (ws, overlay, text) -> {
            RevCommit reverted = commit == null ? lastImageChange(ws, overlay) : resolve(ws, commit);
            String after = imageAt(ws, overlay, reverted);
            RevCommit parent = reverted.getParentCount() == 0 ? null : parse(ws, reverted.getParent(0));
            String before = parent == null ? null : imageAt(ws, overlay, parent);
            if (Objects.equals(before, after)) {
                throw KoreaException.invalidInput("commit " + reverted.name() + " did not change the image of "
                        + change.component().name() + " in " + overlay.file() + "; nothing to revert");
            }
            String current = overlay.currentImage(text).orElse(null);
            if (Objects.equals(current, before)) {
                return Plan.unchanged(before, "unchanged: " + overlay.file() + " already holds " + describe(before)
                        + " (commit " + abbreviate(reverted.name()) + " is already reverted)");
            }
            if (!Objects.equals(current, after)) {
                throw new KoreaException(ExitCode.FAILURE, "not reverting commit " + abbreviate(reverted.name()) + ": "
                        + overlay.file() + " now holds " + describe(current) + ", not " + describe(after)
                        + " -- a newer deploy replaced it");
            }
            Overlay.Edit edit = before == null ? overlay.removeImage(text) : overlay.setImage(text, ImageReference.parse(before));
            warnIfRerendered(edit, overlay);
            return new Plan(edit.text(), current, revertMessage(change, reverted, before, after),
                    "reverted " + change.component().name() + " in " + change.environment().name() + " to " + describe(before));
        });
        return awaitArgoCd(target, result);
    }

    /** The image the overlay sets for the component now (the branch tip), empty when it sets none. */
    public Optional<String> currentImage(ConfigFile config, Environment environment, Component component) {
        Target target = target(config, environment, component);
        GitLocation location = target.location();
        if (!location.remote()) {
            if (!Files.isDirectory(location.dir().resolve(".git"))) {
                return Optional.empty();
            }
            try (Git git = Git.open(location.dir().toFile())) {
                return readTip(git, "refs/heads/" + target.target().branch(), target);
            } catch (IOException e) {
                throw new KoreaException(ExitCode.FAILURE, "cannot read " + location.display() + ": " + e.getMessage(), e);
            }
        }
        try (RepositoryLock lock = RepositoryLock.acquire(location.lockFile(), environment.lockTimeout(), progress);
                GitWorkspace ws = GitWorkspace.open(location, target.target().branch(), env, clock, progress, target.defaultFile(),
                        target.skeleton())) {
            return readTip(ws.git(), "refs/remotes/origin/" + target.target().branch(), target);
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read " + location.display() + ": " + e.getMessage(), e);
        } catch (KoreaException e) {
            if (e.exitCode() != ExitCode.FAILURE || !Files.isDirectory(location.dir().resolve(".git"))) {
                throw e;
            }
            // offline: answer from the last fetch, saying so
            progress.accept("warning: " + e.getMessage() + "; showing the image as of the last fetch");
            try (Git git = Git.open(location.dir().toFile())) {
                return readTip(git, "refs/remotes/origin/" + target.target().branch(), target);
            } catch (IOException io) {
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- the commit loop

    /** What one attempt decided: the new file text (null: nothing to change), and the messages. */
    private record Plan(String text, String previousImage, String commitMessage, String summary) {
        static Plan unchanged(String previousImage, String summary) {
            return new Plan(null, previousImage, null, summary);
        }
    }

    private interface Planner {
        Plan plan(GitWorkspace ws, Overlay overlay, String text);
    }

    private GitOpsResult commit(Target target, Planner planner) {
        GitLocation location = target.location();
        GitOpsTarget gitops = target.target();
        if (!location.remote() && !location.createIfMissing() && !Files.isDirectory(location.dir().resolve(".git"))) {
            // checked before locking: the lock file lives in .git and must not create it
            throw KoreaException.invalidInput("environments." + target.environment().name() + ".gitops.repository: "
                    + location.display() + " is not a git repository (expected a working copy with .git, a bare repository, or a URL)");
        }
        try (RepositoryLock lock = RepositoryLock.acquire(location.lockFile(), target.environment().lockTimeout(), progress);
                GitWorkspace ws = GitWorkspace.open(location, gitops.branch(), env, clock, progress, target.defaultFile(),
                        target.skeleton())) {
            for (int attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
                String file = target.file(ws);
                String text = ws.read(file);
                if (text == null) {
                    if (!location.createIfMissing()) {
                        throw KoreaException.invalidInput("gitops.path: " + file + " does not exist on branch " + gitops.branch()
                                + " of " + location.display() + "; create the overlay first or fix environments."
                                + target.environment().name() + ".gitops.path");
                    }
                    text = target.skeleton();
                }
                ws.requireClean(file);
                Overlay overlay = target.overlay(file);
                Plan plan = planner.plan(ws, overlay, text);
                if (plan.text() == null) {
                    RevCommit head = ws.head();
                    progress.accept(plan.summary());
                    return new GitOpsResult(location.display(), gitops.branch(), file, head == null ? null : head.name(), false,
                            plan.previousImage(), null, plan.summary());
                }
                RevCommit commit = ws.commit(file, plan.text(), plan.commitMessage(), Identity.of(env, clock));
                String where = " (commit " + abbreviate(commit.name()) + " on " + gitops.branch() + " of " + location.display() + ")";
                if (!location.remote()) {
                    progress.accept(plan.summary() + where);
                    return new GitOpsResult(location.display(), gitops.branch(), file, commit.name(), true, plan.previousImage(),
                            null, plan.summary() + where);
                }
                beforePush.run(attempt);
                if (ws.push() == GitWorkspace.Push.PUSHED) {
                    progress.accept(plan.summary() + where);
                    return new GitOpsResult(location.display(), gitops.branch(), file, commit.name(), true, plan.previousImage(),
                            null, plan.summary() + where);
                }
                progress.accept("the push to " + location.display() + " was rejected: " + gitops.branch()
                        + " moved; re-applying the change on the new tip (attempt " + (attempt + 1) + " of " + PUSH_ATTEMPTS + ")");
                pause(attempt);
                ws.syncWithRemote();
            }
            throw new KoreaException(ExitCode.FAILURE, "the push to " + location.display() + " was rejected " + PUSH_ATTEMPTS
                    + " times because " + gitops.branch() + " kept moving; nothing was deployed");
        }
    }

    /** A short, growing, jittered pause so that racing pipelines do not collide again in lockstep. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(50, 250) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(ExitCode.FAILURE, "interrupted while retrying the push", e);
        }
    }

    private GitOpsResult awaitArgoCd(Target target, GitOpsResult result) {
        GitOpsTarget gitops = target.target();
        if (gitops.application() == null || result.commit() == null) {
            return result;
        }
        if (cluster == null) {
            String note = "; Argo CD Application " + gitops.application() + " not checked: no cluster connection";
            progress.accept("warning: not waiting for Argo CD Application " + gitops.application() + ": no cluster connection");
            return withMessage(result, result.message() + note, null);
        }
        try {
            String synced = new ArgoCdWait(cluster, progress).await(gitops.applicationNamespace(), gitops.application(),
                    result.commit(), gitops.timeout(), includes(target, result.commit()));
            return withMessage(result, result.message() + "; Argo CD Application " + gitops.application()
                    + " is Synced and Healthy at " + abbreviate(synced), synced);
        } catch (GitOpsSyncException e) {
            throw e;
        } catch (KoreaException e) {
            throw new GitOpsSyncException(result, e);
        }
    }

    /**
     * Whether a revision Argo CD reports is our commit or a later one on top of it. Unknown revisions are
     * fetched once (under the repository lock); answers are remembered for this wait.
     */
    private java.util.function.Predicate<String> includes(Target target, String commit) {
        Map<String, Boolean> answers = new java.util.HashMap<>();
        return revision -> revision.equalsIgnoreCase(commit)
                || answers.computeIfAbsent(revision.toLowerCase(java.util.Locale.ROOT), r -> descends(target, commit, r));
    }

    private boolean descends(Target target, String commit, String revision) {
        if (!revision.matches("[0-9a-f]{40}")) {
            return false; // not a git commit (a Helm chart version, say)
        }
        GitLocation location = target.location();
        ObjectId id = ObjectId.fromString(revision);
        try {
            if (location.remote() && !has(location, id)) {
                try (RepositoryLock lock = RepositoryLock.acquire(location.lockFile(), target.environment().lockTimeout(), progress);
                        GitWorkspace ws = GitWorkspace.open(location, target.target().branch(), env, clock, progress,
                                target.defaultFile(), target.skeleton())) {
                    // open fetched the branch
                }
            }
            if (!has(location, id)) {
                return false;
            }
            try (Git git = Git.open(location.dir().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
                return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(commit)), walk.parseCommit(id));
            }
        } catch (IOException | KoreaException e) {
            progress.accept("warning: cannot tell whether " + revision + " contains " + commit + ": " + e.getMessage());
            return false;
        }
    }

    private static boolean has(GitLocation location, ObjectId id) throws IOException {
        try (Git git = Git.open(location.dir().toFile())) {
            return git.getRepository().getObjectDatabase().has(id);
        }
    }

    private static GitOpsResult withMessage(GitOpsResult r, String message, String synced) {
        return new GitOpsResult(r.repository(), r.branch(), r.path(), r.commit(), r.changed(), r.previousImage(), synced, message);
    }

    // ---------------------------------------------------------------- history (revert)

    private static RevCommit resolve(GitWorkspace ws, String commit) {
        try {
            ObjectId id = ws.repository().resolve(commit + "^{commit}");
            RevCommit head = ws.head();
            if (id == null || head == null) {
                throw KoreaException.invalidInput("commit " + commit + " does not exist in the GitOps repository");
            }
            try (RevWalk walk = new RevWalk(ws.repository())) {
                RevCommit found = walk.parseCommit(id);
                if (!walk.isMergedInto(found, walk.parseCommit(head))) {
                    throw KoreaException.invalidInput("commit " + commit + " is not on the GitOps branch");
                }
                return found;
            }
        } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
            throw KoreaException.invalidInput("commit " + commit + " cannot be read: " + e.getMessage());
        }
    }

    private static RevCommit parse(GitWorkspace ws, ObjectId id) {
        try (RevWalk walk = new RevWalk(ws.repository())) {
            return walk.parseCommit(id);
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read commit " + id.name() + ": " + e.getMessage(), e);
        }
    }

    private static String imageAt(GitWorkspace ws, Overlay overlay, RevCommit commit) {
        String text = ws.readAt(commit, overlay.file());
        return text == null ? null : overlay.currentImage(text).orElse(null);
    }

    private static RevCommit lastImageChange(GitWorkspace ws, Overlay overlay) {
        RevCommit head = ws.head();
        if (head == null) {
            throw KoreaException.invalidInput("the GitOps branch is empty; nothing to revert");
        }
        try {
            for (RevCommit c : ws.git().log().add(head).addPath(overlay.file()).call()) {
                RevCommit commit = parse(ws, c);
                RevCommit parent = commit.getParentCount() == 0 ? null : parse(ws, commit.getParent(0));
                if (!Objects.equals(imageAt(ws, overlay, commit), parent == null ? null : imageAt(ws, overlay, parent))) {
                    return commit;
                }
            }
        } catch (GitAPIException | IOException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read the history of " + overlay.file() + ": " + e.getMessage(), e);
        }
        throw KoreaException.invalidInput("no commit in the history of " + overlay.file() + " changed the image; nothing to revert");
    }

    private static Optional<String> readTip(Git git, String ref, Target target) throws IOException {
        ObjectId id = git.getRepository().resolve(ref);
        if (id == null) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit tip = walk.parseCommit(id);
            for (String file : target.candidates()) {
                try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(git.getRepository(), file, tip.getTree())) {
                    if (tw != null) {
                        String text = new String(git.getRepository().open(tw.getObjectId(0)).getBytes(),
                                java.nio.charset.StandardCharsets.UTF_8);
                        return target.overlay(file).currentImage(text);
                    }
                }
            }
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- messages

    private static String deployMessage(GitOpsChange change, ImageReference image, String previous) {
        String version = change.version() == null ? image.toString() : change.version();
        List<String> lines = new ArrayList<>();
        lines.add("deploy " + change.component().name() + " " + version + " to " + change.environment().name());
        lines.add("");
        lines.add("Component: " + change.component().name());
        lines.add("Environment: " + change.environment().name());
        lines.add("Version: " + (change.version() == null ? "(not given)" : change.version()));
        lines.add("Image: " + image);
        lines.add("Previous-image: " + describe(previous));
        lines.add("Approved-by: " + (change.approver() == null ? "(no approval required)" : change.approver()));
        if (change.buildUrl() != null) {
            lines.add("Build: " + change.buildUrl());
        }
        return String.join("\n", lines) + "\n";
    }

    private static String revertMessage(GitOpsChange change, RevCommit reverted, String before, String after) {
        List<String> lines = new ArrayList<>();
        lines.add("revert " + change.component().name() + " in " + change.environment().name() + " to " + describe(before));
        lines.add("");
        lines.add("This reverts the image change of commit " + reverted.name() + ".");
        lines.add("(" + reverted.getShortMessage() + ")");
        lines.add("");
        lines.add("Component: " + change.component().name());
        lines.add("Environment: " + change.environment().name());
        if (change.version() != null) {
            lines.add("Reverted-version: " + change.version());
        }
        lines.add("Image: " + describe(before));
        lines.add("Reverted-image: " + describe(after));
        if (change.approver() != null) {
            lines.add("Requested-by: " + change.approver());
        }
        if (change.buildUrl() != null) {
            lines.add("Build: " + change.buildUrl());
        }
        return String.join("\n", lines) + "\n";
    }

    private static String describe(String image) {
        return image == null ? "(none: the base manifests' image)" : image;
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }

    private void warnIfRerendered(Overlay.Edit edit, Overlay overlay) {
        if (edit.rerendered()) {
            progress.accept("warning: " + overlay.file() + " uses flow style ([...] or {...}) where the image goes; it was "
                    + "rewritten in block style and its comments were not kept");
        }
    }

    // ---------------------------------------------------------------- configuration

    /** Everything fixed about where one component's image lives. */
    private record Target(Environment environment, Component component, GitOpsTarget target, GitLocation location,
            String directory, List<String> keys) {

        List<String> candidates() {
            if (target.format() == GitOpsTarget.Format.HELM) {
                return List.of(join(target.valuesFile()));
            }
            return List.of(join("kustomization.yaml"), join("kustomization.yml"), join("Kustomization"));
        }

        String defaultFile() {
            return candidates().get(0);
        }

        /** The overlay file: kustomize accepts three names; the first that exists wins. */
        String file(GitWorkspace ws) {
            return candidates().stream().filter(f -> ws.read(f) != null).findFirst().orElse(defaultFile());
        }

        Overlay overlay(String file) {
            return new Overlay(target.format(), file, component.image(), keys);
        }

        String skeleton() {
            return LocalRepositories.skeleton(target.format(), environment.name());
        }

        private String join(String name) {
            return directory.isEmpty() ? name : directory + "/" + name;
        }
    }

    private static void refuse(String field, Optional<String> problem) {
        if (problem.isPresent()) {
            throw KoreaException.invalidInput(field + ": " + problem.get());
        }
    }

    private static Target target(ConfigFile config, Environment environment, Component component) {
        if (config == null || environment == null || component == null) {
            throw KoreaException.invalidInput("a GitOps deploy needs the configuration, an environment and a component");
        }
        if (!environment.isGitOps()) {
            throw KoreaException.invalidInput("environments." + environment.name() + " deploys to cluster '" + environment.cluster()
                    + "', not through GitOps; add a gitops block to deploy by commit");
        }
        GitOpsTarget target = environment.gitOpsTarget();
        String directory = target.path().replace("{environment}", environment.name()).replace('\\', '/')
                .replaceAll("^/+|/+$", "").replaceAll("^\\./", "");
        // the rules korea validate reports with their lines (config.GitOpsTarget), refused here too
        String at = "environments." + environment.name() + ".gitops.";
        refuse(at + "branch", GitOpsTarget.branchProblem(target.branch()));
        refuse(at + "path", GitOpsTarget.pathProblem(target.path()));
        refuse(at + "valuesFile", GitOpsTarget.pathProblem(target.valuesFile()));
        refuse(at + "valuesPath", GitOpsTarget.valuesPathProblem(target.valuesPath()));
        List<String> keys = List.of(target.valuesPath().replace("{component}", component.name()).split("\\.", -1));
        if (target.format() == GitOpsTarget.Format.KUSTOMIZE && (component.image() == null || component.image().isBlank())) {
            throw KoreaException.invalidInput("components." + component.name() + ".image: needed to name the kustomize images entry");
        }
        return new Target(environment, component, target, GitLocation.of(config, environment), directory, keys);
    }
}
