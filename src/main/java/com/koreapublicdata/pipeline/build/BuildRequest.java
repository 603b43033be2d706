package com.koreapublicdata.pipeline.build;

/**
 * What to build: one component at one commit.
 *
 * @param component  the component's name in korea.yaml
 * @param branch     branch being built (for the {@code <branch>-latest} tag); may be null
 * @param commit     full commit sha (for the {@code git-sha} tag and the tarball name); may be null
 * @param version    an extra version tag (e.g. 1.4.2); may be null
 * @param skipTests  skip the test and e2e commands
 * @param skipImage  skip the image build (tests and audits only)
 */
public record BuildRequest(String component, String branch, String commit, String version, boolean skipTests,
        boolean skipImage) {

    public static BuildRequest of(String component, String branch, String commit) {
        return new BuildRequest(component, branch, commit, null, false, false);
    }
}
