package com.koreapublicdata.pipeline.scan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * Reads a scanner report in one streaming pass, detecting its format from its top-level shape: a bare array is
 * pre-0.19 Trivy; an object is Trivy, trivy k8s or Grype by the keys it has. Anything else (Trivy's table output
 * saved as .json, SARIF, truncated JSON, an empty file) is invalid input, exit 2, with what was found.
 */
public final class ReportReader {
    private static final int MAX_KEYS_SHOWN = 8;
    /** Reports from this size on are read in two parts at once (LaterPart): below it, a thread saves little. */
    private static final long TWO_PARTS_FROM = 16L << 20;
    private final JsonFactory factory = JsonFactory.builder()
            // descriptions can be long; reports are trusted to be large, not deeply nested
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
            .build();
    private final long twoPartsFrom;
    private long readInTwoParts;

    public ReportReader() {
        this(TWO_PARTS_FROM);
    }

    /** With the size from which a report is read in two parts (tests split small reports). */
    ReportReader(long twoPartsFrom) {
        this.twoPartsFrom = twoPartsFrom;
    }

    /** Reads {@code file}, giving each finding to {@code sink}; returns what the report said about itself. */
    public ReportInfo read(Path file, Consumer<Finding> sink) {
        return read(file, sink, null);
    }

    /**
     * Reads {@code file} through {@code gate}. A large Trivy report is read in two parts at once, on two threads,
     * with the same result as one pass (see LaterPart).
     */
    public ReportInfo read(Path file, Gate gate) {
        return read(file, gate, gate);
    }

    private ReportInfo read(Path file, Consumer<Finding> sink, Gate gate) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw KoreaException.invalidInput(source + ": is a directory, not a report file");
        }
        // started when the parse reaches the report's Results: only a Trivy report (schema 2) has them
        Supplier<LaterPart> laterPart = gate == null ? null : () -> laterPart(file, gate);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(source, in, sink, laterPart);
        } catch (NoSuchFileException e) {
            throw KoreaException.invalidInput(source + ": no such report file");
        } catch (AccessDeniedException e) {
            throw KoreaException.invalidInput(source + ": cannot read the report (permission denied)");
        } catch (IOException e) {
            throw KoreaException.invalidInput(source + ": cannot read the report: " + e.getMessage());
        }
    }

    /** How many reports this reader read in two parts (the later part took over), for tests. */
    long readInTwoParts() {
        return readInTwoParts;
    }

    /** The later part of a large report, started on its own thread; null when the report is read in one pass. */
    private LaterPart laterPart(Path file, Gate gate) {
        try {
            long size = Files.size(file);
            if (size < twoPartsFrom || Runtime.getRuntime().availableProcessors() < 2) {
                return null;
            }
            return LaterPart.start(file, size, gate, factory);
        } catch (IOException e) {
            return null; // the one pass meets the problem, if there is one, and names it
        }
    }

    /** Reads a report from a stream named {@code source} in messages. */
    public ReportInfo read(String source, InputStream input, Consumer<Finding> sink) throws IOException {
        return read(source, input, sink, null);
    }

    private ReportInfo read(String source, InputStream input, Consumer<Finding> sink, Supplier<LaterPart> laterPart)
            throws IOException {
        InputStream in = input.markSupported() ? input : new BufferedInputStream(input, 1 << 16);
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        ReadContext context = new ReadContext(source, sink, laterPart);
        try (context; JsonParser p = factory.createParser(in)) {
            JsonToken first;
            try {
                first = p.nextToken();
            } catch (JsonProcessingException e) {
                throw KoreaException.invalidInput(source + ": not JSON: " + describeStart(head));
            }
            if (first == null) {
                throw KoreaException.invalidInput(source + ": the file is empty (no JSON); a scan that wrote nothing "
                        + "is no pass");
            }
            ReportFormat format;
            if (first == JsonToken.START_ARRAY) {
                format = ReportFormats.forArrays(firstElementKey(head));
                format.readArray(p, context);
            } else if (first == JsonToken.START_OBJECT) {
                format = readObject(p, context);
            } else {
                throw context.invalid(p, "the report is " + ReadContext.describe(first)
                        + ", not a JSON object or array: not a Trivy, Grype or Snyk report");
            }
            // a later part that took over has read the report to its end
            if (context.handedOver) {
                readInTwoParts++;
            } else if (p.nextToken() != null) {
                throw context.invalid(p, "unexpected content after the end of the report");
            }
            return new ReportInfo(source, format.id(), context.artifactName, format.scanner(), context.scannerVersion,
                    new ArrayList<>(context.repoDigests), context.imageId, context.findings, context.errors);
        } catch (JsonEOFException e) {
            JsonLocation at = e.getLocation();
            throw KoreaException.invalidInput(source + ": truncated JSON: the file ends at line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + " inside an unfinished value; the scan may have been cut off");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw KoreaException.invalidInput(source + ":" + (at == null ? "?" : at.getLineNr() + ":" + at.getColumnNr())
                    + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Hands every top-level key to the format owning it; the report's format is whichever owned keys. */
    private static ReportFormat readObject(JsonParser p, ReadContext context) throws IOException {
        ReportFormat format = null;
        String decidedBy = null;
        List<String> keys = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (keys.size() < MAX_KEYS_SHOWN) {
                keys.add(key);
            }
            p.nextToken();
            ReportFormat owner = ReportFormats.owning(key);
            if (owner == null) {
                p.skipChildren(); // SchemaVersion, CreatedAt and keys of no format
                continue;
            }
            if (format == null) {
                format = owner;
                decidedBy = key;
            } else if (format != owner) {
                throw context.invalid(p, "the report mixes '" + decidedBy + "' (" + format.name() + ") and '" + key
                        + "' (" + owner.name() + "): not one report");
            }
            owner.readField(key, p, context);
            if (context.handedOver) {
                break; // the later part read the rest of the report
            }
        }
        if (format == null) {
            throw KoreaException.invalidInput(context.source + ": a JSON object with keys " + keys
                    + (looksLikeSarif(keys) ? " (SARIF)" : "") + " is not a report korea reads; expected one of: "
                    + "Trivy JSON (keys SchemaVersion, ArtifactName, Results), trivy k8s (ClusterName, Resources), "
                    + "Grype (matches, source), Snyk (vulnerabilities, ok, packageManager) or the pre-0.19 Trivy array");
        }
        return format;
    }

    /** The first key of the first element of a top-level array, from the file's first bytes; null when not there. */
    private String firstElementKey(byte[] head) {
        try (JsonParser peek = factory.createParser(head)) {
            if (peek.nextToken() != JsonToken.START_ARRAY || peek.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            return peek.nextToken() == JsonToken.FIELD_NAME ? peek.currentName() : null;
        } catch (IOException e) {
            return null; // the head ends inside the first key: the full parse reports what is wrong
        }
    }

    private static boolean looksLikeSarif(List<String> keys) {
        return keys.contains("runs") || keys.contains("$schema");
    }

    /** What a file that is not JSON starts with, to tell Trivy's table output from other text. */
    static String describeStart(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8).strip();
        String firstLine = text.lines().findFirst().orElse("").strip();
        if (firstLine.length() > 60) {
            firstLine = firstLine.substring(0, 60) + "...";
        }
        boolean table = text.contains("Report Summary") || text.contains("┌") || text.contains("│")
                || text.contains("Total: ") || text.matches("(?s).*\\+-{3,}.*");
        if (table) {
            return "it starts with '" + firstLine + "', which looks like Trivy's table output; run Trivy with "
                    + "--format json (korea scan does this itself)";
        }
        if (text.startsWith("<")) {
            return "it starts with '" + firstLine + "' (XML or HTML?); korea reads Trivy or Grype JSON";
        }
        return "it starts with '" + firstLine + "'; korea reads Trivy or Grype JSON";
    }
}
