package com.koreapublicdata.pipeline.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** What only a stand-in can show: the token header, and that no credential reaches a message. */
class HttpPrometheusClientTest {

    @Test
    void shouldSendTheBearerTokenButNeverShowCredentials() throws Exception {
        List<String> auth = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", e -> {
            auth.add(e.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}"
                    .getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            PrometheusClient client = PrometheusClient.http("http://127.0.0.1:" + port + "/", Duration.ofSeconds(2),
                    "s3cret-token");

            assertThat(client.query("sum(x)")).as("NaN is no data").isEmpty();
            assertThat(auth).containsExactly("Bearer s3cret-token");
        } finally {
            server.stop(0);
        }
        int closed = LocalPrometheus.freePort();
        PrometheusClient unreachable = PrometheusClient.http("http://admin:pa55@127.0.0.1:" + closed,
                Duration.ofSeconds(2), "s3cret-token");
        assertThatThrownBy(() -> unreachable.query("up"))
                .isInstanceOf(PrometheusException.class)
                .hasMessageContaining("Prometheus at http://127.0.0.1:" + closed + " is unreachable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55").doesNotContain("s3cret"));
    }

    @Test
    void shouldSendTheUrlsUserAndPasswordAsBasicAuth() throws Exception {
        List<String> auth = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", e -> {
            String header = e.getRequestHeaders().getFirst("Authorization");
            auth.add(String.valueOf(header));
            boolean ok = header != null;
            byte[] body = (ok ? "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.5\"]}}"
                    : "Unauthorized").getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(ok ? 200 : 401, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            PrometheusClient client = PrometheusClient.http("http://admin:pa55@127.0.0.1:" + port, Duration.ofSeconds(2));

            assertThat(client.query("sum(x)")).hasValue(0.5);
            assertThat(auth).containsExactly("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("admin:pa55".getBytes(StandardCharsets.UTF_8)));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldRedactAPasswordThatHoldsAnAtSign() {
        assertThat(PrometheusClient.redact("https://admin:p@ss@prometheus:9090/x")).isEqualTo("https://prometheus:9090/x");
        assertThat(PrometheusClient.redact("http://prometheus:9090/a@b")).isEqualTo("http://prometheus:9090/a@b");
    }
}
