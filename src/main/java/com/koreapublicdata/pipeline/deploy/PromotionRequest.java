package com.koreapublicdata.pipeline.deploy;

import java.time.Duration;

/**
 * What {@code korea promote} asks for.
 *
 * @param component      component name in korea.yaml
 * @param environment    environment name in korea.yaml
 * @param image          image reference as built (tag and/or digest)
 * @param approvedBy     who approved, or null
 * @param approvalSource how approval was given: jenkins-input, github-environment or cli; null means cli when approvedBy is set
 * @param buildUrl       the CI build doing it (lock holder and annotation), or null
 * @param timeout        overrides the environment's timeout, or null
 * @param confirm        blue-green: promote the preview to active (a person confirmed) instead of stopping at awaiting-promotion
 * @param version        the version label people recognise (tag, git sha), or null to take it from the image tag
 * @param commit         the git commit deployed, or null
 * @param authorization  approvers, requester, reason, signed record, break-glass (change control); from approvedBy when null
 * @param commitTime     when that commit was made (its committer time; for the lead-time KPI), or null
 * @param wave           set when this request is one cluster of a multi-cluster promotion ({@link WavePromoter}), the
 *                       wave's number: the gates were checked once before the first wave and the wave promotion holds
 *                       this cluster's lock, so {@link Promoter} does neither again; null otherwise
 */
public record PromotionRequest(String component, String environment, String image, String approvedBy,
        String approvalSource, String buildUrl, Duration timeout, boolean confirm, String version, String commit,
        com.koreapublicdata.pipeline.control.Authorization authorization, java.time.Instant commitTime, Integer wave) {

    public PromotionRequest(String component, String environment, String image, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout, boolean confirm, String version, String commit,
            com.koreapublicdata.pipeline.control.Authorization authorization, java.time.Instant commitTime) {
        this(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, confirm, version, commit,
                authorization, commitTime, null);
    }

    /** This request as wave {@code n} of a multi-cluster promotion sends it to one cluster. */
    public PromotionRequest inWave(int n) {
        return new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, confirm,
                version, commit, authorization, commitTime, n);
    }

    public PromotionRequest(String component, String environment, String image, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout, boolean confirm, String version, String commit,
            com.koreapublicdata.pipeline.control.Authorization authorization) {
        this(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, confirm, version, commit,
                authorization, (java.time.Instant) null);
    }

    public PromotionRequest(String component, String environment, String image, String approvedBy, String approvalSource,
            String buildUrl, Duration timeout, boolean confirm, String version, String commit) {
        this(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, confirm, version, commit, null);
    }

    public static final java.util.List<String> APPROVAL_SOURCES = java.util.List.of("jenkins-input", "github-environment", "cli");

    public PromotionRequest {
        if (approvedBy != null && approvedBy.isBlank()) {
            approvedBy = null;
        }
        if (authorization == null) {
            authorization = com.koreapublicdata.pipeline.control.Authorization.of(approvedBy);
        }
        if (approvedBy == null && !authorization.approvers().isEmpty()) {
            approvedBy = String.join(", ", authorization.distinctApprovers());
        } else if (approvedBy == null && authorization.approval() != null) {
            approvedBy = String.join(", ", authorization.approval().approverNames()); // checked by change control
        }
        if (approvalSource == null && approvedBy != null) {
            approvalSource = "cli";
        }
    }

    /** A request with only the required fields. */
    public static PromotionRequest of(String component, String environment, String image) {
        return new PromotionRequest(component, environment, image, null, null, null, null, false, null, null);
    }

    public PromotionRequest approvedBy(String user, String source) {
        return new PromotionRequest(component, environment, image, user, source, buildUrl, timeout, confirm, version, commit, null,
                commitTime);
    }

    public PromotionRequest withBuildUrl(String url) {
        return new PromotionRequest(component, environment, image, approvedBy, approvalSource, url, timeout, confirm, version, commit, authorization, commitTime);
    }

    public PromotionRequest withTimeout(Duration d) {
        return new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, d, confirm, version, commit, authorization, commitTime);
    }

    /** The same request with the commit's time (for the record's lead time). */
    public PromotionRequest withCommitTime(java.time.Instant time) {
        return new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, confirm,
                version, commit, authorization, time);
    }

    public PromotionRequest confirmed() {
        return new PromotionRequest(component, environment, image, approvedBy, approvalSource, buildUrl, timeout, true, version, commit, authorization, commitTime);
    }
}
