package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * The state of reading one report: where findings go, what the report said about itself, the later part read on
 * another thread, and error helpers.
 */
final class ReadContext implements AutoCloseable {
    private static final int MAX_DIGESTS = 16;

    final String source;
    private final Consumer<Finding> sink;
    /** The sink when it is the gate, which takes findings before their text is built. */
    private final Gate gate;
    /** The vulnerability being read, reused: its text becomes Strings only if the gate keeps it. */
    final TrivyResults.Vulnerability vulnerability = new TrivyResults.Vulnerability();
    /** Starts the later part of a large report on another thread (null when it has none, or is no file). */
    private final Supplier<LaterPart> laterPartStarter;
    /** The later part started, to be stopped when reading ends. */
    private LaterPart started;
    /** The later part while it may still take over; null when there is none (or no longer). */
    private LaterPart laterPart;
    /** Whether the later part took over the rest of the report, so this parse stopped at its start. */
    boolean handedOver;
    private boolean laterPartTried;
    String artifactName;
    String scannerVersion;
    String imageId;
    final Set<String> repoDigests = new LinkedHashSet<>();
    final List<String> errors = new ArrayList<>();
    long findings;

    ReadContext(String source, Consumer<Finding> sink) {
        this(source, sink, null);
    }

    ReadContext(String source, Consumer<Finding> sink, Supplier<LaterPart> laterPartStarter) {
        this.source = source;
        this.sink = sink;
        this.gate = sink instanceof Gate g ? g : null;
        this.laterPartStarter = laterPartStarter;
    }

    /** At the report's own Results: starts reading the later part on another thread, once, when there is one. */
    void startLaterPart() {
        if (laterPartStarter != null && started == null && !laterPartTried) {
            laterPartTried = true;
            started = laterPartStarter.get();
            laterPart = started;
        }
    }

    /** Stops the later part when it did not take over (its findings never reach the gate). */
    @Override
    public void close() throws IOException {
        if (started != null) {
            started.close();
        }
    }

    /**
     * At an entry of the report's own Results: whether the later part begins here and its findings were added,
     * so this parse stops here. When it cannot be used, or the parse went past its start, this parse reads on.
     */
    boolean handOver(JsonParser parser) {
        if (laterPart == null) {
            return false;
        }
        if (laterPart.beginsAt(parser)) {
            long found = laterPart.append();
            laterPart = null;
            if (found >= 0) {
                findings += found;
                handedOver = true;
                return true;
            }
        } else if (laterPart.passedBy(parser)) {
            laterPart.stop(); // the guess was inside something else
            laterPart = null;
        }
        return false;
    }

    /** A part of the scan the scanner reported as failed (a k8s resource with an Error). */
    void scanError(String error) {
        if (errors.size() < MAX_DIGESTS) {
            errors.add(error);
        }
    }

    /** Whether the finding about to be read may be listed or matched, so its text is needed (see Gate.mayList). */
    boolean needsText() {
        return gate == null || gate.mayList();
    }

    void emit(PendingFinding finding) {
        findings++;
        if (gate != null) {
            gate.accept(finding);
        } else {
            sink.accept(finding.finding());
        }
    }

    /** Adds a digest from a RepoDigests entry ({@code repo@sha256:...}) or a bare {@code sha256:...}. */
    void addRepoDigest(String value) {
        if (value == null || repoDigests.size() >= MAX_DIGESTS) {
            return;
        }
        int at = value.lastIndexOf('@');
        String digest = at >= 0 ? value.substring(at + 1) : value;
        if (Digests.isDigest(digest)) {
            repoDigests.add(Digests.normalise(digest));
        }
    }

    KoreaException invalid(JsonParser parser, String message) {
        JsonLocation at = parser.currentTokenLocation();
        return KoreaException.invalidInput(source + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + message);
    }

    /** The scalar value as text; null for JSON null; objects and arrays are skipped and read as null. */
    String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /**
     * The scalar value as text, given as the matching constant of {@code known} when it is one of them: severities
     * and statuses repeat on every finding, so the common values cost no String of their own.
     */
    String text(JsonParser parser, String[] known) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            for (String candidate : known) {
                if (candidate.length() == length && same(candidate, chars, offset)) {
                    return candidate;
                }
            }
        }
        return text(parser);
    }

    private static boolean same(String candidate, char[] chars, int offset) {
        for (int i = 0; i < candidate.length(); i++) {
            if (candidate.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** A list of strings (RepoDigests, Grype's fix.versions); null reads as empty. */
    List<String> texts(JsonParser parser) throws IOException {
        List<String> out = new ArrayList<>();
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            String one = text(parser);
            if (one != null) {
                out.add(one);
            }
            return out;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String value = text(parser);
            if (value != null && out.size() < 64) {
                out.add(value);
            }
        }
        return out;
    }

    /** Trivy's severity: one of the five upper-case names; absent or empty is UNKNOWN, as Trivy's filter does. */
    Severity trivySeverity(JsonParser parser, String value, String what) {
        Severity severity = trivySeverity(value);
        if (severity == null) {
            throw invalid(parser, what + ": severity '" + value + "' is not one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN");
        }
        return severity;
    }

    /** Trivy's severity, or null when {@code value} is not one. */
    static Severity trivySeverity(String value) {
        if (value == null || value.isEmpty()) {
            return Severity.UNKNOWN;
        }
        return switch (value) {
            case "CRITICAL" -> Severity.CRITICAL;
            case "HIGH" -> Severity.HIGH;
            case "MEDIUM" -> Severity.MEDIUM;
            case "LOW" -> Severity.LOW;
            case "UNKNOWN" -> Severity.UNKNOWN;
            default -> null;
        };
    }

    /** Grype's title-case severity; Negligible has no Trivy counterpart and reads as LOW. */
    Severity grypeSeverity(JsonParser parser, String value, String what) {
        if (value == null || value.isEmpty()) {
            return Severity.UNKNOWN;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "high" -> Severity.HIGH;
            case "medium" -> Severity.MEDIUM;
            case "low", "negligible" -> Severity.LOW;
            case "unknown" -> Severity.UNKNOWN;
            default -> throw invalid(parser, what + ": severity '" + value
                    + "' is not one of Critical, High, Medium, Low, Negligible, Unknown");
        };
    }

    /** Fails unless the parser is on {@code expected}. */
    void expect(JsonParser parser, JsonToken expected, String what) {
        if (parser.currentToken() != expected) {
            throw invalid(parser, what + " must be " + (expected == JsonToken.START_ARRAY ? "an array" : "an object")
                    + ", found " + describe(parser.currentToken()));
        }
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the file";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }
}
