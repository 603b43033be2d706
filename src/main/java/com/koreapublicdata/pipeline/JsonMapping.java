package com.koreapublicdata.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON set-up of the engine: {@code java.time} values as ISO-8601 text, and properties a reader does not
 * know are ignored, so a record written by a newer korea (or a tool report with more fields) still reads. Files
 * people read (records, results, schema, SARIF) are written with {@link #pretty()}. korea.yaml binding
 * ({@code config.ConfigLoader}) is the exception on purpose: there an unknown field is an error.
 * Each call returns a new mapper; callers keep theirs in a field.
 */
public final class JsonMapping {
    private JsonMapping() {
    }

    /** The project's settings, to add a site's own (e.g. the sorted keys of signed approval records). */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Compact output: one line per value (deployments.jsonl, Slack payloads, patches, parsing). */
    public static ObjectMapper mapper() {
        return builder().build();
    }

    /** Indented output with Jackson's default pretty printer (state files and results people read). */
    public static ObjectMapper pretty() {
        return builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    /** For the streaming readers and writers that do without data binding (scan reports, for speed). */
    public static JsonFactory factory() {
        return JsonFactory.builder().build();
    }
}
