package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;

/** Small helpers the build tests share: korea.yaml files, fake programs, tarball reading. */
final class Fixtures {
    private Fixtures() {
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigFile config(Path dir, String yaml) {
        try {
            Path file = dir.resolve("korea.yaml");
            Files.writeString(file, yaml);
            return new ConfigLoader().load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String ENVIRONMENTS = """
            environments:
              development:
                branches: [develop]
                strategy: rolling
            """;

    /** Writes an executable shell script named {@code name} into {@code bin}. */
    static Path program(Path bin, String name, String script) {
        try {
            Files.createDirectories(bin);
            Path file = bin.resolve(name);
            Files.writeString(file, "#!/bin/sh\n" + script + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This machine's environment with PATH replaced. */
    static Map<String, String> envWithPath(String path) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", path);
        env.remove("BRANCH_NAME");
        env.remove("GIT_COMMIT");
        return env;
    }

    /** The machine's PATH without the folders that hold container builders, so the jib path is taken. */
    static String pathWithoutBuilders() {
        StringBuilder out = new StringBuilder();
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path d = Path.of(dir);
            if (Stream.of("docker", "podman", "buildah", "executor").anyMatch(b -> Files.exists(d.resolve(b)))) {
                continue;
            }
            out.append(out.length() == 0 ? "" : ":").append(dir);
        }
        return out.toString();
    }

    /** Copies a source tree, leaving out what runs leave behind (state, dependencies, caches). */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> stream = Files.walk(from)) {
            for (Path p : (Iterable<Path>) stream::iterator) {
                String relative = from.relativize(p).toString();
                if (java.util.Arrays.stream(relative.split("/")).anyMatch(
                        part -> part.equals(".korea") || part.equals("node_modules") || part.equals("__pycache__"))) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files under a directory with their sizes and times, to show a test left it alone; empty when absent. */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> files = new java.util.TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> stream = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) stream::iterator) {
                files.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Reads a (ustar) tar file into name -> bytes. Enough for the OCI layouts jib writes. */
    static Map<String, byte[]> untar(Path tar) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            byte[] all = Files.readAllBytes(tar);
            int pos = 0;
            while (pos + 512 <= all.length) {
                String name = field(all, pos, 100);
                if (name.isEmpty()) {
                    break;
                }
                String prefix = field(all, pos + 345, 155);
                long size = Long.parseLong(field(all, pos + 124, 12).trim().isEmpty() ? "0" : field(all, pos + 124, 12).trim(), 8);
                char type = (char) all[pos + 156];
                pos += 512;
                if (type == '0' || type == 0) {
                    byte[] content = java.util.Arrays.copyOfRange(all, pos, (int) (pos + size));
                    entries.put(prefix.isEmpty() ? name : prefix + "/" + name, content);
                }
                pos += (int) ((size + 511) / 512 * 512);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
