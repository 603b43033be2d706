package com.koreapublicdata.pipeline.analysis;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;

/** Prometheus could not answer: unreachable, timed out, or it rejected the query. Nothing was decided (exit 1). */
public final class PrometheusException extends KoreaException {
    private static final long serialVersionUID = 1L;

    public PrometheusException(String message) {
        super(ExitCode.FAILURE, message);
    }

    public PrometheusException(String message, Throwable cause) {
        super(ExitCode.FAILURE, message, cause);
    }
}
