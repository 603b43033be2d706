package com.koreapublicdata.pipeline.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.koreapublicdata.pipeline.JsonMapping;

/** The Prometheus HTTP API: instant queries ({@code /api/v1/query}) and range queries ({@code /api/v1/query_range}). */
final class HttpPrometheusClient implements PrometheusClient {
    private static final ObjectMapper MAPPER = JsonMapping.mapper();
    private final String endpoint;
    private final String rangeEndpoint;
    /** What messages show: never the user:password part or the token. */
    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final String bearerToken;
    private final String basicAuth;

    HttpPrometheusClient(String baseUrl, HttpClient http, Duration timeout, String bearerToken) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String redacted = PrometheusClient.redact(base);
        // the JDK client ignores user:password in a URL: send it as basic auth (a bearer token wins)
        this.basicAuth = redacted.equals(base) ? null : basic(base);
        this.endpoint = redacted + "/api/v1/query";
        this.rangeEndpoint = redacted + "/api/v1/query_range";
        this.baseUrl = redacted;
        this.http = http;
        this.timeout = timeout;
        this.bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken;
    }

    @Override
    public OptionalDouble query(String promql) {
        JsonNode body = post(endpoint, "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), promql);
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        return switch (type) {
            case "scalar" -> value(result);
            case "vector" -> {
                if (result.size() == 0) {
                    yield OptionalDouble.empty();
                }
                if (result.size() > 1) {
                    throw new PrometheusException("the query returned " + result.size()
                            + " series; aggregate it to one value (sum, max, ...) -- query: " + promql);
                }
                yield value(result.get(0).path("value"));
            }
            default -> throw new PrometheusException("the query returned a " + type
                    + "; an instant vector or scalar is needed -- query: " + promql);
        };
    }

    @Override
    public List<Double> queryRange(String promql, Instant start, Instant end, Duration step) {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&start=" + seconds(start) + "&end="
                + seconds(end) + "&step=" + Math.max(0.001, step.toMillis() / 1000.0);
        JsonNode data = post(rangeEndpoint, form, promql).path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        if (!"matrix".equals(type)) {
            throw new PrometheusException("the range query returned a " + type + "; a range vector is needed -- query: "
                    + promql);
        }
        if (result.size() > 1) {
            throw new PrometheusException("the query returned " + result.size()
                    + " series; aggregate it to one value (sum, max, ...) -- query: " + promql);
        }
        List<Double> values = new ArrayList<>();
        if (result.size() == 1) {
            for (JsonNode sample : result.get(0).path("values")) {
                OptionalDouble v = value(sample);
                if (v.isPresent() && !Double.isInfinite(v.getAsDouble())) {
                    values.add(v.getAsDouble());
                }
            }
        }
        return values;
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    /** POSTs a form to the API and returns the body of a successful answer. */
    private JsonNode post(String url, String form, String promql) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new PrometheusException("analysis.prometheus " + baseUrl + " is not a URL: " + e.getMessage());
        }
        builder.timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (bearerToken != null) {
            builder.header("Authorization", "Bearer " + bearerToken);
        } else if (basicAuth != null) {
            builder.header("Authorization", basicAuth);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PrometheusException("Prometheus at " + baseUrl + " is unreachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("interrupted while querying Prometheus at " + baseUrl, e);
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new PrometheusException("Prometheus at " + baseUrl + " answered HTTP " + response.statusCode()
                    + " with a body that is not JSON");
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new PrometheusException("Prometheus rejected the query (HTTP " + response.statusCode() + ", "
                    + body.path("errorType").asText("?") + "): " + body.path("error").asText("") + " -- query: " + promql);
        }
        return body;
    }

    /** {@code Basic base64(user:password)} from the URL's percent-decoded user info, or null when it has none. */
    private static String basic(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/]*)@").matcher(url);
        if (!m.find() || m.group(1).isEmpty()) {
            return null;
        }
        String userInfo = java.net.URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** A sample is {@code [time, "value"]}; NaN and infinities mean the ratio had nothing to divide. */
    private static OptionalDouble value(JsonNode sample) {
        double v;
        try {
            v = Double.parseDouble(sample.path(1).asText());
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The JDK's ConnectException often has no message of its own; its cause says "Connection refused". */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
