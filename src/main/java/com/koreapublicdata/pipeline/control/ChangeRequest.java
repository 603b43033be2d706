package com.koreapublicdata.pipeline.control;

/**
 * One change to check: an image (by digest) of a component to an environment, and who asks and allowed it.
 *
 * @param digest {@code sha256:...}, or null when unknown (then promotion paths and signed records refuse)
 */
public record ChangeRequest(String environment, String component, String digest, Authorization authorization) {

    public ChangeRequest {
        authorization = authorization == null ? Authorization.of(null) : authorization;
    }
}
