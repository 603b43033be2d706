package com.koreapublicdata.pipeline.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitLocationTest {

    @Test
    void shouldRedactEveryPartOfAPasswordEvenWithAnAtSignInIt() {
        assertThat(GitLocation.redact("cannot fetch from https://bot:p@ss@git.example.com/ops.git: not authorized"))
                .isEqualTo("cannot fetch from https://git.example.com/ops.git: not authorized");
        assertThat(GitLocation.redact("https://x-access-token:ghp_abc@github.com/o/r.git and https://u:v@h/r"))
                .isEqualTo("https://github.com/o/r.git and https://h/r");
        assertThat(GitLocation.redact("https://git.example.com/ops.git by git@example.com"))
                .isEqualTo("https://git.example.com/ops.git by git@example.com");
    }
}
