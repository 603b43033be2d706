package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * Trivy's ignore files, with Trivy's semantics.
 * <ul>
 * <li>{@code .trivyignore}: one id a line; {@code #} comments and blank lines skipped; the first field is the id,
 * {@code exp:YYYY-MM-DD} may follow; a malformed date drops the line with a warning. Ids apply to every kind.</li>
 * <li>{@code .trivyignore.yaml} (any {@code .yml}/{@code .yaml} file): lists under {@code vulnerabilities},
 * {@code misconfigurations}, {@code secrets}, {@code licenses} of {@code {id, paths, purls, expired_at,
 * statement}}.</li>
 * </ul>
 * An exception stops applying at 00:00 UTC of its expiry date.
 */
public final class IgnoreRules {
    private static final IgnoreRules NONE = new IgnoreRules(null, List.of(), List.of());

    private final Path file;
    private final List<IgnoreRule> rules;
    private final List<String> warnings;
    private final Map<String, List<Compiled>> byId = new HashMap<>();

    private IgnoreRules(Path file, List<IgnoreRule> rules, List<String> warnings) {
        this.file = file;
        this.rules = List.copyOf(rules);
        this.warnings = List.copyOf(warnings);
        for (IgnoreRule rule : this.rules) {
            byId.computeIfAbsent(rule.id(), k -> new ArrayList<>()).add(new Compiled(rule));
        }
    }

    public static IgnoreRules none() {
        return NONE;
    }

    /**
     * Loads an ignore file. A missing file is an error when it was asked for explicitly ({@code required}), and
     * no rules otherwise (as Trivy treats its default {@code .trivyignore}).
     */
    public static IgnoreRules load(Path file, boolean required) {
        if (file == null) {
            return NONE;
        }
        if (!Files.exists(file)) {
            if (required) {
                throw KoreaException.invalidInput("ignore file " + file + " does not exist");
            }
            return NONE;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KoreaException.invalidInput("ignore file " + file + ": cannot read: " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? parseYaml(file, text) : parseText(file, text);
    }

    /** Parses the plain {@code .trivyignore} format. */
    static IgnoreRules parseText(Path file, String text) {
        List<IgnoreRule> rules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String source = file.getFileName() + ":" + (i + 1);
            String expires = null;
            Instant expiresAt = null;
            boolean bad = false;
            for (int f = 1; f < fields.length; f++) {
                if (fields[f].startsWith("exp:")) {
                    expires = fields[f].substring(4);
                    try {
                        expiresAt = LocalDate.parse(expires).atStartOfDay(ZoneOffset.UTC).toInstant();
                    } catch (DateTimeParseException e) {
                        warnings.add(source + ": '" + fields[f] + "' is not exp:YYYY-MM-DD; the line is dropped "
                                + "(as Trivy does), so " + fields[0] + " is not ignored");
                        bad = true;
                    }
                    break;
                }
            }
            if (bad) {
                continue;
            }
            int hash = line.indexOf('#');
            String comment = hash > 0 ? line.substring(hash + 1).strip() : null;
            rules.add(new IgnoreRule(fields[0], null, List.of(), List.of(), expires, expiresAt,
                    comment == null || comment.isEmpty() ? null : comment, source));
        }
        return new IgnoreRules(file, rules, warnings);
    }

    /** Parses {@code .trivyignore.yaml}. */
    static IgnoreRules parseYaml(Path file, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw KoreaException.invalidInput("ignore file " + file + ": not valid YAML: " + e.getMessage());
        }
        List<IgnoreRule> rules = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new IgnoreRules(file, rules, List.of());
        }
        if (!root.isObject()) {
            throw KoreaException.invalidInput("ignore file " + file + ": expected a map with vulnerabilities, "
                    + "misconfigurations, secrets or licenses");
        }
        Map<String, FindingKind> sections = Map.of("vulnerabilities", FindingKind.VULNERABILITY,
                "misconfigurations", FindingKind.MISCONFIGURATION, "secrets", FindingKind.SECRET,
                "licenses", FindingKind.LICENSE);
        var fields = root.fields();
        while (fields.hasNext()) {
            var section = fields.next();
            FindingKind kind = sections.get(section.getKey());
            if (kind == null) {
                throw KoreaException.invalidInput("ignore file " + file + ": unknown key '" + section.getKey()
                        + "'; allowed: vulnerabilities, misconfigurations, secrets, licenses");
            }
            JsonNode list = section.getValue();
            if (list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                throw KoreaException.invalidInput("ignore file " + file + ": " + section.getKey() + " must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                rules.add(entry(file, section.getKey() + "[" + i + "]", kind, list.get(i)));
            }
        }
        return new IgnoreRules(file, rules, List.of());
    }

    private static IgnoreRule entry(Path file, String where, FindingKind kind, JsonNode node) {
        String source = file.getFileName() + ": " + where;
        if (!node.isObject() || !node.hasNonNull("id") || node.get("id").asText().isBlank()) {
            throw KoreaException.invalidInput("ignore file " + file + ": " + where + " needs an id");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!List.of("id", "paths", "purls", "expired_at", "statement").contains(name)) {
                throw KoreaException.invalidInput("ignore file " + file + ": " + where + "." + name
                        + " is not a field; allowed: id, paths, purls, expired_at, statement");
            }
        }
        List<String> purls = strings(file, where, node, "purls");
        if (!purls.isEmpty() && kind != FindingKind.VULNERABILITY) {
            throw KoreaException.invalidInput("ignore file " + file + ": " + where
                    + ".purls applies to vulnerabilities only");
        }
        for (String purl : purls) {
            if (Purl.parse(purl) == null) {
                throw KoreaException.invalidInput("ignore file " + file + ": " + where + ".purls: '" + purl
                        + "' is not a package URL (pkg:type/namespace/name@version)");
            }
        }
        String expires = null;
        Instant expiresAt = null;
        if (node.hasNonNull("expired_at")) {
            expires = node.get("expired_at").asText();
            expiresAt = parseExpiry(expires);
            if (expiresAt == null) {
                throw KoreaException.invalidInput("ignore file " + file + ": " + where + ".expired_at: '" + expires
                        + "' is not a date (YYYY-MM-DD)");
            }
        }
        String statement = node.hasNonNull("statement") ? node.get("statement").asText() : null;
        return new IgnoreRule(node.get("id").asText(), kind, strings(file, where, node, "paths"), purls, expires,
                expiresAt, statement, source);
    }

    private static Instant parseExpiry(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static List<String> strings(Path file, String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isTextual()) {
            out.add(value.asText());
            return out;
        }
        if (!value.isArray()) {
            throw KoreaException.invalidInput("ignore file " + file + ": " + where + "." + field
                    + " must be a list of strings");
        }
        value.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** The file the rules came from, or null when there is none. */
    public Path file() {
        return file;
    }

    public List<IgnoreRule> rules() {
        return rules;
    }

    /** Lines dropped while reading (malformed dates). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The rule that applies to {@code finding}: the first active match, else the first expired match (which no
     * longer suppresses but is reported), else null.
     */
    IgnoreRule match(Finding finding, Instant now) {
        if (byId.isEmpty()) {
            return null; // no ignore file: the common case, once per finding
        }
        IgnoreRule expired = null;
        IgnoreRule rule = scan(byId.get(finding.id()), finding, now);
        if (rule != null && rule.activeAt(now)) {
            return rule;
        }
        expired = rule;
        for (String alias : finding.aliases()) {
            IgnoreRule byAlias = scan(byId.get(alias), finding, now);
            if (byAlias != null && byAlias.activeAt(now)) {
                return byAlias;
            }
            if (expired == null) {
                expired = byAlias;
            }
        }
        return expired;
    }

    private static IgnoreRule scan(List<Compiled> candidates, Finding finding, Instant now) {
        if (candidates == null) {
            return null;
        }
        IgnoreRule expired = null;
        for (Compiled c : candidates) {
            if (c.matches(finding)) {
                if (c.rule.activeAt(now)) {
                    return c.rule;
                }
                if (expired == null) {
                    expired = c.rule;
                }
            }
        }
        return expired;
    }

    /** A rule with its globs and purls parsed once. */
    private static final class Compiled {
        final IgnoreRule rule;
        final List<com.koreapublicdata.pipeline.Glob> globs;
        final List<Purl> purls;

        Compiled(IgnoreRule rule) {
            this.rule = rule;
            this.globs = rule.paths().stream().map(com.koreapublicdata.pipeline.Glob::new).toList();
            this.purls = rule.purls().stream().map(Purl::parse).toList();
        }

        boolean matches(Finding f) {
            if (rule.kind() != null && rule.kind() != f.kind()) {
                return false;
            }
            if (!globs.isEmpty() && globs.stream().noneMatch(g -> g.matches(f.target()) || g.matches(f.pkgPath()))) {
                return false;
            }
            if (!purls.isEmpty()) {
                Purl found = Purl.parse(f.purl());
                return purls.stream().anyMatch(p -> p.covers(found));
            }
            return true;
        }
    }
}
