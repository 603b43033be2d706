package com.koreapublicdata.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

class ConfigSchemaTest {
    private static final Path PROJECT = Path.of(System.getProperty("korea.project.dir", "."));
    private final ConfigSchema schema = new ConfigSchema();

    private JsonSchema jsonSchema() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema.jsonSchema());
    }

    private static List<Path> exampleConfigs() throws IOException {
        try (Stream<Path> files = Files.walk(PROJECT.resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().equals("korea.yaml"))
                    .filter(p -> !p.toString().contains("/.korea/")).toList();
        }
    }

    @Test
    void shouldValidateEveryExampleAgainstTheSchema() throws IOException {
        List<Path> examples = exampleConfigs();
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            JsonNode yaml = new YAMLMapper().readTree(example.toFile());
            Set<ValidationMessage> messages = jsonSchema().validate(yaml);
            assertThat(messages).as(example.toString()).isEmpty();
            assertThat(new ConfigLoader().problems(example)).as(example.toString()).isEmpty();
        }
    }

    @Test
    void shouldRejectWhatTheLoaderRejects() throws IOException {
        JsonNode misspelled = new YAMLMapper().readTree("""
                project: shop
                components: {api: {paths: [api/**], kindd: node}}
                environments: {dev: {branches: [develop], strategy: blue}}
                """);

        Set<ValidationMessage> messages = jsonSchema().validate(misspelled);

        assertThat(messages).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("kindd"))
                .anyMatch(m -> m.contains("strategy"));
    }

    @Test
    void shouldKeepTheCommittedSchemaAndReferenceUpToDate() throws IOException {
        assertThat(Files.readString(PROJECT.resolve("docs/korea.schema.json")))
                .as("docs/korea.schema.json is stale: run bin/korea schema --output docs/korea.schema.json")
                .isEqualTo(schema.jsonSchema());
        assertThat(Files.readString(PROJECT.resolve("docs/config-reference.md")))
                .as("docs/config-reference.md is stale: run bin/korea schema --markdown --output docs/config-reference.md")
                .isEqualTo(schema.markdownReference());
        assertThat(new ObjectMapper().readTree(schema.jsonSchema()).at("/properties/environments/additionalProperties/properties/approval/properties/required/type").asText())
                .isEqualTo("boolean");
    }
}
