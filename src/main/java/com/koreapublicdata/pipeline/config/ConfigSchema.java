package com.koreapublicdata.pipeline.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.koreapublicdata.pipeline.JsonMapping;

/**
 * The JSON Schema of korea.yaml (for editors) and its Markdown reference, both derived from the model records
 * and their {@link Doc} texts, like the validator, so the three cannot disagree.
 */
public final class ConfigSchema {
    private static final String DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d))+$";

    /** The JSON Schema (draft 2020-12) as pretty-printed JSON. */
    public String jsonSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "https://koreapublicdata.com/korea-pipeline/korea.schema.json");
        schema.put("title", "korea.yaml");
        schema.putAll(typeSchema(KoreaConfig.class, KoreaConfig.class.getAnnotation(Doc.class)));
        try {
            return JsonMapping.pretty().writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Markdown table per section: every key, its type, default and meaning. */
    public String markdownReference() {
        StringBuilder md = new StringBuilder();
        md.append("# korea.yaml reference\n\n")
                .append("<!-- Generated from the config records by `korea schema --markdown`; do not edit. -->\n\n")
                .append("Durations are written `30s`, `10m`, `1h30m` or as whole seconds. Unknown keys are errors.\n");
        List<Object[]> sections = new ArrayList<>();
        sections.add(new Object[] {"(top level)", KoreaConfig.class});
        collect(KoreaConfig.class, "", sections);
        for (Object[] section : sections) {
            Class<?> type = (Class<?>) section[1];
            md.append("\n## `").append(section[0]).append("`\n\n");
            Doc typeDoc = type.getAnnotation(Doc.class);
            if (typeDoc != null) {
                md.append(typeDoc.value()).append("\n\n");
            }
            md.append("| key | type | default | meaning |\n|---|---|---|---|\n");
            for (RecordComponent c : type.getRecordComponents()) {
                if (ConfigValidator.derived(type, c.getName())) {
                    continue;
                }
                Doc doc = c.getAnnotation(Doc.class);
                md.append("| `").append(c.getName()).append("`").append(doc != null && doc.required() ? " (required)" : "")
                        .append(" | ").append(typeName(c.getGenericType()))
                        .append(" | ").append(doc == null || doc.defaultValue().isEmpty() ? "" : "`" + doc.defaultValue() + "`")
                        .append(" | ").append(doc == null ? "" : doc.value().replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }

    private static void collect(Class<?> type, String prefix, List<Object[]> sections) {
        for (RecordComponent c : type.getRecordComponents()) {
            Type t = c.getGenericType();
            String path = prefix.isEmpty() ? c.getName() : prefix + "." + c.getName();
            Class<?> nested = null;
            if (t instanceof ParameterizedType p && Map.class.isAssignableFrom((Class<?>) p.getRawType())) {
                nested = raw(p.getActualTypeArguments()[1]);
                path = path + ".<name>";
            } else if (t instanceof ParameterizedType p && List.class.isAssignableFrom((Class<?>) p.getRawType())) {
                nested = raw(p.getActualTypeArguments()[0]);
                path = path + "[]";
            } else {
                nested = raw(t);
            }
            if (nested.isRecord()) {
                sections.add(new Object[] {path, nested});
                collect(nested, path, sections);
            }
        }
    }

    private Map<String, Object> typeSchema(Type type, Doc doc) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (doc != null) {
            s.put("description", doc.value() + (doc.defaultValue().isEmpty() ? "" : " Default: " + doc.defaultValue() + "."));
        }
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            s.put("type", "object");
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (RecordComponent c : raw.getRecordComponents()) {
                if (ConfigValidator.derived(raw, c.getName())) {
                    continue;
                }
                Doc d = c.getAnnotation(Doc.class);
                properties.put(c.getName(), typeSchema(c.getGenericType(), d));
                if (d != null && d.required()) {
                    required.add(c.getName());
                }
            }
            s.put("properties", properties);
            if (!required.isEmpty()) {
                s.put("required", required);
            }
            s.put("additionalProperties", false);
            if (raw == Wave.class) {
                // a wave may also be written as one kube context or a list of them
                Map<String, Object> object = new LinkedHashMap<>(s);
                object.remove("description");
                s.keySet().retainAll(List.of("description"));
                Map<String, Object> contexts = new LinkedHashMap<>(); // ordered: the schema file is compared as text
                contexts.put("type", "array");
                contexts.put("items", Map.of("type", "string"));
                s.put("anyOf", List.of(Map.of("type", "string"), contexts, object));
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
            s.put("type", "object");
            if (raw(value).isRecord()) {
                s.put("propertyNames", Map.of("pattern", ConfigValidator.NAME_PATTERN));
            }
            s.put("additionalProperties", typeSchema(value, null));
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            Map<String, Object> array = new LinkedHashMap<>();
            array.put("type", "array");
            array.put("items", typeSchema(element, null));
            if (raw(element).isRecord()) {
                s.putAll(array);
            } else {
                s.put("anyOf", List.of(array, typeSchema(element, null))); // a single value stands for a list of one
            }
        } else if (raw == String.class) {
            s.put("type", List.of("string", "number"));
            if (doc != null && !doc.pattern().isEmpty()) {
                s.put("pattern", doc.pattern());
            }
        } else if (raw == Integer.class) {
            s.put("type", "integer");
        } else if (raw == Double.class) {
            s.put("type", "number");
        } else if (raw == Boolean.class) {
            s.put("type", "boolean");
        } else if (raw == Duration.class) {
            Map<String, Object> text = new LinkedHashMap<>();
            text.put("type", "string");
            text.put("pattern", DURATION_PATTERN);
            Map<String, Object> seconds = new LinkedHashMap<>();
            seconds.put("type", "integer");
            seconds.put("minimum", 0);
            s.put("anyOf", List.of(text, seconds));
        } else if (raw.isEnum()) {
            List<String> names = new ArrayList<>(ConfigValidator.enumNames(raw));
            if (raw == Severity.class) {
                names.addAll(names.stream().map(String::toLowerCase).toList());
            }
            s.put("enum", names);
        }
        return s;
    }

    private static String typeName(Type type) {
        Class<?> raw = raw(type);
        if (Map.class.isAssignableFrom(raw)) {
            return "map of name to " + typeName(((ParameterizedType) type).getActualTypeArguments()[1]);
        } else if (List.class.isAssignableFrom(raw)) {
            return "list of " + typeName(((ParameterizedType) type).getActualTypeArguments()[0]);
        } else if (raw.isRecord()) {
            return "mapping";
        } else if (raw.isEnum()) {
            return String.join(" \\| ", ConfigValidator.enumNames(raw));
        } else if (raw == Duration.class) {
            return "duration";
        } else if (raw == Integer.class) {
            return "integer";
        } else if (raw == Double.class) {
            return "number";
        } else if (raw == Boolean.class) {
            return "boolean";
        }
        return "string";
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }
}
