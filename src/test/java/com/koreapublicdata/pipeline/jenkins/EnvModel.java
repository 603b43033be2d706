package com.koreapublicdata.pipeline.jenkins;

import groovy.lang.GroovyObjectSupport;

import java.io.Serializable;

/** {@code env}: reads see withEnv/withCredentials scopes, writes set a build-wide variable, as in Jenkins. */
public final class EnvModel extends GroovyObjectSupport implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PipelineHarness harness;

    EnvModel(PipelineHarness harness) {
        this.harness = harness;
    }

    @Override
    public Object getProperty(String name) {
        return harness.envValue(name);
    }

    @Override
    public void setProperty(String name, Object value) {
        harness.setEnv(name, value == null ? null : value.toString());
    }

    public Object getAt(String name) {
        return getProperty(name);
    }
}
