package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * Reads Trivy's {@code Results[]} (schema 2, the legacy array and each k8s resource share it), one finding at a
 * time. Fields the gate does not use (Description, References, CVSS, Packages...) are skipped, not built.
 */
final class TrivyResults {
    private static final String[] SEVERITIES = {"MEDIUM", "LOW", "HIGH", "CRITICAL", "UNKNOWN"};
    /** Vulnerability statuses (trivy-db) and misconfiguration statuses. */
    private static final String[] STATUSES = {"fixed", "affected", "will_not_fix", "fix_deferred", "not_affected",
            "under_investigation", "end_of_life", "unknown", "FAIL", "PASS", "EXCEPTION"};

    private TrivyResults() {
    }

    /** Reads an array of results; null reads as none. The parser is on the array's first token. */
    static long readResults(JsonParser p, ReadContext c, String resource) throws IOException {
        return readResults(p, c, resource, false);
    }

    /**
     * Reads the report's own Results (schema 2), where the later part of a large report, read on another
     * thread, may take over (ReportReader); then the parse stops at the entry it begins with.
     */
    static void readReportResults(JsonParser p, ReadContext c) throws IOException {
        c.startLaterPart();
        readResults(p, c, null, true);
    }

    private static long readResults(JsonParser p, ReadContext c, String resource, boolean mayHandOver)
            throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return 0;
        }
        c.expect(p, JsonToken.START_ARRAY, "Results");
        long count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (mayHandOver && c.handOver(p)) {
                return count;
            }
            readResult(p, c, resource);
            count++;
        }
        return count;
    }

    /** Reads one result object; the parser is on its START_OBJECT. Returns whether it had a Target. */
    static boolean readResult(JsonParser p, ReadContext c, String resource) throws IOException {
        c.expect(p, JsonToken.START_OBJECT, "a result");
        Result result = new Result(c, resource);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "Target" -> result.target(c.text(p));
                case "Vulnerabilities" -> readList(p, c, "Vulnerabilities", () -> result.add(vulnerability(p, c, result)));
                case "Misconfigurations" -> readList(p, c, "Misconfigurations", () -> result.add(misconfiguration(p, c, result)));
                case "Secrets" -> readList(p, c, "Secrets", () -> result.add(secret(p, c, result)));
                case "Licenses" -> readList(p, c, "Licenses", () -> result.add(license(p, c, result)));
                default -> p.skipChildren();
            }
        }
        result.end();
        return result.target != null;
    }

    interface Item {
        void read() throws IOException;
    }

    static void readList(JsonParser p, ReadContext c, String what, Item item) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        c.expect(p, JsonToken.START_ARRAY, what);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            c.expect(p, JsonToken.START_OBJECT, what + " entry");
            item.read();
        }
    }

    /** Reads a vulnerability into {@code c.vulnerability}, which holds its text until the gate asks for it. */
    private static PendingFinding vulnerability(JsonParser p, ReadContext c, Result r) throws IOException {
        Vulnerability v = c.vulnerability;
        // a finding waiting for its Target is built whatever the gate says; otherwise the gate may need only counts
        boolean text = r.target == null || c.needsText();
        v.clear(text);
        String status = null;
        String severity = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                // the id is read always: a vulnerability without one is an error, and it names the finding
                case "VulnerabilityID" -> v.read(Vulnerability.ID, p);
                // as is FixedVersion: without a Status, it says whether there is a fix
                case "FixedVersion" -> v.read(Vulnerability.FIXED, p);
                case "Status" -> status = c.text(p, STATUSES);
                case "Severity" -> severity = c.text(p, SEVERITIES);
                case "PkgName" -> v.readIf(text, Vulnerability.PKG_NAME, p);
                case "PkgPath" -> v.readIf(text, Vulnerability.PKG_PATH, p);
                case "PkgIdentifier" -> purl(p, v, text);
                case "InstalledVersion" -> v.readIf(text, Vulnerability.INSTALLED, p);
                case "Title" -> v.readIf(text, Vulnerability.TITLE, p);
                case "PrimaryURL" -> v.readIf(text, Vulnerability.URL, p);
                default -> p.skipChildren();
            }
        }
        if (v.isEmpty(Vulnerability.ID)) {
            throw c.invalid(p, "a vulnerability in '" + r.label() + "' has no VulnerabilityID");
        }
        Severity sev = ReadContext.trivySeverity(severity);
        if (sev == null) {
            c.trivySeverity(p, severity, v.text(Vulnerability.ID)); // names the finding
        }
        v.found(sev, status, r.target, r.resource);
        return v;
    }

    /** PkgIdentifier.PURL; the last PkgIdentifier counts, as a field read twice does. */
    private static void purl(JsonParser p, Vulnerability v, boolean text) throws IOException {
        v.clear(Vulnerability.PURL);
        if (!text || p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("PURL".equals(key)) {
                v.read(Vulnerability.PURL, p);
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * The vulnerability being read, reused from one to the next: its text fields are copied out of the parser's
     * buffer, and become Strings only when the gate keeps the finding (building them was a fifth of reading).
     */
    static final class Vulnerability implements PendingFinding {
        static final int ID = 0;
        static final int PKG_NAME = 1;
        static final int PKG_PATH = 2;
        static final int PURL = 3;
        static final int INSTALLED = 4;
        static final int FIXED = 5;
        static final int TITLE = 6;
        static final int URL = 7;
        private static final int FIELDS = 8;

        private char[] chars = new char[1024];
        private int used;
        private final int[] start = new int[FIELDS];
        /** -1 for null (absent, JSON null, an object or array) */
        private final int[] length = new int[FIELDS];
        private Severity severity;
        private String status;
        private String target;
        private String resource;
        /** Whether all text fields were read; when not, the gate only counts the finding and never builds it. */
        private boolean withText;

        void clear(boolean allText) {
            used = 0;
            java.util.Arrays.fill(length, -1);
            this.withText = allText;
        }

        void clear(int field) {
            length[field] = -1;
        }

        /** Reads the value when {@code wanted}, else skips it. */
        void readIf(boolean wanted, int field, JsonParser p) throws IOException {
            if (wanted) {
                read(field, p);
            } else {
                p.skipChildren();
            }
        }

        /** The value as ReadContext.text reads it: scalars as their text, null for null, objects and arrays. */
        void read(int field, JsonParser p) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                put(field, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            } else if (token == JsonToken.VALUE_NULL) {
                length[field] = -1;
            } else if (token.isScalarValue()) {
                String text = p.getText();
                put(field, text.toCharArray(), 0, text.length());
            } else {
                p.skipChildren();
                length[field] = -1;
            }
        }

        private void put(int field, char[] from, int offset, int count) {
            if (used + count > chars.length) {
                chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, used + count));
            }
            System.arraycopy(from, offset, chars, used, count);
            start[field] = used;
            length[field] = count;
            used += count;
        }

        boolean isEmpty(int field) {
            return length[field] <= 0;
        }

        String text(int field) {
            return length[field] < 0 ? null : new String(chars, start[field], length[field]);
        }

        void found(Severity sev, String stat, String inTarget, String inResource) {
            this.severity = sev;
            this.status = stat;
            this.target = inTarget;
            this.resource = inResource;
        }

        @Override
        public FindingKind kind() {
            return FindingKind.VULNERABILITY;
        }

        @Override
        public Severity severity() {
            return severity;
        }

        @Override
        public String status() {
            return status;
        }

        /** As Finding.fixed(), on the copied FixedVersion. */
        @Override
        public boolean fixed() {
            if (status != null && !status.isEmpty()) {
                return "fixed".equals(status);
            }
            if (length[FIXED] < 0) {
                return false;
            }
            for (int i = start[FIXED]; i < start[FIXED] + length[FIXED]; i++) {
                if (!Character.isWhitespace(chars[i])) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String target() {
            return target;
        }

        @Override
        public String resource() {
            return resource;
        }

        @Override
        public Finding finding() {
            if (!withText) {
                // Gate.mayList said no finding read now can be listed: building one would be a bug, so fail
                throw new IllegalStateException("vulnerability " + text(ID) + " was read without its text");
            }
            return new Finding(FindingKind.VULNERABILITY, text(ID), severity, target, resource, text(PKG_NAME),
                    text(INSTALLED), text(FIXED), status, text(PKG_PATH), text(PURL), text(TITLE), text(URL), null);
        }
    }

    private static Finding misconfiguration(JsonParser p, ReadContext c, Result r) throws IOException {
        String id = null;
        String avdId = null;
        String severity = null;
        String status = null;
        String title = null;
        String url = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "ID" -> id = c.text(p);
                case "AVDID" -> avdId = c.text(p);
                case "Severity" -> severity = c.text(p, SEVERITIES);
                case "Status" -> status = c.text(p, STATUSES);
                case "Title" -> title = c.text(p);
                case "PrimaryURL" -> url = c.text(p);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            id = avdId;
        }
        if (id == null || id.isEmpty()) {
            throw c.invalid(p, "a misconfiguration in '" + r.label() + "' has no ID");
        }
        Severity sev = c.trivySeverity(p, severity, id);
        List<String> aliases = avdId != null && !avdId.equals(id) ? List.of(avdId) : List.of();
        return new Finding(FindingKind.MISCONFIGURATION, id, sev, r.target, r.resource, null, null, null, status, null,
                null, title, url, aliases);
    }

    private static Finding secret(JsonParser p, ReadContext c, Result r) throws IOException {
        String id = null;
        String severity = null;
        String title = null;
        String line = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "RuleID" -> id = c.text(p);
                case "Severity" -> severity = c.text(p, SEVERITIES);
                case "Title" -> title = c.text(p);
                case "StartLine" -> line = c.text(p);
                default -> p.skipChildren(); // never keep Match or Code: they hold (masked) secret text
            }
        }
        if (id == null || id.isEmpty()) {
            throw c.invalid(p, "a secret in '" + r.label() + "' has no RuleID");
        }
        Severity sev = c.trivySeverity(p, severity, id);
        String where = line == null ? null : r.target + ":" + line;
        return new Finding(FindingKind.SECRET, id, sev, r.target, r.resource, null, null, null, null, where, null,
                title, null, null);
    }

    private static Finding license(JsonParser p, ReadContext c, Result r) throws IOException {
        String name = null;
        String severity = null;
        String pkgName = null;
        String filePath = null;
        String category = null;
        String link = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "Name" -> name = c.text(p);
                case "Severity" -> severity = c.text(p, SEVERITIES);
                case "PkgName" -> pkgName = c.text(p);
                case "FilePath" -> filePath = c.text(p);
                case "Category" -> category = c.text(p);
                case "Link" -> link = c.text(p);
                default -> p.skipChildren();
            }
        }
        if (name == null || name.isEmpty()) {
            throw c.invalid(p, "a license finding in '" + r.label() + "' has no Name");
        }
        Severity sev = c.trivySeverity(p, severity, name);
        return new Finding(FindingKind.LICENSE, name, sev, r.target, r.resource, pkgName, null, null, null, filePath,
                null, category == null ? null : "license category " + category, link, null);
    }

    /**
     * One result being read. Trivy writes Target first; a file re-serialised with sorted keys has it after the
     * lists, so findings seen before the Target wait here until the result ends.
     */
    private static final class Result {
        private final ReadContext context;
        final String resource;
        String target;
        private List<Finding> waiting;

        Result(ReadContext context, String resource) {
            this.context = context;
            this.resource = resource;
        }

        void target(String value) {
            this.target = value;
        }

        String label() {
            return target == null ? "(no Target yet)" : target;
        }

        void add(PendingFinding finding) {
            if (target == null) {
                if (waiting == null) {
                    waiting = new ArrayList<>();
                }
                waiting.add(finding.finding());
            } else {
                context.emit(finding);
            }
        }

        void end() {
            if (waiting != null) {
                String t = target == null ? "" : target;
                waiting.forEach(f -> context.emit(f.withTarget(t)));
                waiting = null;
            }
        }
    }
}
