package com.koreapublicdata.pipeline.scan;

import java.io.PrintWriter;

/** Writes a {@link ScanReport} in one format. */
public interface ScanRenderer {

    /** The format id used by {@code --format}: text, json, sarif, junit, html. */
    String id();

    /** Writes the report; {@code color} lets text output use ANSI colours. */
    void render(ScanReport report, PrintWriter out, boolean color);
}
