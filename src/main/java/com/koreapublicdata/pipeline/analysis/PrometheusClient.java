package com.koreapublicdata.pipeline.analysis;

import java.net.http.HttpClient;
import java.time.Duration;
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

    /** A client for {@code GET <baseUrl>/api/v1/query}. */
    static PrometheusClient http(String baseUrl, Duration timeout) {
        return new HttpPrometheusClient(baseUrl, HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
    }
}
