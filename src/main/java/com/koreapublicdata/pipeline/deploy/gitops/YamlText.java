package com.koreapublicdata.pipeline.deploy.gitops;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.koreapublicdata.pipeline.KoreaException;

/**
 * A YAML file edited in place: every change splices the text at the positions the parser reports, so
 * comments, key order, quoting and blank lines elsewhere in the file stay as the user wrote them. Only block
 * style is edited in place; a non-empty flow collection ({@code [a, b]}) that must change makes the file be
 * re-rendered once (losing comments), which {@link #rerendered()} reports.
 */
final class YamlText {

    /** Thrown by an edit that needs block style where the file uses flow style. */
    static final class NeedsBlockStyle extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedsBlockStyle() {
            super(null, null, false, false);
        }
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@:+-]*");
    private static final Resolver RESOLVER = new Resolver();

    private final String source;
    private final String eol;
    private String text;
    private Node root;
    private boolean rerendered;

    YamlText(String source, String text) {
        this.source = source;
        this.text = text;
        this.eol = text.contains("\r\n") ? "\r\n" : "\n";
        reparse();
    }

    String text() {
        return text;
    }

    String source() {
        return source;
    }

    /** The document's root node; null for an empty file (or one with only comments). */
    Node root() {
        return root;
    }

    boolean rerendered() {
        return rerendered;
    }

    private void reparse() {
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw KoreaException.invalidInput(source + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root instanceof ScalarNode s && isNull(s)) {
            root = null;
        }
    }

    // ---------------------------------------------------------------- reading

    static NodeTuple entry(MappingNode map, String key) {
        if (map == null) {
            return null;
        }
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    static Node value(MappingNode map, String key) {
        NodeTuple tuple = entry(map, key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The text of a scalar, null for a missing node, a null scalar or a collection. */
    static String string(Node node) {
        return node instanceof ScalarNode s && !isNull(s) ? s.getValue() : null;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static boolean isBlock(Node node) {
        return node instanceof MappingNode m ? m.getFlowStyle() == DumperOptions.FlowStyle.BLOCK
                : node instanceof SequenceNode s && s.getFlowStyle() == DumperOptions.FlowStyle.BLOCK;
    }

    // ---------------------------------------------------------------- editing

    /** Sets {@code key} in a block mapping to a string, adding the entry after the mapping's last one if absent. */
    void put(MappingNode map, String key, String value) {
        NodeTuple tuple = entry(map, key);
        if (tuple != null) {
            Node node = tuple.getValueNode();
            if (!(node instanceof ScalarNode scalar)) {
                throw KoreaException.invalidInput(source + " line " + line(node) + ": '" + key + "' must be a string");
            }
            if (value.equals(string(scalar))) {
                return;
            }
            int start = idx(scalar.getStartMark());
            int end = scalarEnd(scalar);
            if (isNull(scalar) && start == end) {
                // "key:" with nothing after it: write the value right after the colon
                int colon = text.indexOf(':', idx(tuple.getKeyNode().getEndMark()));
                splice(colon + 1, colon + 1, " " + format(value));
            } else {
                splice(start, end, format(value));
            }
            return;
        }
        insertEntry(map, List.of(key + ": " + format(value)));
    }

    /**
     * Adds lines (a new entry, indented relative to the mapping) after the mapping's last entry; with a null
     * mapping, at the end of the document.
     */
    void insertEntry(MappingNode map, List<String> relativeLines) {
        if (map == null) {
            String block = String.join(eol, relativeLines) + eol;
            splice(text.length(), text.length(), text.isEmpty() || text.endsWith("\n") ? block : eol + block);
            return;
        }
        if (!isBlock(map) || map.getValue().isEmpty()) {
            throw new NeedsBlockStyle();
        }
        String indent = " ".repeat(map.getValue().get(0).getKeyNode().getStartMark().getColumn());
        List<String> lines = new ArrayList<>();
        relativeLines.forEach(l -> lines.add(indent + l));
        insertAfter(contentEnd(map), lines);
    }

    /** Removes {@code key} and its value (all its lines) from a block mapping. */
    void remove(MappingNode map, String key) {
        NodeTuple tuple = entry(map, key);
        if (tuple == null) {
            return;
        }
        if (!isBlock(map)) {
            throw new NeedsBlockStyle();
        }
        int keyStart = idx(tuple.getKeyNode().getStartMark());
        int lineStart = lineStart(keyStart);
        int end = lineEndInclusive(tupleEnd(tuple));
        if (!text.substring(lineStart, keyStart).isBlank()) {
            // the key shares its line with a sequence dash ("- newTag: x"): pull the next key up onto that line
            int i = map.getValue().indexOf(tuple);
            if (i + 1 >= map.getValue().size()) {
                throw new NeedsBlockStyle();
            }
            splice(keyStart, idx(map.getValue().get(i + 1).getKeyNode().getStartMark()), "");
            return;
        }
        splice(lineStart, end, "");
    }

    /** Appends an item (a mapping given as key/value pairs) to a non-empty block sequence. */
    void appendItem(SequenceNode seq, List<String[]> fields) {
        if (!isBlock(seq) || seq.getValue().isEmpty()) {
            throw new NeedsBlockStyle();
        }
        Node first = seq.getValue().get(0);
        int firstStart = idx(first.getStartMark());
        int dash = text.lastIndexOf('-', firstStart - 1);
        int dashColumn = dash - lineStart(dash);
        int contentColumn = first.getStartMark().getColumn();
        if (contentColumn <= dashColumn) {
            contentColumn = dashColumn + 2;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String prefix = i == 0 ? " ".repeat(dashColumn) + "-" + " ".repeat(contentColumn - dashColumn - 1)
                    : " ".repeat(contentColumn);
            lines.add(prefix + fields.get(i)[0] + ": " + format(fields.get(i)[1]));
        }
        insertAfter(contentEnd(seq), lines);
    }

    /** Removes one item (all its lines) from a block sequence. */
    void removeItem(SequenceNode seq, int index) {
        if (!isBlock(seq)) {
            throw new NeedsBlockStyle();
        }
        Node item = seq.getValue().get(index);
        int start = idx(item.getStartMark());
        int dash = text.lastIndexOf('-', start - 1);
        int lineStart = lineStart(dash);
        if (!text.substring(lineStart, dash).isBlank()) {
            throw new NeedsBlockStyle();
        }
        splice(lineStart, lineEndInclusive(contentEnd(item)), "");
    }

    /** Re-renders the whole document in block style (comments are lost); used once when flow style is in the way. */
    void rerenderInBlockStyle() {
        try {
            YAMLMapper mapper = YAMLMapper.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build();
            Object data = mapper.readValue(text, Object.class);
            String rendered = mapper.writeValueAsString(data);
            text = eol.equals("\n") ? rendered : rendered.replace("\n", eol);
            rerendered = true;
            reparse();
        } catch (JsonProcessingException e) {
            throw KoreaException.invalidInput(source + " is not valid YAML: " + e.getOriginalMessage());
        }
    }

    // ---------------------------------------------------------------- positions

    int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** Marks count code points; the text is indexed in chars. */
    private int idx(Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    private int scalarEnd(ScalarNode scalar) {
        int start = idx(scalar.getStartMark());
        int end = idx(scalar.getEndMark());
        // a block scalar (| or >) ends after its trailing line breaks
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** Where a node's last character is, ignoring the trailing line breaks and comments the parser counts in. */
    private int contentEnd(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalarEnd(scalar);
        }
        if (node instanceof MappingNode map && !map.getValue().isEmpty()) {
            return tupleEnd(map.getValue().get(map.getValue().size() - 1));
        }
        if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
            return contentEnd(seq.getValue().get(seq.getValue().size() - 1));
        }
        return idx(node.getEndMark());
    }

    private int tupleEnd(NodeTuple tuple) {
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode s && isNull(s) && idx(s.getStartMark()) == idx(s.getEndMark())) {
            // "key:" with an empty value: the parser puts the empty scalar's mark at the next token
            return text.indexOf(':', idx(tuple.getKeyNode().getEndMark())) + 1;
        }
        return contentEnd(value);
    }

    private int lineStart(int index) {
        return text.lastIndexOf('\n', index - 1) + 1;
    }

    private int lineEndInclusive(int index) {
        int nl = text.indexOf('\n', index);
        return nl < 0 ? text.length() : nl + 1;
    }

    private void insertAfter(int contentEnd, List<String> lines) {
        String block = String.join(eol, lines) + eol;
        int nl = text.indexOf('\n', contentEnd);
        if (nl < 0) {
            splice(text.length(), text.length(), eol + block);
        } else {
            splice(nl + 1, nl + 1, block);
        }
    }

    private void splice(int start, int end, String replacement) {
        text = text.substring(0, start) + replacement + text.substring(end);
        reparse();
    }

    /** A string as a YAML scalar: plain when it reads back as the same string, double-quoted otherwise. */
    static String format(String value) {
        if (PLAIN.matcher(value).matches() && !value.endsWith(":")
                && Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true))) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
