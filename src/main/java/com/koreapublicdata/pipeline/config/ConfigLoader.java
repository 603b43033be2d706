package com.koreapublicdata.pipeline.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads and validates korea.yaml. Validation is strict (unknown keys, wrong types and dangling references are
 * errors) and reports every problem at once, each with file, line, column and field path.
 */
public final class ConfigLoader {
    private final YAMLFactory yaml = YAMLFactory.builder().build();

    /** Loads a file, or throws {@link ConfigException} listing every problem. */
    public ConfigFile load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        YamlNode root = parse(absolute);
        List<ConfigProblem> problems = new ConfigValidator(absolute).validate(root);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        try {
            return new ConfigFile(absolute, (KoreaConfig) new ConfigBinder().bind(root, KoreaConfig.class));
        } catch (RuntimeException e) {
            // validation accepted something a record refuses: a validator gap, but still the user's file (fail closed)
            throw new ConfigException(List.of(new ConfigProblem(absolute, 0, 0, "", "cannot be read: " + e.getMessage())));
        }
    }

    /** Loads a file and returns its problems; empty when valid. */
    public List<ConfigProblem> problems(Path file) {
        try {
            load(file);
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    private YamlNode parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "",
                    Files.exists(file) ? "cannot be read: " + e.getMessage() : "no such file")));
        }
        if (text.isBlank()) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "",
                    "is empty; it needs at least project, components and environments")));
        }
        try (JsonParser parser = yaml.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "",
                        "is empty; it needs at least project, components and environments")));
            }
            YamlNode root = YamlNode.read(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new ConfigException(List.of(new ConfigProblem(file, at.getLineNr(), at.getColumnNr(), "",
                        "holds more than one YAML document; korea.yaml is one document")));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage().replace("Duplicate field", "duplicate key");
            throw new ConfigException(List.of(new ConfigProblem(file, at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), "", "is not valid YAML: " + firstLine(message))));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", "cannot be read: " + e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
