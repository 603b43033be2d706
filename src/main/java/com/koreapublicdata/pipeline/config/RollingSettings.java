package com.koreapublicdata.pipeline.config;

/** A Kubernetes Deployment's RollingUpdate parameters. */
public record RollingSettings(
        @Doc(value = "Pods above the desired count during the update: a number or a percentage.", defaultValue = "25%",
                pattern = "^[0-9]+%?$") String maxSurge,
        @Doc(value = "Pods that may be unavailable during the update: a number or a percentage.", defaultValue = "0",
                pattern = "^[0-9]+%?$") String maxUnavailable) {

    public RollingSettings {
        maxSurge = maxSurge == null ? "25%" : maxSurge;
        maxUnavailable = maxUnavailable == null ? "0" : maxUnavailable;
    }

    public static RollingSettings defaults() {
        return new RollingSettings(null, null);
    }
}
