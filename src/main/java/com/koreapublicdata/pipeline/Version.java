package com.koreapublicdata.pipeline;

/** The engine's version, from the jar manifest (set by the build), or "dev" when run from classes. */
public final class Version {
    private Version() {
    }

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
