package com.koreapublicdata.pipeline.deploy;

import java.time.Instant;

import com.koreapublicdata.pipeline.ImageReference;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Component;
import com.koreapublicdata.pipeline.config.Environment;
import com.koreapublicdata.pipeline.config.KoreaConfig;

/** What promote, rollback and status look up the same way: names in korea.yaml, record ids, lock holders. */
final class Lookups {
    private Lookups() {
    }

    static Environment environment(KoreaConfig config, String name) {
        return config.environment(name).orElseThrow(() -> KoreaException.invalidInput("--environment " + name
                + ": no such environment in korea.yaml; known: " + config.environments().keySet()));
    }

    static Component component(KoreaConfig config, String name) {
        return config.component(name).orElseThrow(() -> KoreaException.invalidInput("--component " + name
                + ": no such component in korea.yaml; known: " + config.components().keySet()));
    }

    static String id(String environment, String component, Instant at) {
        return environment + "/" + component + "/" + at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
                .replace("-", "").replace(":", "");
    }

    static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a notification or metric failing must not change what happened to the deploy
        }
    }

    /** The holder written into the Lease: the build, or this user and process; unique per promotion. */
    static String holder(String buildUrl) {
        String who = buildUrl != null ? buildUrl
                : System.getProperty("user.name", "someone") + " (korea pid " + ProcessHandle.current().pid() + ")";
        return who + " #" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    /** The version label of an image the cluster holds; null when korea cannot parse it (the check runs without). */
    static String versionOf(String image) {
        try {
            return image == null ? null : ImageReference.parse(image).version();
        } catch (KoreaException e) {
            return null;
        }
    }

    /** The digest of an image the cluster holds, or null (an image the cluster accepted but korea cannot parse). */
    static String digestOf(String image) {
        try {
            return image == null ? null : ImageReference.parse(image).digest();
        } catch (KoreaException e) {
            return null;
        }
    }
}
