package com.koreapublicdata.pipeline.deploy.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * A lock file created atomically (the way git guards its index with {@code index.lock}): it excludes other
 * threads and other processes alike. A lock left by a process that no longer runs on this machine is taken over.
 */
final class RepositoryLock implements AutoCloseable {
    private final Path file;
    private final String owner;

    private RepositoryLock(Path file, String owner) {
        this.file = file;
        this.owner = owner;
    }

    /** The lock file's owner line (pid, thread, start), or the file itself when it cannot be read. */
    private static String holderOf(Path file) {
        try {
            return "pid " + Files.readString(file, StandardCharsets.UTF_8).strip() + " (" + file + ")";
        } catch (IOException | RuntimeException e) {
            return file.toString();
        }
    }

    static RepositoryLock acquire(Path file, Duration timeout, Consumer<String> progress) {
        String owner = ProcessHandle.current().pid() + " " + Thread.currentThread().getId() + " " + System.nanoTime();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try {
            Files.createDirectories(file.getParent());
            while (true) {
                try {
                    Files.writeString(file, owner, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return new RepositoryLock(file, owner);
                } catch (FileAlreadyExistsException held) {
                    breakIfStale(file);
                }
                if (System.nanoTime() > deadline) {
                    throw KoreaException.locked("the GitOps repository is locked by another deploy (" + file
                            + ") for longer than " + timeout.toSeconds() + "s; if no deploy is running, delete that file",
                            holderOf(file));
                }
                if (!told) {
                    progress.accept("waiting for another deploy to the same GitOps repository to commit (" + file + ")");
                    told = true;
                }
                Thread.sleep(25);
            }
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot create the lock file " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(ExitCode.FAILURE, "interrupted while waiting for the lock " + file, e);
        }
    }

    private static void breakIfStale(Path file) throws IOException {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return;
        }
        String[] parts = content.trim().split(" ");
        boolean stale;
        try {
            stale = parts.length == 3 && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty();
        } catch (NumberFormatException e) {
            stale = false;
        }
        if (!stale) {
            // an empty lock file is a writer caught between create and write; it is stale only when old
            stale = content.isBlank() && Files.getLastModifiedTime(file).toMillis() < System.currentTimeMillis() - 60_000;
        }
        if (stale) {
            // move it aside atomically so that two processes breaking the same stale lock cannot both win
            Path aside = file.resolveSibling(file.getFileName() + ".stale-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                if (!Files.readString(aside, StandardCharsets.UTF_8).equals(content)) {
                    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE); // we took a fresh lock by mistake: give it back
                } else {
                    Files.deleteIfExists(aside);
                }
            } catch (NoSuchFileException | FileAlreadyExistsException raced) {
                // someone else broke it first
            }
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(owner)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot remove the lock file " + file + ": " + e.getMessage(), e);
        }
    }
}
