package com.koreapublicdata.pipeline.deploy.gitops;

import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.ConfigFile;
import com.koreapublicdata.pipeline.config.Environment;

/**
 * One image to put into an environment's GitOps overlay.
 *
 * @param config      the loaded korea.yaml (relative repository paths and the state directory resolve against it)
 * @param environment where to deploy; its {@code gitops} block (or the local default) says which repository
 * @param component   what to deploy; its {@code image} is the name the base manifests use
 * @param image       the full reference, e.g. {@code registry/app@sha256:...} or {@code registry/app:1.4.2}
 * @param version     the version people know it by (commit message)
 * @param approver    who approved the promotion, null when no approval was required
 * @param buildUrl    the CI build, null when not run from CI
 */
public record GitOpsChange(ConfigFile config, Environment environment, Component component, String image, String version,
        String approver, String buildUrl) {
}
