package com.koreapublicdata.pipeline.deploy.kubernetes;

import java.util.function.Supplier;

import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.Sleeper;

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

    /**
     * Runs a read that may wait out an API server outage: transient errors are retried with a bounded back-off
     * (doubling, at most eight times {@code retryBackoff}) until {@code deadline}, so a restarting server does not
     * end a rollout wait that still has time left.
     */
    public <T> T callUntil(String what, Supplier<T> call, java.time.Clock clock, java.time.Instant deadline) {
        java.time.Duration wait = tuning.retryBackoff();
        java.time.Duration cap = tuning.retryBackoff().multipliedBy(8);
        int attempts = 0;
        while (true) {
            try {
                attempts++;
                return call.get();
            } catch (KubernetesClientException e) {
                if (!transientError(e)) {
                    throw e;
                }
                java.time.Duration left = java.time.Duration.between(clock.instant(), deadline);
                if (left.compareTo(wait) < 0) {
                    throw new KoreaException(ExitCode.FAILURE, what + " failed after " + attempts
                            + " attempts until the deadline: " + describe(e), e);
                }
                pause(wait);
                wait = wait.multipliedBy(2).compareTo(cap) > 0 ? cap : wait.multipliedBy(2);
            }
        }
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
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // a refused connection hides its cause under "Operation: [get] ... failed": show it
        String cause = root != e && root.getMessage() != null && (status == null || !status.contains(root.getMessage()))
                ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "";
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + status + cause;
    }

    /** Whether the server refused the request for lack of permission (HTTP 403). */
    public static boolean forbidden(KubernetesClientException e) {
        return e != null && e.getCode() == 403;
    }

    /** The verb and resource the API server named in a 403 ("cannot patch resource \"deployments\" in API group \"apps\""). */
    private static final java.util.regex.Pattern REFUSED = java.util.regex.Pattern.compile(
            "cannot (\\w+) resource \"([^\"]+)\"(?: in API group \"([^\"]*)\")?");

    /**
     * The message for a 403: names the verb and resource (as the server did, else as korea asked) and where the
     * needed permissions are listed.
     */
    public static String forbidden(String verb, String resource, String namespace, KubernetesClientException e) {
        return "forbidden: korea may not " + verb + " " + resource + (namespace == null ? "" : " in namespace " + namespace)
                + " (" + describe(e) + "); grant the permissions docs/promote.md lists under \"Permissions\" for this command";
    }

    /** The message for a 403 of a call korea did not name: the verb and resource from the server's answer. */
    public static String forbiddenMessage(KubernetesClientException e) {
        String text = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        java.util.regex.Matcher m = REFUSED.matcher(text == null ? "" : text);
        if (m.find()) {
            String group = m.group(3) == null || m.group(3).isEmpty() ? "" : "." + m.group(3);
            return forbidden(m.group(1), m.group(2) + group, null, e);
        }
        return "forbidden: the Kubernetes API refused a request (" + describe(e) + "); grant the permissions docs/promote.md "
                + "lists under \"Permissions\" for this command";
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
