package com.koreapublicdata.pipeline.deploy;

import java.nio.file.Path;
import java.util.Optional;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.build.BuildRecord;
import com.koreapublicdata.pipeline.build.BuildRecords;

/** Finds the digest of an image given by tag, so the deploy can pin it. */
@FunctionalInterface
public interface DigestLookup {

    Optional<String> digestOf(String component, ImageReference image);

    DigestLookup NONE = (component, image) -> Optional.empty();

    /**
     * The build records {@code korea build} writes under {@code <stateDir>/builds/<component>/}: the newest build
     * whose repository is the image's and whose tags hold its tag, so a moving tag ({@code staging-latest}) pins the
     * last image built under it. An image without a tag is not looked up.
     */
    static DigestLookup buildRecords(Path stateDir) {
        BuildRecords records = new BuildRecords(stateDir);
        return (component, image) -> image.tag() == null ? Optional.empty()
                : records.newest(component, image.repository(), image.tag()).map(BuildRecord::digest);
    }
}
