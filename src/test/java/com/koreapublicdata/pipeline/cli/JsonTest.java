package com.koreapublicdata.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.Outcome;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.ConfigLoader;
import com.koreapublicdata.pipeline.plan.Plan;
import com.koreapublicdata.pipeline.plan.PlanRequest;
import com.koreapublicdata.pipeline.plan.Planner;

/** The results' JSON is the data-binding mapper's, byte for byte, whichever way {@link Json} writes a value. */
class JsonTest {
    private final ObjectMapper mapper = JsonMapping.pretty();

    private static String written(Object value) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            Json.write(w, value);
        }
        return out.toString();
    }

    private void assertSameAsTheMapper(Object value) throws Exception {
        assertThat(written(value)).isEqualTo(mapper.writeValueAsString(value) + System.lineSeparator());
    }

    enum Plain { ONE, TWO }

    enum Named {
        BLUE_GREEN;

        @JsonValue
        String id() {
            return "blue-green";
        }
    }

    enum Renamed {
        @JsonProperty("first") A
    }

    record Leaf(String text, Integer count, Double ratio, Boolean flag, Instant at, Duration after, Plain plain,
            Named named, List<String> empty, Map<String, Object> none) {
    }

    record Tree(Leaf leaf, List<Leaf> leaves, Map<String, Leaf> byName, Set<Plain> set, Object nothing) {
    }

    /** The mapper adds the annotated method: written by the mapper, mid-document. */
    record WithExtra(String a, Outcome outcome) {
        @JsonProperty("exitCode")
        int exitCode() {
            return outcome.exitCode().code();
        }
    }

    /** A getter-like method the mapper picks up on its own. */
    record WithGetter(String a) {
        public String getShout() {
            return a.toUpperCase();
        }

        public boolean isEmpty() {
            return a.isEmpty();
        }
    }

    @JsonPropertyOrder({"b", "a"})
    record Reordered(String a, String b) {
    }

    record Hidden(String a, @JsonIgnore String secret) {
    }

    /** A creator whose parameter names rename the properties. */
    record Created(String a) {
        @com.fasterxml.jackson.annotation.JsonCreator
        Created(@JsonProperty("renamed") String a, int ignored) {
            this(a);
        }
    }

    private static Leaf leaf(String text) {
        return new Leaf(text, 3, 0.25, true, Instant.parse("2026-12-02T07:00:00Z"), Duration.ofMinutes(10), Plain.TWO,
                Named.BLUE_GREEN, List.of(), Map.of());
    }

    @Test
    void shouldWritePlainValuesAsTheMapperDoes() throws Exception {
        Map<String, Object> byName = new LinkedHashMap<>();
        byName.put("x", leaf("x"));
        byName.put("y", null);
        Tree tree = new Tree(leaf("a \"quoted\" \u00e9 \n text"), List.of(leaf("b"), leaf("c")),
                Map.of("only", leaf("d")), Set.of(Plain.ONE), null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tree", tree);
        result.put("byName", byName);
        result.put("numbers", Arrays.asList(1, 2L, (short) 3, (byte) 4, 1.5, Double.NaN, -0.0, 1e300, null));
        result.put("nested", List.of(List.of(), List.of(Map.of()), new ArrayList<>(List.of(List.of("deep")))));
        result.put("outcome", Outcome.ROLLED_BACK);

        assertSameAsTheMapper(result);
        assertSameAsTheMapper(tree);
        assertSameAsTheMapper(List.of());
        assertSameAsTheMapper(Map.of());
        assertSameAsTheMapper("just text");
    }

    @Test
    void shouldLeaveWhatItDoesNotKnowToTheMapperInsideTheSameDocument() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("before", leaf("before"));
        result.put("extra", new WithExtra("a", Outcome.PASSED));
        result.put("getter", List.of(new WithGetter("b")));
        result.put("reordered", new Reordered("a", "b"));
        result.put("hidden", new Hidden("a", "password"));
        result.put("created", new Created("c"));
        result.put("renamed", Renamed.A);
        result.put("path", Path.of("/tmp/x y"));
        result.put("sorted", new TreeMap<>(Map.of(Plain.ONE, "enum keys")));
        result.put("array", new String[] {"a", "b"});
        result.put("float", 1.5f);
        result.put("after", leaf("after"));

        assertSameAsTheMapper(result);
        assertThat(written(result)).doesNotContain("password").contains("\"exitCode\" : 0", "\"first\"");
    }

    @Test
    void shouldFailAsTheMapperDoesOnATypeItCannotWrite() {
        assertThatThrownBy(() -> mapper.writeValueAsString(Map.of("o", Optional.of("x"))))
                .hasMessageContaining("Optional");
        assertThatThrownBy(() -> written(Map.of("o", Optional.of("x"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot render result as JSON");
    }

    /** The real thing: korea.yaml's model and plans of the example, through the fields a command adds to. */
    @Test
    void shouldWriteTheExamplesModelAndPlansAsTheMapperDoes() throws Exception {
        ConfigFile file = new ConfigLoader().load(Path.of(CliRun.EXAMPLE));
        assertSameAsTheMapper(file.config());
        for (String branch : List.of("develop", "staging", "main", "feature/x")) {
            Plan plan = new Planner().plan(file.config(), new PlanRequest(branch, List.of("be/app.py", "fe/src/greeting.js"),
                    "0123456789abcdef0123456789abcdef01234567", "korea.yaml"));
            assertSameAsTheMapper(plan);
            Map<String, Object> fields = Json.fields(plan);
            fields.put("outcome", Outcome.PASSED);
            @SuppressWarnings("unchecked")
            Map<String, Object> converted = new LinkedHashMap<>(mapper.convertValue(plan, Map.class));
            converted.put("outcome", Outcome.PASSED);
            assertThat(written(fields)).as(branch).isEqualTo(mapper.writeValueAsString(converted) + System.lineSeparator());
        }
    }
}
