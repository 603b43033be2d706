package com.koreapublicdata.pipeline.deploy.gitops;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.GitOpsTarget;

/**
 * The image of one component in one overlay file: kustomize's {@code images:} entry (matched by
 * {@code name}) or the value at a dotted path in Helm values. Reads and writes the YAML text in place.
 *
 * @param format    kustomize or helm
 * @param file      the file inside the repository (for messages)
 * @param imageName kustomize: the image name the base manifests use, matched by the entry's {@code name}
 * @param keys      helm: the dotted values path, split
 */
record Overlay(GitOpsTarget.Format format, String file, String imageName, List<String> keys) {

    private static final YAMLMapper JACKSON = new YAMLMapper();

    /** The result of an edit: the new text (equal to the old one when nothing changed). */
    record Edit(String text, boolean rerendered) {
    }

    /** What the file says the image is now. */
    Optional<String> currentImage(String text) {
        YamlText doc = new YamlText(file, text);
        if (format == GitOpsTarget.Format.KUSTOMIZE) {
            MappingNode item = kustomizeItem(doc);
            if (item == null) {
                return Optional.empty();
            }
            String newName = YamlText.string(YamlText.value(item, "newName"));
            String tag = YamlText.string(YamlText.value(item, "newTag"));
            String digest = YamlText.string(YamlText.value(item, "digest"));
            return Optional.of(join(newName == null ? imageName : newName, tag, digest));
        }
        Node node = helmNode(doc);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof MappingNode map) {
            String repository = YamlText.string(YamlText.value(map, "repository"));
            if (repository == null) {
                return Optional.empty();
            }
            return Optional.of(join(repository, YamlText.string(YamlText.value(map, "tag")),
                    YamlText.string(YamlText.value(map, "digest"))));
        }
        return Optional.ofNullable(YamlText.string(node));
    }

    // what the file holds, as it is: reading reports it, writing back goes through ImageReference's checks
    private static String join(String repository, String tag, String digest) {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** Writes {@code image}, touching only this component's entry. */
    Edit setImage(String text, ImageReference image) {
        YamlText doc = new YamlText(file, text);
        try {
            write(doc, image);
        } catch (YamlText.NeedsBlockStyle e) {
            doc = new YamlText(file, text);
            doc.rerenderInBlockStyle();
            write(doc, image);
        }
        verify(text, doc.text(), image);
        return new Edit(doc.text(), doc.rerendered());
    }

    /** Removes this component's entry (a revert of the deploy that added it). */
    Edit removeImage(String text) {
        YamlText doc = new YamlText(file, text);
        try {
            remove(doc);
        } catch (YamlText.NeedsBlockStyle e) {
            doc = new YamlText(file, text);
            doc.rerenderInBlockStyle();
            remove(doc);
        }
        verify(text, doc.text(), null);
        return new Edit(doc.text(), doc.rerendered());
    }

    // ---------------------------------------------------------------- kustomize

    private MappingNode rootMapping(YamlText doc) {
        Node root = doc.root();
        if (root == null) {
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            throw KoreaException.invalidInput(file + ": the top level must be a mapping");
        }
        return map;
    }

    private SequenceNode images(YamlText doc) {
        Node images = YamlText.value(rootMapping(doc), "images");
        if (images == null || YamlText.isNull(images)) {
            return null;
        }
        if (!(images instanceof SequenceNode seq)) {
            throw KoreaException.invalidInput(file + " line " + doc.line(images) + ": images must be a list");
        }
        return seq;
    }

    private int kustomizeIndex(YamlText doc) {
        SequenceNode images = images(doc);
        if (images == null) {
            return -1;
        }
        for (int i = 0; i < images.getValue().size(); i++) {
            Node item = images.getValue().get(i);
            if (item instanceof MappingNode map && imageName.equals(YamlText.string(YamlText.value(map, "name")))) {
                return i;
            }
        }
        return -1;
    }

    private MappingNode kustomizeItem(YamlText doc) {
        int i = kustomizeIndex(doc);
        return i < 0 ? null : (MappingNode) images(doc).getValue().get(i);
    }

    private void writeKustomize(YamlText doc, ImageReference image) {
        String tag = image.digest() == null ? image.tag() : null;
        MappingNode item = kustomizeItem(doc);
        if (item == null) {
            List<String[]> fields = new ArrayList<>();
            fields.add(new String[] {"name", imageName});
            if (!image.repository().equals(imageName)) {
                fields.add(new String[] {"newName", image.repository()});
            }
            if (tag != null) {
                fields.add(new String[] {"newTag", tag});
            }
            if (image.digest() != null) {
                fields.add(new String[] {"digest", image.digest()});
            }
            SequenceNode images = images(doc);
            if (images != null && !images.getValue().isEmpty()) {
                doc.appendItem(images, fields);
                return;
            }
            if (YamlText.entry(rootMapping(doc), "images") != null) {
                // "images:" or "images: []": replace the entry with a block list
                doc.remove(rootMapping(doc), "images");
            }
            List<String> lines = new ArrayList<>();
            lines.add("images:");
            for (int i = 0; i < fields.size(); i++) {
                lines.add((i == 0 ? "- " : "  ") + fields.get(i)[0] + ": " + YamlText.format(fields.get(i)[1]));
            }
            doc.insertEntry(rootMapping(doc), lines);
            return;
        }
        boolean hadNewName = YamlText.entry(item, "newName") != null;
        String newName = hadNewName || !image.repository().equals(imageName) ? image.repository() : null;
        setOrRemove(doc, "newName", newName);
        setOrRemove(doc, "newTag", tag);
        setOrRemove(doc, "digest", image.digest());
    }

    private void setOrRemove(YamlText doc, String key, String value) {
        MappingNode item = kustomizeItem(doc);
        if (!YamlText.isBlock(item) && !Objects.equals(YamlText.string(YamlText.value(item, key)), value)) {
            throw new YamlText.NeedsBlockStyle();
        }
        if (value == null) {
            doc.remove(item, key);
        } else {
            doc.put(item, key, value);
        }
    }

    // ---------------------------------------------------------------- helm

    private Node helmNode(YamlText doc) {
        Node node = doc.root();
        for (String key : keys) {
            if (node == null) {
                return null;
            }
            if (!(node instanceof MappingNode map)) {
                throw KoreaException.invalidInput(file + " line " + doc.line(node) + ": expected a mapping on the way to "
                        + String.join(".", keys));
            }
            node = YamlText.value(map, key);
        }
        return node == null || YamlText.isNull(node) ? null : node;
    }

    private void writeHelm(YamlText doc, ImageReference image) {
        MappingNode parent = rootMapping(doc);
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            NodeTuple tuple = YamlText.entry(parent, key);
            boolean last = i == keys.size() - 1;
            if (tuple != null && YamlText.isNull(tuple.getValueNode()) && !last) {
                doc.remove(parent, key);
                writeHelm(doc, image);
                return;
            }
            if (tuple == null) {
                List<String> lines = new ArrayList<>();
                for (int j = i; j < keys.size(); j++) {
                    String indent = "  ".repeat(j - i);
                    lines.add(indent + keys.get(j) + ":" + (j == keys.size() - 1 ? " " + YamlText.format(image.toString()) : ""));
                }
                doc.insertEntry(parent, lines);
                return;
            }
            Node value = tuple.getValueNode();
            if (last) {
                if (value instanceof MappingNode map) {
                    writeHelmParts(doc, image);
                } else {
                    doc.put(parent, key, image.toString());
                }
                return;
            }
            if (!(value instanceof MappingNode map)) {
                throw KoreaException.invalidInput(file + " line " + doc.line(value) + ": '" + key + "' must be a mapping to hold "
                        + String.join(".", keys));
            }
            parent = map;
        }
    }

    /** A chart's {@code image: {repository, tag, digest}} mapping. */
    private void writeHelmParts(YamlText doc, ImageReference image) {
        putHelmPart(doc, "repository", image.repository());
        if (image.tag() != null) {
            putHelmPart(doc, "tag", image.tag());
        }
        putHelmPart(doc, "digest", image.digest());
    }

    private void putHelmPart(YamlText doc, String key, String value) {
        MappingNode map = (MappingNode) helmNode(doc);
        if (!YamlText.isBlock(map) && !Objects.equals(YamlText.string(YamlText.value(map, key)), value)) {
            throw new YamlText.NeedsBlockStyle();
        }
        if (value == null) {
            doc.remove(map, key);
        } else {
            doc.put(map, key, value);
        }
    }

    private void write(YamlText doc, ImageReference image) {
        if (format == GitOpsTarget.Format.KUSTOMIZE) {
            writeKustomize(doc, image);
        } else {
            writeHelm(doc, image);
        }
    }

    private void remove(YamlText doc) {
        if (format == GitOpsTarget.Format.KUSTOMIZE) {
            int i = kustomizeIndex(doc);
            if (i < 0) {
                return;
            }
            SequenceNode images = images(doc);
            if (images.getValue().size() == 1) {
                doc.remove(rootMapping(doc), "images");
            } else {
                doc.removeItem(images, i);
            }
            return;
        }
        MappingNode parent = rootMapping(doc);
        for (int i = 0; i < keys.size() - 1 && parent != null; i++) {
            Node next = YamlText.value(parent, keys.get(i));
            parent = next instanceof MappingNode map ? map : null;
        }
        if (parent != null) {
            doc.remove(parent, keys.get(keys.size() - 1));
        }
    }

    // ---------------------------------------------------------------- verification

    /**
     * Checks the edit with a second parser: the image reads back as written, and with this component's entry
     * taken out, the old and new documents are equal -- we touched nothing else. Fails closed otherwise.
     */
    private void verify(String before, String after, ImageReference image) {
        JsonNode oldTree = tree(before);
        JsonNode newTree = tree(after);
        JsonNode written = extract(newTree);
        boolean ok;
        if (image == null) {
            ok = written == null;
        } else if (format == GitOpsTarget.Format.KUSTOMIZE) {
            ok = written != null
                    && image.repository().equals(text(written, "newName") == null ? imageName : text(written, "newName"))
                    && Objects.equals(text(written, "digest"), image.digest())
                    && Objects.equals(text(written, "newTag"), image.digest() == null ? image.tag() : null);
        } else if (written != null && written.isObject()) {
            ok = image.repository().equals(text(written, "repository")) && Objects.equals(text(written, "digest"), image.digest())
                    && (image.tag() == null || image.tag().equals(text(written, "tag")));
        } else {
            ok = written != null && image.toString().equals(written.asText());
        }
        if (!ok || !Objects.equals(prune(oldTree), prune(newTree))) {
            throw new KoreaException(ExitCode.FAILURE, "editing " + file + " did not produce the intended change (only the image of "
                    + (format == GitOpsTarget.Format.KUSTOMIZE ? "'" + imageName + "'" : String.join(".", keys))
                    + "); nothing was committed. Please report this with the file attached.");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode tree(String text) {
        try {
            JsonNode node = JACKSON.readTree(text);
            return node == null || node.isMissingNode() || node.isNull() ? JACKSON.createObjectNode() : node;
        } catch (java.io.IOException e) {
            throw KoreaException.invalidInput("not valid YAML: " + e.getMessage());
        }
    }

    private JsonNode extract(JsonNode root) {
        if (format == GitOpsTarget.Format.KUSTOMIZE) {
            JsonNode images = root.get("images");
            if (images instanceof ArrayNode array) {
                for (JsonNode item : array) {
                    if (imageName.equals(text(item, "name"))) {
                        return item;
                    }
                }
            }
            return null;
        }
        JsonNode node = root;
        for (String key : keys) {
            node = node == null ? null : node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    /** The document without this component's entry, empty containers on its way removed. */
    private JsonNode prune(JsonNode original) {
        JsonNode root = original.deepCopy();
        if (!(root instanceof ObjectNode object)) {
            return root;
        }
        if (format == GitOpsTarget.Format.KUSTOMIZE) {
            JsonNode images = object.get("images");
            if (images instanceof ArrayNode array) {
                for (Iterator<JsonNode> it = array.elements(); it.hasNext();) {
                    if (imageName.equals(text(it.next(), "name"))) {
                        it.remove();
                    }
                }
            }
            if (images == null || images.isNull() || images.isEmpty()) {
                object.remove("images");
            }
            return object;
        }
        pruneHelm(object, 0);
        return object;
    }

    private void pruneHelm(ObjectNode node, int depth) {
        String key = keys.get(depth);
        if (depth == keys.size() - 1) {
            node.remove(key);
            return;
        }
        JsonNode child = node.get(key);
        if (child instanceof ObjectNode object) {
            pruneHelm(object, depth + 1);
            if (object.isEmpty()) {
                node.remove(key);
            }
        } else if (child != null && child.isNull()) {
            node.remove(key);
        }
    }
}
