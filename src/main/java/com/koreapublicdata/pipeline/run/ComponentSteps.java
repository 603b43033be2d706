package com.koreapublicdata.pipeline.run;

import java.util.List;

import com.koreapublicdata.pipeline.config.Environment;

/**
 * The work a run does for one component. {@link Runner} only orders and combines these calls; the CLI plugs in
 * the real build, scan and promote engines, tests plug in doubles.
 */
public interface ComponentSteps {

    /** Tests, audits and the image: the "test" and "build" stage results, and the image when it was built. */
    BuildStep build(String component);

    /** The security gate for the built image; {@code environment} is null on a branch that deploys nowhere. */
    StageResult scan(String component, BuiltImage image, Environment environment);

    /** Promotes the built image to the environment. */
    StageResult promote(String component, BuiltImage image, Environment environment, Approval approval);

    /** An image that was built: where it is and its digest. */
    record BuiltImage(String reference, String digest, String tarball) {
    }

    /** The "test" and "build" results; {@code image} is null when the image was not built. */
    record BuildStep(List<StageResult> stages, BuiltImage image) {
        public BuildStep {
            stages = List.copyOf(stages);
        }
    }

    /** Who approved and how; {@code approver} null when the environment needs no approval. */
    record Approval(String approver, String source) {
    }
}
