package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No outcome is spelled as a string outside {@link Outcome}: a quoted literal that is exactly an outcome's JSON name
 * (e.g. {@code "rolled-back"}) in src/main fails this test. Prose containing the word ({@code "tests passed"}) is not
 * a literal of that name and is not flagged. The few files below use the same word for another concept, each named
 * with its reason, so a new use anywhere else still fails.
 */
class OutcomeLiteralTest {
    private static final Path MAIN = Path.of("src/main/java/com/koreapublicdata/pipeline");

    /** file (relative to the package root) -> literals it may use, for another concept than a command outcome. */
    private static final Map<String, Set<String>> OTHER_CONCEPTS = Map.ofEntries(
            // notification event names (korea.yaml notifications.channels keys)
            Map.entry("config/NotificationSettings.java", Set.of("failed")),
            Map.entry("notify/NotificationEvent.java", Set.of("failed")),
            // Slack delivery status
            Map.entry("notify/NotifyResult.java", Set.of("failed")),
            // Trivy vulnerability statuses and severities
            Map.entry("config/ConfigValidator.java", Set.of("unknown")),
            Map.entry("scan/ScanPolicy.java", Set.of("unknown")),
            Map.entry("scan/GrypeFormat.java", Set.of("unknown")),
            Map.entry("scan/ReadContext.java", Set.of("unknown")),
            Map.entry("scan/TrivyResults.java", Set.of("unknown")),
            Map.entry("scan/SarifRenderer.java", Set.of("unknown")),
            // workload health in korea status; a version nobody can name
            Map.entry("deploy/StatusReader.java", Set.of("unknown")),
            Map.entry("deploy/GitOpsStrategy.java", Set.of("unknown")),
            Map.entry("wiring/NotifyListener.java", Set.of("unknown")),
            // a per-metric JSON flag of the baseline comparison ("failed": true), not an outcome
            Map.entry("analysis/BaselineVerdict.java", Set.of("failed")),
            // the Prometheus label status="failed" of korea_deployments_total
            Map.entry("metrics/DeploymentMetrics.java", Set.of("failed")),
            // a JSON field name of korea build (Dockerfile instructions skipped)
            Map.entry("cli/BuildCommand.java", Set.of("skipped")),
            // one analysis check's state in a sentence
            Map.entry("analysis/Analysis.java", Set.of("passed")),
            // the Argo Rollout's own state in a message
            Map.entry("deploy/RolloutStrategy.java", Set.of("aborted")));

    @Test
    void shouldSpellNoOutcomeOutsideTheOutcomeType() throws IOException {
        List<String> found = scan(MAIN);
        assertThat(found).as("outcome literals outside Outcome.java (use the Outcome constant)").isEmpty();
    }

    @Test
    void shouldCatchALiteralOutcomeInAnyOtherFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // the check itself can fail: a file spelling an outcome is reported with its line
        Path file = dir.resolve("deploy/Sneaky.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "class Sneaky {\n  boolean ok(String o) { return \"rolled-back\".equals(o); }\n"
                + "  String prose = \"the tests passed\";\n}\n");
        Files.writeString(dir.resolve("Outcome.java"), "enum Outcome { X(\"deployed\") }\n");
        assertThat(scan(dir)).containsExactly("deploy/Sneaky.java:2: \"rolled-back\"");
    }

    private static List<String> scan(Path root) throws IOException {
        String names = String.join("|", Arrays.stream(Outcome.values()).map(o -> Pattern.quote(o.json())).toList());
        Pattern literal = Pattern.compile("\"(" + names + ")\"");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.equals("Outcome.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = literal.matcher(lines.get(i));
                    while (m.find()) {
                        if (!OTHER_CONCEPTS.getOrDefault(relative, Set.of()).contains(m.group(1))) {
                            found.add(relative + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        return found;
    }
}
