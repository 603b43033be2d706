package com.koreapublicdata.pipeline.deploy.gitops;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * A working copy of the GitOps branch. For a remote repository it is korea's own clone under the state
 * directory, reset to the remote branch before every change; for a local repository it is that repository,
 * committed to directly.
 */
final class GitWorkspace implements AutoCloseable {

    /** Outcome of a push. */
    enum Push { PUSHED, REJECTED }

    private static final int NETWORK_TIMEOUT_SECONDS = 60;

    private final GitLocation location;
    private final String branch;
    private final Git git;
    private final CredentialsProvider credentials;

    private GitWorkspace(GitLocation location, String branch, Git git, CredentialsProvider credentials) {
        this.location = location;
        this.branch = branch;
        this.git = git;
        this.credentials = credentials;
    }

    /**
     * Opens the working copy, ready for a change: a remote clone is created if needed and reset to the remote
     * branch; the local default repository is created if absent.
     */
    static GitWorkspace open(GitLocation location, String branch, Map<String, String> env, Clock clock, Consumer<String> progress,
            String overlayFile, String skeleton) {
        CredentialsProvider credentials = credentials(env);
        try {
            if (location.remote()) {
                GitWorkspace workspace = new GitWorkspace(location, branch, openOrInitClone(location, branch), credentials);
                try {
                    workspace.syncWithRemote();
                } catch (KoreaException e) {
                    workspace.close();
                    if (e.exitCode() != ExitCode.FAILURE) {
                        throw e;
                    }
                    // our clone may be damaged (a crash left a lock behind): start it afresh, once
                    progress.accept("warning: " + e.getMessage() + "; cloning " + location.display() + " again");
                    deleteTree(location.dir());
                    workspace = new GitWorkspace(location, branch, openOrInitClone(location, branch), credentials);
                    try {
                        workspace.syncWithRemote();
                    } catch (KoreaException again) {
                        workspace.close();
                        throw again;
                    }
                }
                return workspace;
            }
            Path dir = location.dir();
            if (!Files.isDirectory(dir.resolve(".git"))) {
                if (!location.createIfMissing()) {
                    throw KoreaException.invalidInput("gitops.repository: " + dir + " is not a git repository (expected a working "
                            + "copy with .git, a bare repository, or a URL)");
                }
                progress.accept("creating the local GitOps repository " + dir);
                return new GitWorkspace(location, branch, LocalRepositories.create(dir, branch, env, clock, overlayFile, skeleton), credentials);
            }
            Git git = Git.open(dir.toFile());
            String checkedOut = git.getRepository().getBranch();
            if (!branch.equals(checkedOut)) {
                git.close();
                throw KoreaException.invalidInput("gitops.branch: the local repository " + dir + " has '" + checkedOut
                        + "' checked out, not '" + branch + "'; check out " + branch + " or set gitops.branch");
            }
            return new GitWorkspace(location, branch, git, credentials);
        } catch (IOException | GitAPIException | URISyntaxException | JGitInternalException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot open the GitOps repository " + location.display() + ": "
                    + GitLocation.redact(e.getMessage()), e);
        }
    }

    private static Git openOrInitClone(GitLocation location, String branch) throws IOException, GitAPIException, URISyntaxException {
        Path dir = location.dir();
        if (Files.isDirectory(dir.resolve(".git"))) {
            try {
                return Git.open(dir.toFile());
            } catch (IOException broken) {
                deleteTree(dir);
            }
        }
        Files.createDirectories(dir);
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call();
        git.remoteAdd().setName("origin").setUri(new URIish(location.uri())).call();
        // korea's private clone is small and short-lived: no background gc racing a later re-clone or cleanup
        org.eclipse.jgit.lib.StoredConfig config = git.getRepository().getConfig();
        config.setInt("gc", null, "auto", 0);
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
        return git;
    }

    private static CredentialsProvider credentials(Map<String, String> env) {
        String token = env.getOrDefault("KOREA_GIT_TOKEN", env.get("KOREA_GIT_PASSWORD"));
        if (token == null || token.isBlank()) {
            return null;
        }
        return new UsernamePasswordCredentialsProvider(env.getOrDefault("KOREA_GIT_USERNAME", "x-access-token"), token);
    }

    Repository repository() {
        return git.getRepository();
    }

    Path workTree() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** Fetches the branch and makes the working copy exactly the remote branch (remote targets only). */
    void syncWithRemote() {
        try {
            git.fetch().setRemote("origin").setCredentialsProvider(credentials).setTimeout(NETWORK_TIMEOUT_SECONDS)
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/remotes/origin/" + branch)).call();
            String tracking = "refs/remotes/origin/" + branch;
            if (git.getRepository().exactRef(tracking) == null) {
                throw KoreaException.invalidInput("gitops.branch: '" + branch + "' does not exist in " + location.display());
            }
            RefUpdate head = git.getRepository().getRefDatabase().newUpdate(Constants.HEAD, false);
            head.link("refs/heads/" + branch);
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(tracking).call();
            git.clean().setCleanDirectories(true).setForce(true).call();
        } catch (IOException | GitAPIException | JGitInternalException e) {
            if (String.valueOf(e.getMessage()).contains("does not have refs/heads/" + branch)) {
                throw KoreaException.invalidInput("gitops.branch: '" + branch + "' does not exist in " + location.display());
            }
            throw new KoreaException(ExitCode.FAILURE, "cannot fetch " + branch + " from " + location.display() + ": "
                    + GitLocation.redact(e.getMessage()), e);
        }
    }

    /** The file's text in the working copy, null when absent. */
    String read(String file) {
        Path path = workTree().resolve(file);
        try {
            return Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Refuses to commit over someone's uncommitted edit of the file in a local repository. */
    void requireClean(String file) {
        if (location.remote()) {
            return;
        }
        try {
            Status status = git.status().addPath(file).call();
            Set<String> dirty = new java.util.TreeSet<>();
            dirty.addAll(status.getModified());
            dirty.addAll(status.getChanged());
            dirty.addAll(status.getAdded());
            dirty.addAll(status.getConflicting());
            if (!dirty.isEmpty()) {
                throw KoreaException.invalidInput("the GitOps repository " + location.display() + " has uncommitted changes in "
                        + file + "; commit or discard them first");
            }
        } catch (GitAPIException | JGitInternalException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read the status of " + location.display() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the file and commits only it. */
    RevCommit commit(String file, String text, String message, PersonIdent who) {
        Path path = workTree().resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, text, StandardCharsets.UTF_8);
            git.add().addFilepattern(file).call();
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setOnly(file).setSign(false).call();
        } catch (IOException | GitAPIException | RuntimeException e) {
            restore(file);
            throw new KoreaException(ExitCode.FAILURE, "cannot commit " + file + " in " + location.display() + ": " + e.getMessage(), e);
        }
    }

    /** Puts the file back as the branch has it, so a failed commit leaves no half-done edit behind. */
    private void restore(String file) {
        try {
            RevCommit head = head();
            if (head != null && readAt(head, file) != null) {
                git.reset().addPath(file).call();
                git.checkout().setStartPoint(head).addPath(file).call();
            } else {
                git.rm().setCached(true).addFilepattern(file).call();
                Files.deleteIfExists(workTree().resolve(file));
            }
        } catch (IOException | GitAPIException | RuntimeException ignored) {
            // best effort: the caller reports the original failure
        }
    }

    /** Pushes the branch; a non-fast-forward is reported, not thrown, so the caller can re-apply and retry. */
    Push push() {
        try {
            Iterable<PushResult> results = git.push().setRemote("origin").setCredentialsProvider(credentials)
                    .setTimeout(NETWORK_TIMEOUT_SECONDS)
                    .setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch)).call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate("refs/heads/" + branch);
                if (update == null) {
                    continue;
                }
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        return Push.PUSHED;
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        return Push.REJECTED;
                    }
                    case REJECTED_OTHER_REASON -> {
                        // the remote ref was locked by a concurrent push: the same race, lost
                        if (String.valueOf(update.getMessage()).contains("lock")) {
                            return Push.REJECTED;
                        }
                        throw new KoreaException(ExitCode.FAILURE, "the push to " + location.display() + " (" + branch
                                + ") was refused: " + update.getMessage());
                    }
                    default -> throw new KoreaException(ExitCode.FAILURE, "the push to " + location.display() + " (" + branch
                            + ") was refused: " + update.getStatus()
                            + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                }
            }
            throw new KoreaException(ExitCode.FAILURE, "the push to " + location.display() + " reported no result for " + branch);
        } catch (GitAPIException | JGitInternalException e) {
            String message = String.valueOf(e.getMessage());
            // some transports report a lost race as an exception rather than a status
            if (message.contains("non-fast-forward") || message.contains("fetch first") || message.contains("lock")) {
                return Push.REJECTED;
            }
            throw new KoreaException(ExitCode.FAILURE, "cannot push to " + location.display() + ": " + GitLocation.redact(message), e);
        }
    }

    /** The commit the branch points at, null for an empty branch. */
    RevCommit head() {
        try {
            ObjectId id = git.getRepository().resolve("refs/heads/" + branch);
            if (id == null) {
                return null;
            }
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                return walk.parseCommit(id);
            }
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read " + branch + " in " + location.display() + ": " + e.getMessage(), e);
        }
    }

    /** A file's text as of a commit, null when the commit does not have it. */
    String readAt(RevCommit commit, String file) {
        try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), file, commit.getTree())) {
            if (walk == null) {
                return null;
            }
            return new String(git.getRepository().open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot read " + file + " at " + commit.name() + ": " + e.getMessage(), e);
        }
    }

    Git git() {
        return git;
    }

    /** Deletes a tree that something else (a background git gc) may still be changing: retries a few times. */
    static void deleteTree(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(dir)) {
                return;
            }
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (java.nio.file.DirectoryNotEmptyException | java.io.UncheckedIOException e) {
                if (attempt == 3) {
                    throw e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
                }
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
