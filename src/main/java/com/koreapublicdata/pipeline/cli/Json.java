package com.koreapublicdata.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;

/**
 * JSON results: stable field order, ISO times, one object per command (the engine's {@link JsonMapping}).
 *
 * <p>Plain values (maps with text keys, collections, texts, numbers, booleans, instants, durations, enums and records
 * that carry no Jackson annotation but {@code @JsonValue} and {@code @JsonCreator}) are written with Jackson's
 * streaming generator; anything else goes to the data-binding mapper, inside the same document. The bytes are the mapper's either way (JsonTest
 * compares them). A command whose result is plain, {@code korea plan} first, then never builds the mapper, whose set-up
 * was a third of that command's start (docs/performance.md).
 */
final class Json {
    private Json() {
    }

    static void write(PrintWriter out, Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonMapping.factory().createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            new Writer(g).value(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render result as JSON", e);
        }
        out.println(text);
    }

    /** {@code value} as a JSON object's fields, in order, to add a few to a command's result. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(Object value) {
        Map<Class<?>, Boolean> plain = new HashMap<>();
        if (value.getClass().isRecord() && plainRecord(value.getClass(), plain)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                fields.put(c.getName(), accessor(c, value));
            }
            return fields;
        }
        return new LinkedHashMap<String, Object>(Mapper.PRETTY.convertValue(value, Map.class));
    }

    /** The mapper, made on first use only. */
    private static final class Mapper {
        static final ObjectMapper PRETTY = JsonMapping.pretty();
    }

    /** One document's walk; remembers per class whether it is plain. */
    private static final class Writer {
        private final JsonGenerator g;
        private final Map<Class<?>, Boolean> plain = new HashMap<>();
        private final Map<Class<?>, Optional<Method>> jsonValues = new HashMap<>();

        Writer(JsonGenerator g) {
            this.g = g;
        }

        void value(Object v) throws IOException {
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                g.writeNumber(((Number) v).longValue());
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v instanceof Instant || v instanceof Duration) {
                g.writeString(v.toString()); // ISO-8601, as the mapper's JavaTimeModule writes them (not as numbers)
            } else if (v instanceof Enum<?> e && plainEnum(e.getDeclaringClass(), plain)) {
                Optional<Method> jsonValue = jsonValues.computeIfAbsent(e.getDeclaringClass(), Json::jsonValueOf);
                if (jsonValue.isEmpty()) {
                    g.writeString(e.name());
                } else {
                    value(invoke(jsonValue.get(), e));
                }
            } else if (v instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : m.entrySet()) {
                    g.writeFieldName((String) entry.getKey());
                    value(entry.getValue());
                }
                g.writeEndObject();
            } else if (v instanceof Collection<?> c) {
                g.writeStartArray();
                for (Object item : c) {
                    value(item);
                }
                g.writeEndArray();
            } else if (v.getClass().isRecord() && plainRecord(v.getClass(), plain)) {
                g.writeStartObject();
                for (RecordComponent c : v.getClass().getRecordComponents()) {
                    g.writeFieldName(c.getName());
                    value(accessor(c, v));
                }
                g.writeEndObject();
            } else {
                Mapper.PRETTY.writeValue(g, v);
            }
        }
    }

    /** An enum the mapper writes as its name or its {@code @JsonValue}. */
    private static boolean plainEnum(Class<?> type, Map<Class<?>, Boolean> plain) {
        return plain.computeIfAbsent(type, t -> !annotated(t, m -> m.getParameterCount() == 0
                && m.isAnnotationPresent(JsonValue.class) || m.isAnnotationPresent(JsonCreator.class)));
    }

    /**
     * A record the mapper writes as its components in order: no Jackson annotation on it or its members, nothing
     * the mapper would add (a public {@code getX()} or {@code isX()} method, inherited ones included).
     */
    private static boolean plainRecord(Class<?> type, Map<Class<?>, Boolean> plain) {
        return plain.computeIfAbsent(type, t -> {
            if (annotated(t, m -> false) || t.getRecordComponents().length == 0) {
                return false; // the mapper refuses an empty bean
            }
            for (RecordComponent c : t.getRecordComponents()) {
                if (jackson(c)) {
                    return false;
                }
            }
            for (Method m : t.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && getterLike(m)) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Whether a Jackson annotation sits on the class, an interface it implements, or one of its fields, methods
     * (but those {@code allowed}: they change how JSON is read, or name the value written), constructors or their
     * parameters (a {@code @JsonCreator}'s {@code @JsonProperty} names rename the properties).
     */
    private static boolean annotated(Class<?> t, Predicate<Method> allowed) {
        if (jackson(t) || inheritsJackson(t)) {
            return true;
        }
        for (Field f : t.getDeclaredFields()) {
            if (jackson(f)) {
                return true; // e.g. @JsonProperty on an enum constant
            }
        }
        for (Method m : t.getDeclaredMethods()) {
            if (jackson(m) && !allowed.test(m)) {
                return true;
            }
        }
        for (Constructor<?> c : t.getDeclaredConstructors()) {
            if (jackson(c) || Arrays.stream(c.getParameters()).anyMatch(Json::jackson)) {
                return true;
            }
        }
        return false;
    }

    private static boolean getterLike(Method m) {
        String name = m.getName();
        if (name.equals("getClass")) {
            return false;
        }
        return name.length() > 3 && name.startsWith("get") && m.getReturnType() != void.class
                || name.length() > 2 && name.startsWith("is")
                        && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class);
    }

    /** The mapper also reads annotations of the interfaces' methods a class implements. */
    private static boolean inheritsJackson(Class<?> type) {
        for (Class<?> i : type.getInterfaces()) {
            if (jackson(i) || inheritsJackson(i)) {
                return true;
            }
            for (Method m : i.getDeclaredMethods()) {
                if (jackson(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean jackson(AnnotatedElement element) {
        for (Annotation a : element.getDeclaredAnnotations()) {
            if (a.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Method> jsonValueOf(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonValue.class)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static Object accessor(RecordComponent c, Object record) {
        return invoke(c.getAccessor(), record);
    }

    private static Object invoke(Method method, Object target) {
        try {
            method.setAccessible(true);
            return method.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + method, e);
        }
    }
}
