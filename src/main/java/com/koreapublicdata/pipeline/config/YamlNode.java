package com.koreapublicdata.pipeline.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A YAML value that remembers where it was written: Jackson's tree forgets positions, and every config error
 * must name its line and column. {@link ConfigValidator} checks it and {@link ConfigBinder} builds the records from it.
 */
final class YamlNode {
    enum Kind { MAP, LIST, STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    final Kind kind;
    final int line;
    final int column;
    final Map<String, YamlNode> map;
    final Map<String, int[]> keyPositions;
    final List<YamlNode> list;
    final String text;

    private YamlNode(Kind kind, int line, int column, Map<String, YamlNode> map, Map<String, int[]> keyPositions,
            List<YamlNode> list, String text) {
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.map = map;
        this.keyPositions = keyPositions;
        this.list = list;
        this.text = text;
    }

    boolean isScalar() {
        return kind != Kind.MAP && kind != Kind.LIST;
    }

    String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case NULL -> "nothing";
            case STRING -> "'" + text + "'";
            default -> text;
        };
    }

    /** Reads the next value from a parser positioned on its first token. */
    static YamlNode read(JsonParser p) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                Map<String, int[]> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation k = p.currentTokenLocation();
                    keys.put(key, new int[] {k.getLineNr(), k.getColumnNr()});
                    p.nextToken();
                    map.put(key, read(p));
                }
                return new YamlNode(Kind.MAP, line, column, map, keys, null, null);
            }
            case START_ARRAY: {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return new YamlNode(Kind.LIST, line, column, null, null, list, null);
            }
            case VALUE_STRING:
                return scalar(Kind.STRING, line, column, p.getText());
            case VALUE_NUMBER_INT:
                return scalar(Kind.INTEGER, line, column, p.getText());
            case VALUE_NUMBER_FLOAT:
                return scalar(Kind.DECIMAL, line, column, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return scalar(Kind.BOOLEAN, line, column, p.getText());
            case VALUE_NULL:
                return scalar(Kind.NULL, line, column, null);
            default:
                throw new IOException("unexpected YAML token " + token);
        }
    }

    private static YamlNode scalar(Kind kind, int line, int column, String text) {
        return new YamlNode(kind, line, column, null, null, null, text);
    }
}
