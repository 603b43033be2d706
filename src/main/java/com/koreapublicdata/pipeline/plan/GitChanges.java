package com.koreapublicdata.pipeline.plan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import com.koreapublicdata.pipeline.KoreaException;

/**
 * Reads what a plan needs from the git checkout around korea.yaml: changed files between a base and HEAD,
 * the HEAD commit and branch. Paths come back relative to korea.yaml's folder, the way component globs are
 * written.
 */
public final class GitChanges {
    private final Path configDir;

    public GitChanges(Path configDir) {
        this.configDir = configDir.toAbsolutePath().normalize();
    }

    /** Files changed between {@code base} and HEAD, relative to korea.yaml's folder (files outside it are dropped). */
    public List<String> changedSince(String base) {
        try (Repository repo = open()) {
            ObjectId baseId = repo.resolve(base + "^{commit}");
            if (baseId == null) {
                throw KoreaException.invalidInput("--base " + base + ": no such revision in " + repo.getWorkTree());
            }
            ObjectId head = repo.resolve("HEAD^{commit}");
            if (head == null) {
                throw KoreaException.invalidInput("--base " + base + ": the repository has no HEAD commit");
            }
            Set<String> paths = new LinkedHashSet<>();
            try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
                RevCommit from = walk.parseCommit(baseId);
                RevCommit to = walk.parseCommit(head);
                CanonicalTreeParser a = new CanonicalTreeParser(null, reader, from.getTree());
                CanonicalTreeParser b = new CanonicalTreeParser(null, reader, to.getTree());
                try (TreeWalk tw = new TreeWalk(reader)) {
                    tw.addTree(a);
                    tw.addTree(b);
                    tw.setRecursive(true);
                    tw.setFilter(TreeFilter.ANY_DIFF);
                    for (DiffEntry d : DiffEntry.scan(tw)) {
                        addRelative(repo, paths, d.getOldPath());
                        addRelative(repo, paths, d.getNewPath());
                    }
                }
            }
            return new ArrayList<>(paths);
        } catch (IOException e) {
            throw new KoreaException(com.koreapublicdata.pipeline.ExitCode.FAILURE, "git: " + e.getMessage(), e);
        }
    }

    /** HEAD's commit id, when korea.yaml sits in a git checkout with commits. */
    public Optional<String> headCommit() {
        try (Repository repo = open()) {
            ObjectId head = repo.resolve("HEAD^{commit}");
            return Optional.ofNullable(head).map(ObjectId::name);
        } catch (IOException | KoreaException e) {
            return Optional.empty();
        }
    }

    /**
     * The author's name of {@code commit} (HEAD when null): who asked for a push-started deployment, whom change
     * control keeps from approving it.
     */
    public Optional<String> authorOf(String commit) {
        try (Repository repo = open(); org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            ObjectId id = repo.resolve((commit == null ? "HEAD" : commit) + "^{commit}");
            return id == null ? Optional.empty() : Optional.ofNullable(walk.parseCommit(id).getAuthorIdent().getName());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * When {@code commit} was committed (its committer time, which a rebase or cherry-pick renews, so lead time
     * counts from when the change reached the branch); empty when it is not in this checkout.
     */
    public Optional<java.time.Instant> commitTime(String commit) {
        if (commit == null || commit.isBlank()) {
            return Optional.empty();
        }
        try (Repository repo = open(); org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            ObjectId id = repo.resolve(commit + "^{commit}");
            return id == null ? Optional.empty()
                    : Optional.of(walk.parseCommit(id).getCommitterIdent().getWhenAsInstant());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The checked-out branch, when not detached. */
    public Optional<String> currentBranch() {
        try (Repository repo = open()) {
            String full = repo.getFullBranch();
            return full != null && full.startsWith("refs/heads/") ? Optional.of(repo.getBranch()) : Optional.empty();
        } catch (IOException | KoreaException e) {
            return Optional.empty();
        }
    }

    private Repository open() throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(configDir.toFile());
        if (builder.getGitDir() == null) {
            throw KoreaException.invalidInput(configDir + " is not inside a git repository; pass --changed instead of --base");
        }
        return builder.build();
    }

    private void addRelative(Repository repo, Set<String> paths, String repoPath) {
        if (repoPath == null || repoPath.equals(DiffEntry.DEV_NULL)) {
            return;
        }
        Path absolute = repo.getWorkTree().toPath().toAbsolutePath().normalize().resolve(repoPath);
        if (absolute.startsWith(configDir)) {
            paths.add(configDir.relativize(absolute).toString().replace('\\', '/'));
        }
    }
}
