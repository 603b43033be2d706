package com.koreapublicdata.pipeline.cli;

/** The result formats most commands offer; {@code korea scan} adds its own. */
public enum OutputFormat {
    text, json
}
