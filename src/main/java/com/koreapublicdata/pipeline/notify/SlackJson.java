package com.koreapublicdata.pipeline.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.koreapublicdata.pipeline.JsonMapping;

/** The JSON used for Slack payloads, templates and the thread file. */
final class SlackJson {
    static final ObjectMapper MAPPER = JsonMapping.mapper();

    private SlackJson() {
    }

    static String write(Object value, boolean pretty) {
        try {
            return pretty ? MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value)
                    : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write Slack JSON", e);
        }
    }
}
