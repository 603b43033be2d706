package com.koreapublicdata.pipeline.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

class ImageTagsTest {

    @Test
    void shouldTagWithShortShaAndBranchLatest() {
        List<String> warnings = new ArrayList<>();
        List<String> tags = ImageTags.tags(List.of("git-sha", "branch-latest"),
                "3F9C2AB1d4e5f60718293a4b5c6d7e8f90123456", "develop", null, warnings);
        assertThat(tags).containsExactly("3f9c2ab", "develop-latest");
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldSanitiseBranchNamesToTagRules() {
        assertThat(ImageTags.branchLatest("feature/Login_Page")).isEqualTo("feature/login_page-latest".replace('/', '-'));
        assertThat(ImageTags.branchLatest("refs/heads/release/2.0")).isEqualTo("release-2.0-latest");
        assertThat(ImageTags.branchLatest("origin/hotfix//#12 urgent!")).isEqualTo("hotfix-12-urgent-latest");
        assertThat(ImageTags.branchLatest("-.weird.-")).isEqualTo("weird-latest");
        assertThat(ImageTags.branchLatest("///")).isEqualTo("branch-latest");
        String longBranch = "x".repeat(300);
        assertThat(ImageTags.branchLatest(longBranch)).hasSize(128).endsWith("-latest").matches(ImageTags.TAG);
    }

    @Test
    void shouldAddTheVersionWhenGiven() {
        List<String> tags = ImageTags.tags(List.of("git-sha", "branch-latest"), "abcdef1234", "main", "1.4.2",
                new ArrayList<>());
        assertThat(tags).containsExactly("abcdef1", "main-latest", "1.4.2");
    }

    @Test
    void shouldRefuseAVersionThatIsNotATag() {
        assertThatThrownBy(() -> ImageTags.tags(List.of("git-sha"), "abcdef1", "main", "1.0/beta", new ArrayList<>()))
                .isInstanceOf(KoreaException.class)
                .hasMessageContaining("--version")
                .extracting(e -> ((KoreaException) e).exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldWarnWhenCommitAndBranchAreUnknown() {
        List<String> warnings = new ArrayList<>();
        List<String> tags = ImageTags.tags(List.of("git-sha", "branch-latest"), null, null, null, warnings);
        assertThat(tags).containsExactly("latest");
        assertThat(warnings).anyMatch(w -> w.contains("git-sha")).anyMatch(w -> w.contains("branch"));
    }

    @Test
    void shouldRefuseACommitThatIsNotHex() {
        assertThatThrownBy(() -> ImageTags.shortSha("HEAD~1")).isInstanceOf(KoreaException.class)
                .hasMessageContaining("--commit");
    }
}
