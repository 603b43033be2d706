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

    private static Finding vulnerability(JsonParser p, ReadContext c, Result r) throws IOException {
        String id = null;
        String pkgName = null;
        String pkgPath = null;
        String purl = null;
        String installed = null;
        String fixed = null;
        String status = null;
        String severity = null;
        String title = null;
        String url = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "VulnerabilityID" -> id = c.text(p);
                case "PkgName" -> pkgName = c.text(p);
                case "PkgPath" -> pkgPath = c.text(p);
                case "PkgIdentifier" -> purl = purl(p, c);
                case "InstalledVersion" -> installed = c.text(p);
                case "FixedVersion" -> fixed = c.text(p);
                case "Status" -> status = c.text(p, STATUSES);
                case "Severity" -> severity = c.text(p, SEVERITIES);
                case "Title" -> title = c.text(p);
                case "PrimaryURL" -> url = c.text(p);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            throw c.invalid(p, "a vulnerability in '" + r.label() + "' has no VulnerabilityID");
        }
        Severity sev = c.trivySeverity(p, severity, id);
        return new Finding(FindingKind.VULNERABILITY, id, sev, r.target, r.resource, pkgName, installed, fixed, status,
                pkgPath, purl, title, url, null);
    }

    private static String purl(JsonParser p, ReadContext c) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String purl = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("PURL".equals(key)) {
                purl = c.text(p);
            } else {
                p.skipChildren();
            }
        }
        return purl;
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

        void add(Finding finding) {
            if (target == null) {
                if (waiting == null) {
                    waiting = new ArrayList<>();
                }
                waiting.add(finding);
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
