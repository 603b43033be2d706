package com.koreapublicdata.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The distribution reference grammar, branch by branch; {@code ImageReferenceCliTest} drives the same lists through korea promote. */
class ImageReferenceTest {
    static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);

    /** One valid reference per grammar branch, with the parts it splits into. */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("app", "app", null, null),
                Arguments.of("registry.example.com:5000/team/app:1.2", "registry.example.com:5000/team/app", "1.2", null),
                Arguments.of("localhost/app:1.0", "localhost/app", "1.0", null),
                Arguments.of("localhost:5000/app", "localhost:5000/app", null, null),
                Arguments.of("[::1]:5000/app:1.0", "[::1]:5000/app", "1.0", null),
                Arguments.of("[2001:db8::1]/team/app", "[2001:db8::1]/team/app", null, null),
                Arguments.of("Registry.Example.COM/app", "Registry.Example.COM/app", null, null),
                Arguments.of("10.0.0.7:80/app", "10.0.0.7:80/app", null, null),
                Arguments.of("team/my__app:1.0", "team/my__app", "1.0", null),
                Arguments.of("team/my---app:1.0", "team/my---app", "1.0", null),
                Arguments.of("team/my.app_x/svc-1:1", "team/my.app_x/svc-1", "1", null),
                Arguments.of("app:v1.2.3-rc_1", "app", "v1.2.3-rc_1", null),
                Arguments.of("app:_private", "app", "_private", null),
                Arguments.of("app:" + "T".repeat(128), "app", "T".repeat(128), null),
                Arguments.of("app@" + SHA, "app", null, SHA),
                Arguments.of("app:1.0@" + SHA, "app", "1.0", SHA),
                Arguments.of("registry.example.com/a/b/c/d:2@" + SHA, "registry.example.com/a/b/c/d", "2", SHA),
                Arguments.of("app@sha512:" + "ab".repeat(64), "app", null, "sha512:" + "ab".repeat(64)),
                Arguments.of("app@multi+hash.v2:" + "AB".repeat(16), "app", null, "multi+hash.v2:" + "AB".repeat(16)),
                Arguments.of("a/" + "b".repeat(253), "a/" + "b".repeat(253), null, null));
    }

    /** References the engine must refuse: shell, markup, case, empty parts, bad digests, control and non-ASCII characters. */
    static Stream<String> invalid() {
        return Stream.of("$(id)", "`id`", "app:$(id)", "app;id", "app|cat", "app&&id", "*", "app/*", "~root", "a b",
                " app", "app ", "\tapp", "<script>alert(1)</script>", "app\"", "app'", "app\\x", "App:1.0",
                "registry.example.com/Team/app", "team/App", "app:", ":tag", ":", "", "app:" + "a".repeat(129),
                "app:-1", "app:.tag", "app:tag!", "app:1:2", "app@", "@" + SHA, "app@" + SHA.substring(0, 70),
                "app@" + SHA + "0", "app@sha256:", "app@sha256:" + "A".repeat(64), "app@sha256:" + "g".repeat(64),
                "app@SHA256:" + "a".repeat(64), "app@md5:abcdef", "app@:" + "a".repeat(64), "app@sha256",
                "app@" + SHA + "@" + SHA, "app:1.0@sha256:short", "app/", "team//app", "/app", "team/../app", "a..b",
                "-app", "app-", "_app", "app_", "app.", "app___x", "team/.app", "localhost:abc/app", "[::1/app",
                "[zz]:5000/app", "-host.com/app", "host-.com/app", "registry.example.com:5000/", "https://registry/app",
                "app#1", "app?x", "app,other", "app%20", "app\u0000", "app\n:1.0", "app:1.0\nINFO deployed",
                "app\r", "app\u007f", "\u00e4pp", "app:1.0\u200b", "\u65e5\u672c/app", "\uff41pp",
                "a/" + "b".repeat(254));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void shouldAcceptEveryGrammarBranch(String reference, String repository, String tag, String digest) {
        ImageReference image = ImageReference.parse(reference, "--image");

        assertThat(image).isEqualTo(new ImageReference(repository, tag, digest));
        assertThat(image.deployable()).isEqualTo(reference);
        assertThat(ImageReference.parse(image.toString())).isEqualTo(image);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void shouldRefuseWithExitTwoNamingTheOptionAndWhatIsAllowed(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference, "--image")).isInstanceOf(KoreaException.class)
                .satisfies(e -> assertThat(((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith("--image '")
                .hasMessageContaining("is not a valid image reference: ")
                .hasMessageContaining("allowed: [host[:port]/]path[:tag][@algorithm:hex]")
                // the message is one printable line whatever the input held
                .satisfies(e -> assertThat(e.getMessage()).matches("[\\x20-\\x7e]+"));
        assertThat(ImageReference.isValid(reference)).isFalse();
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertThat(message("App:1.0")).contains("the path component 'App' is not lower-case letters and digits");
        assertThat(message("app:")).contains("the tag after ':' is empty");
        assertThat(message(":tag")).contains("it has no repository name");
        assertThat(message("app@sha256:abc")).contains("not sha256: followed by exactly 64 lower-case hex digits");
        assertThat(message("app@md5:abc")).contains("not md5: followed by at least 32 hex digits");
        assertThat(message("team//app")).contains("has an empty component");
        assertThat(message("a b")).contains("character 2 is a space");
        assertThat(message("app\n:1")).contains("'app\\u000a:1'").contains("a control character");
        assertThat(message("localhost:abc/app")).contains("the registry host 'localhost:abc'");
        assertThat(message("a/" + "b".repeat(254))).contains("256 characters long, at most 255");
        assertThat(message("app:" + "a".repeat(129))).contains("at most 127");
    }

    @Test
    void shouldRefuseAnInvalidPartInTheConstructorToo() {
        assertThatThrownBy(() -> new ImageReference("$(id)", null, null)).isInstanceOf(KoreaException.class)
                .hasMessageContaining("image reference '$(id)' is not valid");
        assertThatThrownBy(() -> ImageReference.parse("app:1.0").withDigest("sha256:xyz"))
                .hasMessageContaining("the digest 'sha256:xyz'");
    }

    @Test
    void shouldPinByDigestAndLabelTheVersion() {
        ImageReference tagged = ImageReference.parse("registry:5000/team/app:1.2");
        assertThat(tagged.host()).isEqualTo("registry:5000");
        assertThat(ImageReference.parse("team/app").host()).isNull();
        assertThat(tagged.withDigest(SHA).deployable()).isEqualTo("registry:5000/team/app:1.2@" + SHA);
        assertThat(tagged.version()).isEqualTo("1.2");
        assertThat(ImageReference.parse("app@" + SHA).version()).isEqualTo("0123456789ab");
        assertThat(ImageReference.parse("app").version()).isEqualTo("latest");
    }

    private static String message(String reference) {
        try {
            ImageReference.parse(reference, "--image");
        } catch (KoreaException e) {
            return e.getMessage();
        }
        throw new AssertionError(reference + " was accepted");
    }
}
