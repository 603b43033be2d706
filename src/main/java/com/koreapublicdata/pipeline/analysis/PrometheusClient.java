package com.koreapublicdata.pipeline.analysis;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** Runs one PromQL instant query. */
@FunctionalInterface
public interface PrometheusClient {

    /**
     * The query's single value now; empty when there is no data (an empty result or NaN, e.g. 0/0 when the
     * new version gets no traffic).
     *
     * @throws PrometheusException when Prometheus is unreachable, answers with an error, or the result has more
     *                             than one series (the query must aggregate to one value)
     */
    OptionalDouble query(String promql);

    /**
     * The query's values at every {@code step} from {@code start} to {@code end} ({@code /api/v1/query_range}),
     * oldest first; steps without a value (no data, NaN) are left out.
     *
     * @throws PrometheusException as {@link #query}; also when this client cannot run range queries
     */
    default List<Double> queryRange(String promql, Instant start, Instant end, Duration step) {
        throw new PrometheusException("this Prometheus client cannot run range queries");
    }

    /** A client for {@code <baseUrl>/api/v1/query}. */
    static PrometheusClient http(String baseUrl, Duration timeout) {
        return http(baseUrl, timeout, null);
    }

    /**
     * A client for {@code <baseUrl>/api/v1/query} sending {@code Authorization: Bearer <token>} when a token is
     * given (read it from the environment, e.g. KOREA_PROMETHEUS_TOKEN; it never appears in messages).
     */
    static PrometheusClient http(String baseUrl, Duration timeout, String bearerToken) {
        return new HttpPrometheusClient(baseUrl, HttpClient.newBuilder().connectTimeout(timeout).build(), timeout,
                bearerToken);
    }

    /** The URL without user:password, for messages and reports. */
    static String redact(String url) {
        return url == null ? null : url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/]*@", "$1");
    }
}
