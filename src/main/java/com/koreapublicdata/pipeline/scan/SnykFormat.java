package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.koreapublicdata.pipeline.config.Severity;

/**
 * {@code snyk test --json} (one project: an object; {@code --all-projects}: an array of them) and
 * {@code snyk container test --json} (an object whose {@code applications} are more projects).
 *
 * <p>Snyk lists one entry per vulnerable dependency path, so one issue in one package can appear many times. korea
 * counts what a person fixes: one finding per project, issue id and package version (Snyk's own
 * {@code uniqueCount}), and keeps the paths on it. Entries are collapsed per {@code vulnerabilities} array, so
 * memory grows with a project's distinct issues, not with its paths. Issues Snyk itself ignored (its
 * {@code .snyk} policy) are not in {@code vulnerabilities} and are not findings. A report with {@code error} (Snyk
 * could not test the project) is not a clean report: it is invalid input.
 */
final class SnykFormat implements ReportFormat {
    private static final Set<String> KEYS = Set.of("vulnerabilities", "ok", "error", "dependencyCount", "org",
            "policy", "isPrivate", "licensesPolicy", "packageManager", "ignoreSettings", "docker", "summary",
            "filesystemPolicy", "filtered", "uniqueCount", "projectName", "displayTargetFile", "targetFile", "path",
            "applications", "foundProjectCount", "hasUnknownVersions", "remediation", "platform", "projectId");

    @Override
    public String id() {
        return "snyk";
    }

    @Override
    public String name() {
        return "Snyk JSON (snyk test --json, snyk container test --json)";
    }

    @Override
    public String scanner() {
        return "snyk";
    }

    @Override
    public Set<String> keys() {
        return KEYS;
    }

    @Override
    public boolean readsArrays() {
        return true;
    }

    @Override
    public void readField(String key, JsonParser p, ReadContext c) throws IOException {
        switch (key) {
            case "vulnerabilities" -> vulnerabilities(p, c);
            case "applications" -> TrivyResults.readList(p, c, "applications", () -> project(p, c, "applications"));
            case "error" -> {
                String error = c.text(p);
                throw c.invalid(p, "Snyk could not test the project: " + (error == null ? "(no message)" : error)
                        + "; a scan that did not run is no pass");
            }
            case "projectName" -> {
                if (c.artifactName == null) {
                    c.artifactName = c.text(p);
                } else {
                    p.skipChildren();
                }
            }
            default -> p.skipChildren();
        }
    }

    /** {@code --all-projects}: a bare array of project objects. */
    @Override
    public void readArray(JsonParser p, ReadContext c) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            c.expect(p, JsonToken.START_OBJECT, "Snyk project " + index);
            project(p, c, "project " + index);
            index++;
        }
        if (index == 0) {
            throw c.invalid(p, "an empty JSON array is not a Snyk report (snyk test --all-projects lists one object "
                    + "per project, even a clean one)");
        }
    }

    /** One project object; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private void project(JsonParser p, ReadContext c, String what) throws IOException {
        boolean known = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            known |= KEYS.contains(key);
            if ("applications".equals(key) || "vulnerabilities".equals(key) || "error".equals(key)
                    || "projectName".equals(key)) {
                readField(key, p, c);
            } else {
                p.skipChildren();
            }
        }
        if (!known) {
            throw c.invalid(p, what + " has none of Snyk's keys (vulnerabilities, ok, packageManager, ...): not a "
                    + "Snyk report");
        }
    }

    /** Collapses the entries of one {@code vulnerabilities} array per (project, id, package, version). */
    private static void vulnerabilities(JsonParser p, ReadContext c) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        TrivyResults.readList(p, c, "vulnerabilities", () -> {
            Entry e = entry(p, c);
            entries.merge(e.key(), e, Entry::merge);
        });
        for (Entry e : entries.values()) {
            c.emit(e.finding());
        }
    }

    private static Entry entry(JsonParser p, ReadContext c) throws IOException {
        String id = null;
        String title = null;
        String severity = null;
        String pkgName = null;
        String version = null;
        String manager = null;
        List<String> from = List.of();
        List<String> fixedIn = List.of();
        List<String> aliases = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "id" -> id = c.text(p);
                case "title" -> title = c.text(p);
                case "severity" -> severity = c.text(p);
                case "packageName" -> pkgName = c.text(p);
                case "name" -> {
                    String name = c.text(p);
                    pkgName = pkgName == null ? name : pkgName;
                }
                case "version" -> version = c.text(p);
                case "packageManager" -> manager = c.text(p);
                case "from" -> from = c.texts(p);
                case "fixedIn" -> fixedIn = c.texts(p);
                case "identifiers" -> identifiers(p, c, aliases);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            throw c.invalid(p, "a Snyk vulnerability has no id");
        }
        Severity sev = severity(p, c, severity, id);
        String project = from.isEmpty() ? (manager == null ? "dependencies" : manager + " dependencies") : from.get(0);
        String path = from.size() > 1 ? String.join(" > ", from.subList(1, from.size())) : null;
        return new Entry(project, id, sev, pkgName, version, fixedIn.isEmpty() ? null : String.join(", ", fixedIn),
                title, aliases, path == null ? new ArrayList<>() : new ArrayList<>(List.of(path)), 1);
    }

    /** CVE and GHSA ids, so an ignore rule may name either the Snyk id or the CVE. */
    private static void identifiers(JsonParser p, ReadContext c, List<String> aliases) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if ("CVE".equals(key) || "GHSA".equals(key)) {
                aliases.addAll(c.texts(p));
            } else {
                p.skipChildren();
            }
        }
    }

    private static Severity severity(JsonParser p, ReadContext c, String value, String id) {
        if (value == null || value.isEmpty()) {
            return Severity.UNKNOWN;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "high" -> Severity.HIGH;
            case "medium" -> Severity.MEDIUM;
            case "low" -> Severity.LOW;
            default -> throw c.invalid(p, id + ": severity '" + value
                    + "' is not one of Snyk's critical, high, medium, low");
        };
    }

    /** The entries of one issue in one package version, before they become one finding. */
    private record Entry(String project, String id, Severity severity, String pkgName, String version, String fixed,
            String title, List<String> aliases, List<String> paths, int pathCount) {

        String key() {
            return project + '\u0000' + id + '\u0000' + pkgName + '\u0000' + version;
        }

        Entry merge(Entry other) {
            if (paths.size() < Finding.MAX_PATHS) {
                other.paths.stream().filter(path -> !paths.contains(path)).limit(Finding.MAX_PATHS - paths.size())
                        .forEach(paths::add);
            }
            // the worst severity wins should Snyk ever disagree with itself across paths
            Severity worst = severity.compareTo(other.severity) >= 0 ? severity : other.severity;
            return new Entry(project, id, worst, pkgName, version, fixed != null ? fixed : other.fixed, title,
                    aliases, paths, pathCount + other.pathCount);
        }

        Finding finding() {
            String status = fixed != null ? "fixed" : "affected";
            return new Finding(FindingKind.VULNERABILITY, id, severity, project, null, pkgName, version, fixed, status,
                    paths.isEmpty() ? null : paths.get(0), null, title, "https://security.snyk.io/vuln/" + id,
                    aliases, paths, pathCount);
        }
    }
}
