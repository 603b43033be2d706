package com.koreapublicdata.pipeline.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;

/** JSON results: stable field order, ISO times, one object per command (the engine's {@link JsonMapping}). */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapping.pretty();

    private Json() {
    }

    static void write(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render result as JSON", e);
        }
    }

    /** {@code value} as a JSON object's fields, in order, to add a few to a command's result. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> fields(Object value) {
        return new java.util.LinkedHashMap<String, Object>(MAPPER.convertValue(value, java.util.Map.class));
    }
}
