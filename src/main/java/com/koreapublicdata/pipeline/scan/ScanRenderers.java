package com.koreapublicdata.pipeline.scan;

import java.util.List;

import com.koreapublicdata.pipeline.KoreaException;

/** The output formats of {@code korea scan}, keyed by id. */
public final class ScanRenderers {
    private static final List<ScanRenderer> ALL = List.of(new TextRenderer(), new JsonRenderer(), new SarifRenderer(),
            new JunitRenderer(), new HtmlRenderer());

    private ScanRenderers() {
    }

    public static List<String> ids() {
        return ALL.stream().map(ScanRenderer::id).toList();
    }

    /** The renderer for {@code id}; an unknown id is invalid input naming the known ones. */
    public static ScanRenderer get(String id) {
        return ALL.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> KoreaException.invalidInput(
                "--format " + id + " is not a scan format; allowed: " + String.join(", ", ids())));
    }
}
