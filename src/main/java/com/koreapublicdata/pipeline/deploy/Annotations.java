package com.koreapublicdata.pipeline.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/** The annotations korea writes on the workload, so {@code korea status} can tell what runs and who approved it. */
public final class Annotations {
    public static final String PREFIX = "korea-pipeline.io/";
    public static final String VERSION = PREFIX + "version";
    public static final String IMAGE = PREFIX + "image";
    public static final String APPROVED_BY = PREFIX + "approved-by";
    public static final String APPROVAL_SOURCE = PREFIX + "approval-source";
    public static final String BUILD = PREFIX + "build";
    public static final String COMMIT = PREFIX + "commit";
    public static final String DEPLOYED_AT = PREFIX + "deployed-at";

    private Annotations() {
    }

    static Map<String, String> of(String version, String image, String approver, String approvalSource, String build,
            String commit, java.time.Instant at) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(VERSION, version);
        a.put(IMAGE, image);
        // empty rather than absent, so an earlier approver never shows for an unapproved deploy
        a.put(APPROVED_BY, approver == null ? "" : approver);
        a.put(APPROVAL_SOURCE, approvalSource == null ? "" : approvalSource);
        a.put(BUILD, build == null ? "" : build);
        a.put(COMMIT, commit == null ? "" : commit);
        a.put(DEPLOYED_AT, at.toString());
        return a;
    }
}
