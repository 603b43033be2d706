package com.koreapublicdata.pipeline.jenkins;

import java.io.Serializable;

/** {@code currentBuild}: the few properties the library reads or sets. */
public final class BuildModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private String result;
    private String description;
    private String startedBy;

    public void setStartedBy(String user) {
        startedBy = user;
    }

    /** RunWrapper.getBuildCauses(className): maps with the cause's fields, as Jenkins returns them. */
    public java.util.List<java.util.Map<String, Object>> getBuildCauses(String className) {
        if (startedBy == null || !"hudson.model.Cause$UserIdCause".equals(className)) {
            return new java.util.ArrayList<>();
        }
        java.util.Map<String, Object> cause = new java.util.LinkedHashMap<>();
        cause.put("_class", className);
        cause.put("shortDescription", "Started by user " + startedBy);
        cause.put("userId", startedBy);
        cause.put("userName", startedBy);
        return new java.util.ArrayList<>(java.util.List.of(cause));
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getCurrentResult() {
        return result == null ? "SUCCESS" : result;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public int getNumber() {
        return 42;
    }

    public String getAbsoluteUrl() {
        return "https://jenkins.example/job/demo/42/";
    }
}
