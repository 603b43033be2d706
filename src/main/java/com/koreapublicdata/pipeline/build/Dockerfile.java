package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * A Dockerfile read as instructions, for the daemonless builder. Only the last stage becomes the image; earlier
 * stages (multi-stage builds) need a container runtime.
 *
 * @param file        where it was read from
 * @param from        the final stage's base image, with ARG defaults substituted
 * @param preambleArgs ARG defaults declared before the first FROM
 * @param stage       the final stage's instructions after its FROM
 * @param earlier     instructions of earlier stages (not carried out)
 */
public record Dockerfile(Path file, String from, Map<String, String> preambleArgs, List<Instruction> stage,
        List<Instruction> earlier) {

    /** One instruction: its first line number, keyword in upper case, and the rest of the line. */
    public record Instruction(int line, String keyword, String arguments) {
        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + arguments;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final ObjectMapper JSON = JsonMapping.mapper();

    public static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KoreaException.invalidInput("Dockerfile " + file + ": cannot read: " + e.getMessage());
        }
        List<Instruction> all = instructions(lines);
        int lastFrom = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        if (lastFrom < 0) {
            throw KoreaException.invalidInput("Dockerfile " + file + ": no FROM instruction");
        }
        Map<String, String> args = new LinkedHashMap<>();
        List<Instruction> earlier = new ArrayList<>();
        boolean seenFrom = false;
        for (int i = 0; i < lastFrom; i++) {
            Instruction instruction = all.get(i);
            seenFrom |= instruction.keyword().equals("FROM");
            if (!seenFrom && instruction.keyword().equals("ARG")) {
                String[] kv = instruction.arguments().split("=", 2);
                args.put(kv[0].trim(), kv.length > 1 ? unquote(kv[1].trim()) : "");
            } else {
                earlier.add(instruction);
            }
        }
        String from = baseOf(all.get(lastFrom), args, file);
        return new Dockerfile(file, from, args, List.copyOf(all.subList(lastFrom + 1, all.size())), List.copyOf(earlier));
    }

    /** Joins continuation lines, drops comments and blank lines. */
    static List<Instruction> instructions(List<String> lines) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current == null)) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(continues ? " " : "");
            if (!continues) {
                add(out, start, current.toString());
                current = null;
            }
        }
        if (current != null) {
            add(out, start, current.toString());
        }
        return out;
    }

    private static void add(List<Instruction> out, int line, String text) {
        String[] parts = text.strip().split("\\s+", 2);
        out.add(new Instruction(line, parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
    }

    private static String baseOf(Instruction from, Map<String, String> args, Path file) {
        List<String> words = new ArrayList<>(List.of(from.arguments().split("\\s+")));
        words.removeIf(w -> w.startsWith("--"));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw KoreaException.invalidInput("Dockerfile " + file + " line " + from.line() + ": FROM needs an image");
        }
        return substitute(words.get(0), args);
    }

    /** Replaces $VAR, ${VAR} and ${VAR:-default} with known values; unknown variables become empty, as in Docker. */
    static String substitute(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = variables.get(name);
            if ((value == null || value.isEmpty()) && m.group(2) != null) {
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Exec form ({@code ["node", "x.js"]}) as a list; shell form as {@code /bin/sh -c "..."}. */
    static List<String> commandLine(String arguments) {
        String trimmed = arguments.strip();
        if (trimmed.startsWith("[")) {
            try {
                return JSON.readValue(trimmed, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                // Docker treats an invalid JSON array as shell form too
            }
        }
        return List.of("/bin/sh", "-c", trimmed);
    }

    /** Splits {@code K=V K2="a b"} (or the legacy {@code K V}) into pairs. */
    static Map<String, String> keyValues(String arguments) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(arguments);
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            // legacy form: ENV KEY the rest is the value
            String rest = arguments.strip().substring(words.get(0).length()).strip();
            out.put(words.get(0), unquote(rest));
            return out;
        }
        for (String word : words) {
            String[] kv = word.split("=", 2);
            out.put(kv[0], kv.length > 1 ? unquote(kv[1]) : "");
        }
        return out;
    }

    /** Splits on blanks outside quotes; quotes are kept for {@link #unquote}. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                word.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word.append(c);
            } else if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        // K="a b" split as one word keeps inner quotes around the value part
        return v.replace("\"", "");
    }
}
