package com.koreapublicdata.pipeline.build;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;

/** The tags an image gets: the commit's short sha, {@code <branch>-latest}, and a version when given. */
public final class ImageTags {
    /** Docker's tag grammar, as {@link ImageReference} checks it. */
    static final Pattern TAG = ImageReference.TAG;
    static final int SHORT_SHA = 7;

    private ImageTags() {
    }

    /**
     * @param kinds    build.tags from korea.yaml: git-sha, branch-latest, version, or a literal tag
     * @param warnings receives a line for each tag that could not be made (no commit, no branch)
     */
    public static List<String> tags(List<String> kinds, String commit, String branch, String version,
            List<String> warnings) {
        Set<String> tags = new LinkedHashSet<>();
        for (String kind : kinds) {
            switch (kind) {
                case "git-sha" -> {
                    if (commit == null || commit.isBlank()) {
                        warnings.add("no commit known: the git-sha tag is left out (give --commit)");
                    } else {
                        tags.add(shortSha(commit));
                    }
                }
                case "branch-latest" -> {
                    if (branch == null || branch.isBlank()) {
                        warnings.add("no branch known: the <branch>-latest tag is left out (give --branch)");
                    } else {
                        tags.add(branchLatest(branch));
                    }
                }
                case "version" -> {
                    // added below whenever a version is given
                }
                default -> tags.add(literal(kind, "build.tags"));
            }
        }
        if (version != null && !version.isBlank()) {
            tags.add(literal(version.trim(), "--version"));
        }
        if (tags.isEmpty()) {
            tags.add("latest");
            warnings.add("no tag could be made: tagged latest");
        }
        return new ArrayList<>(tags);
    }

    /** The first seven hex digits of a commit, lower case. */
    public static String shortSha(String commit) {
        String sha = commit.trim().toLowerCase(Locale.ROOT);
        if (!sha.matches("[0-9a-f]{4,64}")) {
            throw KoreaException.invalidInput("--commit " + commit + ": not a git commit sha (4 to 64 hex digits)");
        }
        return sha.length() > SHORT_SHA ? sha.substring(0, SHORT_SHA) : sha;
    }

    /** {@code feature/Login_2} becomes {@code feature-login_2-latest}: lower case, invalid characters as dashes. */
    public static String branchLatest(String branch) {
        String clean = branch.trim().toLowerCase(Locale.ROOT)
                .replaceFirst("^refs/heads/", "")
                .replaceFirst("^origin/", "")
                .replaceAll("[^a-z0-9_.-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^[.-]+", "")
                .replaceAll("[.-]+$", "");
        if (clean.isEmpty()) {
            clean = "branch";
        }
        int room = 128 - "-latest".length();
        if (clean.length() > room) {
            clean = clean.substring(0, room).replaceAll("[.-]+$", "");
        }
        return clean + "-latest";
    }

    private static String literal(String tag, String where) {
        if (!TAG.matcher(tag).matches()) {
            throw KoreaException.invalidInput(where + ": '" + tag + "' is not a valid image tag (letters, digits, "
                    + "_ . -, not starting with . or -, at most 128 characters)");
        }
        return tag;
    }
}
