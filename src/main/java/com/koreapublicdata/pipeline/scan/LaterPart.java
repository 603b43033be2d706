package com.koreapublicdata.pipeline.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The later part of a large Trivy report, read on a second thread while the reader reads the first part: from
 * an entry of {@code Results} near the middle of the file to the end. The start is a guess made from the bytes
 * alone; the reader uses this part only when its own parse arrives at an entry of the report's {@code Results}
 * that begins at exactly that byte, and only when this part read cleanly to the end of the report. Otherwise
 * (a guess inside something else, bad JSON, an unknown severity, keys after {@code Results}) the reader reads
 * on by itself, so what it finds, and every error with its line and column, is what one pass finds.
 */
final class LaterPart implements AutoCloseable {
    /** How far past the middle the start of an entry is looked for; results are rarely longer. */
    private static final int SEARCH_WINDOW = 4 << 20;
    /** What the part is read as: the rest of the report's Results array, then the report's end. */
    private static final byte[] PREFIX = "{\"Results\":[".getBytes(StandardCharsets.US_ASCII);

    private final long start;
    private final Gate gate;
    private final Gate later;
    private final FileChannel channel;
    private final FutureTask<Long> task;
    private final Thread thread;
    private boolean appended;

    private LaterPart(long start, Gate gate, FileChannel channel, JsonFactory factory, String source) {
        this.start = start;
        this.gate = gate;
        this.later = gate.continuation();
        this.channel = channel;
        this.task = new FutureTask<>(() -> read(factory, source));
        this.thread = new Thread(task, "korea-scan-later-part");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the later part of {@code file} into a continuation of {@code gate}; null when no entry of
     * Results can be found past the middle (a report of one large result reads in one pass).
     */
    static LaterPart start(Path file, long size, Gate gate, JsonFactory factory) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long start = entryAfter(channel, size / 2);
            if (start < 0) {
                channel.close();
                return null;
            }
            LaterPart part = new LaterPart(start, gate, channel, factory, file.toString());
            part.thread.start();
            return part;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The byte offset of the first {@code {"Target":} after a comma past {@code from}, allowing whitespace; or -1. */
    static long entryAfter(FileChannel channel, long from) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(SEARCH_WINDOW);
        while (window.hasRemaining() && channel.read(window, from + window.position()) > 0) {
            // a file read may return less than asked for
        }
        byte[] b = window.array();
        int end = window.position();
        for (int i = 0; i < end; i++) {
            if (b[i] != ',') {
                continue;
            }
            int j = skipSpace(b, i + 1, end);
            if (j >= end || b[j] != '{') {
                continue;
            }
            int brace = j;
            j = skipSpace(b, j + 1, end);
            if (startsWith(b, j, end, "\"Target\"")) {
                j = skipSpace(b, j + 8, end);
                // an unescaped quote after '{' opens a key: inside a string it would have to be escaped
                if (j < end && b[j] == ':') {
                    return from + brace;
                }
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] b, int i, int end, String text) {
        if (i + text.length() > end) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (b[i + k] != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Reads the part; returns its number of findings, or -1 when it does not end the report as Trivy's does. */
    private long read(JsonFactory factory, String source) throws IOException {
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(PREFIX),
                Channels.newInputStream(channel.position(start)));
        ReadContext context = new ReadContext(source, later);
        try (JsonParser p = factory.createParser(rest)) {
            p.nextToken(); // the prefix: {"Results":[
            p.nextToken();
            p.nextToken();
            TrivyResults.readResults(p, context, null);
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return -1; // keys after Results, or content after the report: the reader reads them in order
            }
        }
        return context.findings;
    }

    /** Whether the entry the parser is on is where this part begins. */
    boolean beginsAt(JsonParser p) {
        return p.currentToken() == JsonToken.START_OBJECT && p.currentTokenLocation().getByteOffset() == start;
    }

    /** Whether the reader's parse has gone past this part's start without meeting it: the guess was wrong. */
    boolean passedBy(JsonParser p) {
        return p.currentTokenLocation().getByteOffset() > start;
    }

    /**
     * Waits for the part and adds what it found to the gate; returns its number of findings, or -1 when it
     * cannot be used (it failed, or did not end the report) and the reader must read on itself.
     */
    long append() {
        long findings;
        try {
            findings = task.get();
        } catch (ExecutionException e) {
            return -1; // the reader meets the same problem, and reports it where it is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (findings < 0 || !later.appendable()) {
            return -1;
        }
        gate.append(later);
        appended = true;
        return findings;
    }

    /** Stops reading the part: it will not be used. */
    void stop() {
        task.cancel(true); // interrupting a read closes the channel, so the part ends at once
    }

    /** Stops the part when it was not used (its findings never reach the gate) and waits for its thread. */
    @Override
    public void close() throws IOException {
        if (!appended) {
            stop();
        }
        channel.close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
