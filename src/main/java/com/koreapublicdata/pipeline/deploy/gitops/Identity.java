package com.koreapublicdata.pipeline.deploy.gitops;

import java.time.Clock;
import java.util.Map;

import org.eclipse.jgit.lib.PersonIdent;

/** Who korea's GitOps commits are by: KOREA_GIT_AUTHOR_NAME / KOREA_GIT_AUTHOR_EMAIL, else korea-pipeline. */
final class Identity {

    private Identity() {
    }

    static PersonIdent of(Map<String, String> env, Clock clock) {
        return new PersonIdent(env.getOrDefault("KOREA_GIT_AUTHOR_NAME", "korea-pipeline"),
                env.getOrDefault("KOREA_GIT_AUTHOR_EMAIL", "korea-pipeline@localhost"), clock.instant(), clock.getZone());
    }
}
