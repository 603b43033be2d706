package com.koreapublicdata.pipeline.config;

import java.nio.file.Path;

/**
 * One thing wrong with a korea.yaml, located so an editor can jump to it.
 *
 * @param file    the file
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param field   the field path, e.g. {@code environments.production.approval.required}; empty for the whole file
 * @param message what is wrong and what is allowed
 */
public record ConfigProblem(Path file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
