package com.koreapublicdata.pipeline.deploy.gitops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.GitOpsTarget;

/**
 * Where the GitOps repository is and how korea works with it.
 *
 * @param remote          true: korea keeps its own clone in {@code dir} and pushes to {@code uri}
 * @param uri             the remote's URL (remote only)
 * @param dir             the working copy korea commits in
 * @param createIfMissing true for the local default repository, which korea creates on first use
 * @param display         how the repository is named in messages and results (never with credentials)
 * @param lockFile        the file that serialises commits to this working copy
 */
record GitLocation(boolean remote, String uri, Path dir, boolean createIfMissing, String display, Path lockFile) {

    static final String DEFAULT_REPOSITORY = ".korea/gitops";
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*|^[^/\\s]+@[^/\\s]+:.*");
    private static final Pattern USERINFO = Pattern.compile("(://)[^/\\s]*@");

    static GitLocation of(ConfigFile config, Environment environment) {
        GitOpsTarget target = environment.gitOpsTarget();
        String repository = target.repository();
        if (environment.gitops() == null || DEFAULT_REPOSITORY.equals(repository)) {
            Path dir = config.stateDir().resolve("gitops");
            return new GitLocation(false, null, dir, true, dir.toString(), config.stateDir().resolve("gitops.lock"));
        }
        if (URL.matcher(repository).matches()) {
            return remote(config, repository, redact(repository));
        }
        Path path = config.resolve(repository);
        if (isBare(path)) {
            return remote(config, path.toUri().toString(), path.toString());
        }
        return new GitLocation(false, null, path, false, path.toString(), path.resolve(".git").resolve("korea-gitops.lock"));
    }

    private static GitLocation remote(ConfigFile config, String uri, String display) {
        String name = uri.replaceAll("\\.git/?$", "").replaceAll(".*[/:]", "").replaceAll("[^A-Za-z0-9._-]", "");
        Path dir = config.stateDir().resolve("gitops-remotes").resolve((name.isEmpty() ? "repo" : name) + "-" + hash(uri));
        return new GitLocation(true, uri, dir, false, display, dir.resolveSibling(dir.getFileName() + ".lock"));
    }

    private static boolean isBare(Path path) {
        return Files.isRegularFile(path.resolve("HEAD")) && Files.isDirectory(path.resolve("objects"))
                && Files.isDirectory(path.resolve("refs"));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes credentials from URLs in a message ({@code https://user:token@host} becomes {@code https://host}). */
    static String redact(String message) {
        return message == null ? "" : USERINFO.matcher(message).replaceAll("$1");
    }
}
