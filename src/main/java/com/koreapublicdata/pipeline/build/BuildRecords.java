package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.AtomicFiles;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;

/** Build records under {@code <stateDir>/builds/<component>/}: one file per digest plus {@code latest.json}. */
public final class BuildRecords {
    private final Path stateDir;
    private final ObjectMapper mapper = JsonMapping.pretty();

    public BuildRecords(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path directory(String component) {
        return stateDir.resolve("builds").resolve(component);
    }

    /** The most recent build of a component, if any. */
    public Optional<BuildRecord> latest(String component) {
        return read(directory(component).resolve("latest.json"));
    }

    /** The build of a component that produced this digest ({@code sha256:<hex>} or just the hex). */
    public Optional<BuildRecord> find(String component, String digest) {
        String hex = hex(digest);
        if (!hex.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return read(directory(component).resolve(hex + ".json"));
    }

    /**
     * The newest build (by its time) of a component that tagged {@code repository:tag}; the records are read with the
     * same mapper that wrote them. An unreadable record fails (exit 2) rather than letting an older build win.
     */
    public Optional<BuildRecord> newest(String component, String repository, String tag) {
        Path dir = directory(component);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}\\.json")).sorted()
                    .map(f -> read(f).orElseThrow())
                    .filter(r -> repository.equals(r.repository()) && r.tags().contains(tag) && r.digest() != null)
                    .max(Comparator.comparing(BuildRecord::time, Comparator.nullsFirst(Comparator.naturalOrder())));
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot list build records in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the record under its digest and as latest; returns the digest file. */
    public Path write(BuildRecord record) {
        Path dir = directory(record.component());
        Path file = dir.resolve(record.digestHex() + ".json");
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, mapper.writeValueAsBytes(record));
            AtomicFiles.write(dir.resolve("latest.json"), mapper.writeValueAsBytes(record));
            return file;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot write build record " + file + ": " + e.getMessage(), e);
        }
    }

    static String hex(String digest) {
        return digest == null ? "" : digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
    }

    private Optional<BuildRecord> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(file.toFile(), BuildRecord.class));
        } catch (IOException e) {
            throw KoreaException.invalidInput("build record " + file + " is not readable: " + e.getMessage());
        }
    }
}
