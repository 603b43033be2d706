package com.koreapublicdata.pipeline.scan;

/** What a scanner found: the four kinds Trivy reports, each with its own list in a result. */
public enum FindingKind {
    VULNERABILITY("vulnerability", "vulnerabilities"),
    MISCONFIGURATION("misconfiguration", "misconfigurations"),
    SECRET("secret", "secrets"),
    LICENSE("license", "licenses");

    private final String id;
    private final String plural;

    FindingKind(String id, String plural) {
        this.id = id;
        this.plural = plural;
    }

    /** The kebab-case id used in JSON output and in the scan record. */
    public String id() {
        return id;
    }

    /** The key of this kind in {@code counts}. */
    public String plural() {
        return plural;
    }
}
