package com.koreapublicdata.pipeline.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;

/**
 * The append-only deployment log, {@code <stateDir>/deployments.jsonl}: one JSON object a line, so concurrent
 * writers (two components promoting in parallel) only ever append whole lines.
 */
public final class DeploymentLog {
    private final Path file;
    /** Stamped on every appended record that names no cluster (one cluster of a waves promotion), or null. */
    private final String cluster;
    private final Integer wave;

    public DeploymentLog(Path stateDir) {
        this(stateDir.resolve("deployments.jsonl"), null, null);
    }

    private DeploymentLog(Path file, String cluster, Integer wave) {
        this.file = file;
        this.cluster = cluster;
        this.wave = wave;
    }

    /** The same log, writing the records of one cluster of a waves promotion (they carry cluster and wave). */
    public DeploymentLog onCluster(String context, int waveNumber) {
        return new DeploymentLog(file, context, waveNumber);
    }

    public Path file() {
        return file;
    }

    /** Appends one record, holding a file lock so lines from parallel processes never interleave. */
    public void append(DeploymentRecord record) {
        if (cluster != null && record.cluster() == null) {
            record = record.onCluster(cluster, wave);
        }
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (JsonMapping.mapper().writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); FileLock ignored = channel.lock()) {
                channel.write(java.nio.ByteBuffer.wrap(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Every record, oldest first; an absent log is empty. Lines that are not records are skipped. */
    public List<DeploymentRecord> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        // made here, not with the log: korea plan builds a log for change control and, with no history yet,
        // should not pay for a mapper (a tenth of its start, docs/performance.md)
        ObjectMapper mapper = JsonMapping.mapper();
        List<DeploymentRecord> records = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(mapper.readValue(line, DeploymentRecord.class));
                } catch (JsonProcessingException e) {
                    // a torn last line after a crash must not hide the rest of the history
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return records;
    }
}
