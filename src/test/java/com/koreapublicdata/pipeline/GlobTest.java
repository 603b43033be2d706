package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "fe/**, fe/src/app.js, true",
        "fe/**, fe/package.json, true",
        "fe/**, fe, true",
        "fe/**, fe-old/app.js, false",
        "fe/**, be/app.py, false",
        "fe/**, docs/fe/x.md, false",
        "**/*.md, README.md, true",
        "**/*.md, docs/deep/x.md, true",
        "**/*.md, docs/x.mdx, false",
        "be/*.py, be/app.py, true",
        "be/*.py, be/app/main.py, false",
        "be/**/*.py, be/app.py, true",
        "be/**/*.py, be/app/main.py, true",
        "src/?.js, src/a.js, true",
        "src/?.js, src/ab.js, false",
        "release/*, release/1.2, true",
        "release/*, release/1.2/hotfix, false",
        "a.b, axb, false",
        "be/app.py, be/app.py, true",
        "'{fe,shared}/**', shared/x.js, true",
        "'{fe,shared}/**', be/x.py, false",
        "src/[ab].js, src/a.js, true",
        "src/[!ab].js, src/a.js, false",
        "'a\\*b', a*b, true",
        "'a\\*b', axb, false",
    })
    void shouldMatchLikeGitPathFilters(String glob, String path, boolean expected) {
        assertThat(new Glob(glob).matches(path)).isEqualTo(expected);
    }
}
