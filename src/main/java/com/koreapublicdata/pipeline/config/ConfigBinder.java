package com.koreapublicdata.pipeline.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the model records from a korea.yaml tree that {@link ConfigValidator} has accepted, walking the same record
 * components the validator checked, so a field added to a record is read with no other change. The types are known
 * to be right here (numbers that do not fit, empty list items and YAML 1.1's yes/no are the validator's problems);
 * what is left to fail is a rule only a record's constructor knows, which ConfigLoader reports as the file's problem.
 * Jackson's data binding did this job before, at a fifth of {@code korea plan}'s start (docs/performance.md).
 */
final class ConfigBinder {

    Object bind(YamlNode node, Type type) {
        if (node == null || node.kind == YamlNode.Kind.NULL) {
            return null; // an empty value means "use the default", which the record's constructor applies
        }
        Class<?> raw = ConfigValidator.raw(type);
        if (raw == Wave.class) {
            return Wave.of(plain(node));
        }
        if (raw.isRecord()) {
            return record(node, raw);
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            Map<String, Object> map = new LinkedHashMap<>();
            node.map.forEach((key, value) -> {
                if (value.kind != YamlNode.Kind.NULL) {
                    map.put(key, bind(value, valueType));
                }
            });
            return map;
        }
        if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            if (node.kind == YamlNode.Kind.LIST) {
                node.list.forEach(item -> list.add(bind(item, element)));
            } else {
                list.add(bind(node, element)); // a single value stands for a list of one
            }
            return list;
        }
        return scalar(node, raw);
    }

    private Object record(YamlNode node, Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (!ConfigValidator.derived(record, components[i].getName())) {
                values[i] = bind(node.map.get(components[i].getName()), components[i].getGenericType());
            }
        }
        try {
            Constructor<?> canonical = record.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + record.getSimpleName(), e);
        }
    }

    private static Object scalar(YamlNode node, Class<?> type) {
        if (type == String.class) {
            return node.text;
        } else if (type == Integer.class) {
            return Integer.valueOf(node.text);
        } else if (type == Double.class) {
            return Double.valueOf(node.text);
        } else if (type == Boolean.class) {
            return Boolean.valueOf(node.text);
        } else if (type == Duration.class) {
            return Durations.parse(node.text)
                    .orElseThrow(() -> new IllegalArgumentException("not a duration: " + node.text));
        } else if (type.isEnum()) {
            return ConfigValidator.enumValue(type, node.text)
                    .orElseThrow(() -> new IllegalArgumentException("not one of " + ConfigValidator.enumNames(type)));
        }
        throw new IllegalStateException("no binding for " + type);
    }

    /** A wave's written form as plain values (a text, a list, a mapping), for {@link Wave#of}. */
    private static Object plain(YamlNode node) {
        return switch (node.kind) {
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.map.forEach((key, value) -> {
                    if (value.kind != YamlNode.Kind.NULL) {
                        map.put(key, plain(value));
                    }
                });
                yield map;
            }
            case LIST -> node.list.stream().map(ConfigBinder::plain).toList();
            default -> node.text;
        };
    }
}
