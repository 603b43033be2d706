package com.koreapublicdata.pipeline.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A Slack stand-in on 127.0.0.1 (free port): records every request; answers chat.postMessage and chat.update like
 * Slack ({@code ok, channel, ts}) and webhooks with {@code ok}, unless a test queued other answers.
 */
public final class FakeSlack implements AutoCloseable {
    public static final String CHANNEL_ID = "C0FAKE";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One recorded request; header names lower case. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        /** The urlencoded form (chat.postMessage is not JSON). */
        public Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }

        public JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }

        public JsonNode formJson(String field) throws IOException {
            return MAPPER.readTree(form().get(field));
        }
    }

    /** A queued answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> queued = new ArrayDeque<>();
    private final AtomicInteger ts = new AtomicInteger(100);

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] in;
            try (InputStream body = exchange.getRequestBody()) {
                in = body.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, headers, new String(in, StandardCharsets.UTF_8)));
            Answer answer;
            synchronized (queued) {
                answer = queued.pollFirst();
            }
            if (answer == null) {
                answer = path.startsWith("/services/") ? new Answer(200, Map.of(), "ok")
                        : new Answer(200, Map.of("Content-Type", "application/json"),
                                "{\"ok\":true,\"channel\":\"" + CHANNEL_ID + "\",\"ts\":\"1700000000.000" + ts.getAndIncrement() + "\"}");
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** Answers the next request with this instead of the default. */
    public FakeSlack answer(int status, Map<String, String> headers, String body) {
        synchronized (queued) {
            queued.addLast(new Answer(status, headers, body));
        }
        return this;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/SECRETPATHxyz";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** A URL on a port where nothing listens. */
    public static String unreachableUrl() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
