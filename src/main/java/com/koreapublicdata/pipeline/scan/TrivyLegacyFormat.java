package com.koreapublicdata.pipeline.scan;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Trivy before v0.19 (July 2021): {@code -f json} wrote a bare array of results, without metadata. */
final class TrivyLegacyFormat implements ReportFormat {

    @Override
    public String id() {
        return "trivy-legacy";
    }

    @Override
    public String name() {
        return "Trivy JSON before v0.19 (bare array of results)";
    }

    @Override
    public String scanner() {
        return "trivy";
    }

    @Override
    public Set<String> keys() {
        return Set.of();
    }

    @Override
    public boolean readsArrays() {
        return true;
    }

    @Override
    public void readField(String key, JsonParser parser, ReadContext context) {
        throw new UnsupportedOperationException("trivy-legacy has no object form");
    }

    @Override
    public void readArray(JsonParser p, ReadContext c) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw c.invalid(p, "a JSON array of " + ReadContext.describe(p.currentToken())
                        + "s is not a Trivy report (a pre-0.19 Trivy report is an array of result objects)");
            }
            // a legacy result says what it scanned; an array of other objects (e.g. Snyk --all-projects output)
            // must not read as a clean report
            if (!TrivyResults.readResult(p, c, null)) {
                throw c.invalid(p, "array element " + index + " has no Target: not a Trivy report (a pre-0.19 Trivy "
                        + "report is an array of {Target, Type, Vulnerabilities})");
            }
            index++;
        }
        if (index == 0) {
            throw c.invalid(p, "an empty JSON array is not a Trivy report (a pre-0.19 report lists one result per "
                    + "scanned target, even a clean one)");
        }
    }
}
