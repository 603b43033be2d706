package com.koreapublicdata.pipeline.jenkins;

import java.io.Serializable;

/** {@code currentBuild}: the few properties the library reads or sets. */
public final class BuildModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private String result;
    private String description;

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
