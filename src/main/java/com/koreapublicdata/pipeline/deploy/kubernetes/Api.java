package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.util.function.Supplier;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.deploy.kubernetes.Sleeper;
import com.koreapublicdata.pipeline.deploy.kubernetes.Tuning;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Retries for API calls: 5xx and connection errors are retried; 409 conflicts re-run a read-modify-write. */
public final class Api {
    private final Sleeper sleeper;
    private final Tuning tuning;

    public Api(Sleeper sleeper, Tuning tuning) {
        this.sleeper = sleeper;
        this.tuning = tuning;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public Tuning tuning() {
        return tuning;
    }

    /** Runs a call, retrying server errors; {@code what} names it in the final error. */
    public <T> T call(String what, Supplier<T> call) {
        KubernetesClientException last = null;
        for (int attempt = 1; attempt <= tuning.retries(); attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (!transientError(e)) {
                    throw e;
                }
                last = e;
                pause(tuning.retryBackoff().multipliedBy(attempt));
            }
        }
        throw new KoreaException(ExitCode.FAILURE, what + " failed after " + tuning.retries() + " attempts: " + describe(last), last);
    }

    /** Runs a read-modify-write, starting over on 409 (someone changed the object in between). */
    public <T> T onConflict(String what, Supplier<T> readModifyWrite) {
        for (int attempt = 1; attempt <= tuning.retries(); attempt++) {
            try {
                return call(what, readModifyWrite);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new KoreaException(ExitCode.FAILURE, what + ": the object kept changing under us (409 conflict "
                + tuning.retries() + " times)");
    }

    static boolean transientError(KubernetesClientException e) {
        int code = e.getCode();
        return code >= 500 || code == 429 || code <= 0;
    }

    public static String describe(KubernetesClientException e) {
        if (e == null) {
            return "unknown error";
        }
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + status;
    }

    private void pause(java.time.Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KoreaException(ExitCode.FAILURE, "interrupted");
        }
    }
}
