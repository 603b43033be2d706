package com.koreapublicdata.pipeline.notify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.koreapublicdata.pipeline.AtomicFiles;

/**
 * {@code <stateDir>/slack-threads.json}: the first message of each deployment per channel, so that separate
 * {@code korea} invocations (started, then success) reply in the same thread. Shape:
 * {@code {"<deploymentId>": {"<channel>": {"channelId": "C…", "ts": "…"}}}}, oldest deployments dropped past
 * {@value #KEEP}.
 */
final class SlackThreads {
    static final String FILE = "slack-threads.json";
    private static final int KEEP = 500;

    /** A thread's root message. */
    record Root(String channelId, String ts) {
    }

    /** File locks are per process: threads of one JVM (parallel components in korea run) take turns here first. */
    private static final Object IN_PROCESS = new Object();

    private final Path file;

    SlackThreads(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    Optional<Root> find(String deploymentId, String channel) throws IOException {
        Map<String, Map<String, Root>> all = read();
        Map<String, Root> channels = all.get(deploymentId);
        return Optional.ofNullable(channels == null ? null : channels.get(channel));
    }

    /** Records a root unless another process recorded one first; returns the one that stands. */
    Root remember(String deploymentId, String channel, Root root) throws IOException {
        synchronized (IN_PROCESS) {
            return rememberLocked(deploymentId, channel, root);
        }
    }

    private Root rememberLocked(String deploymentId, String channel, Root root) throws IOException {
        Files.createDirectories(file.getParent());
        Path lock = file.resolveSibling(FILE + ".lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            Map<String, Map<String, Root>> all = read();
            Map<String, Root> channels = all.remove(deploymentId);
            channels = channels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(channels);
            Root standing = channels.putIfAbsent(channel, root);
            all.put(deploymentId, channels); // re-inserted last: the most recently used survive pruning
            for (Iterator<String> it = all.keySet().iterator(); all.size() > KEEP && it.hasNext(); ) {
                it.next();
                it.remove();
            }
            AtomicFiles.write(file, SlackJson.write(all, true));
            return standing == null ? root : standing;
        }
    }

    private Map<String, Map<String, Root>> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        String json = Files.readString(file, StandardCharsets.UTF_8);
        if (json.isBlank()) {
            return new LinkedHashMap<>();
        }
        LinkedHashMap<String, LinkedHashMap<String, Root>> stored = SlackJson.MAPPER.readValue(json,
                new TypeReference<LinkedHashMap<String, LinkedHashMap<String, Root>>>() { });
        Map<String, Map<String, Root>> all = new LinkedHashMap<>();
        if (stored != null) {
            all.putAll(stored);
        }
        return all;
    }
}
