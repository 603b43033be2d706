package com.koreapublicdata.pipeline.scan;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.koreapublicdata.pipeline.config.ScanSettings;

/** The project's own report fixtures and small helpers shared by the scan tests. */
final class Fixtures {
    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String DIGEST_B = "sha256:" + "b".repeat(64);
    static final String DIGEST_D = "sha256:" + "d".repeat(64);

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Finding> findings(String name) {
        List<Finding> out = new ArrayList<>();
        new ReportReader().read(path(name), out::add);
        return out;
    }

    static ScanPolicy defaults() {
        return ScanPolicy.from(ScanSettings.defaults(), ScanPolicy.Overrides.none(), null);
    }

    static ScanReport gate(ScanPolicy policy, Instant now, String... reports) {
        Gate gate = new Gate(policy, now);
        List<ReportInfo> infos = new ArrayList<>();
        for (String report : reports) {
            infos.add(new ReportReader().read(path(report), gate));
        }
        return gate.report(infos);
    }
}
