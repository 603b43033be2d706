package com.koreapublicdata.pipeline.build;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The least of the OCI distribution API jib needs to push over plain HTTP on 127.0.0.1: blob existence checks,
 * monolithic-by-PATCH uploads, and manifest puts. Keeps what it received for assertions.
 */
final class FakeRegistry implements AutoCloseable {
    private final HttpServer server;
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private final java.net.ServerSocket front;

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        front = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-registry-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    /**
     * Jib tries HTTPS before plain HTTP. A real plain-HTTP registry answers a TLS hello with an error at once; the
     * JDK server would wait for a request line instead, so this front drops TLS connections and relays the rest.
     */
    private void accept() {
        while (!front.isClosed()) {
            try {
                java.net.Socket client = front.accept();
                Thread t = new Thread(() -> relay(client), "fake-registry-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(java.net.Socket client) {
        try (client; java.net.Socket backend = new java.net.Socket(InetAddress.getLoopbackAddress(),
                server.getAddress().getPort())) {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(client.getInputStream(), 1);
            int first = in.read();
            if (first < 0 || first == 0x16) {
                return;
            }
            in.unread(first);
            Thread up = new Thread(() -> {
                try {
                    in.transferTo(backend.getOutputStream());
                    backend.shutdownOutput();
                } catch (IOException ignored) {
                    // connection closed
                }
            });
            up.setDaemon(true);
            up.start();
            backend.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ignored) {
            // connection closed
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(exchange, 200, "{}");
            } else if (path.matches("/v2/.+/blobs/sha256:[0-9a-f]{64}")) {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                if (blobs.containsKey(digest)) {
                    exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
                    exchange.getResponseHeaders().add("Content-Length", String.valueOf(blobs.get(digest).length));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } else if (method.equals("POST") && path.matches("/v2/.+/blobs/uploads/?")) {
                String id = "u" + ids.incrementAndGet();
                uploads.put(id, new java.io.ByteArrayOutputStream());
                exchange.getResponseHeaders().add("Location", path.replaceFirst("/?$", "/") + id);
                exchange.sendResponseHeaders(202, -1);
            } else if (path.matches("/v2/.+/blobs/uploads/u\\d+")) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                uploads.get(id).writeBytes(body);
                if (method.equals("PATCH")) {
                    exchange.getResponseHeaders().add("Location", path);
                    exchange.getResponseHeaders().add("Range", "0-" + (uploads.get(id).size() - 1));
                    exchange.sendResponseHeaders(202, -1);
                } else {
                    String digest = java.net.URLDecoder.decode(query.replaceFirst(".*digest=([^&]+).*", "$1"),
                            java.nio.charset.StandardCharsets.UTF_8);
                    blobs.put(digest, uploads.remove(id).toByteArray());
                    exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
                    exchange.sendResponseHeaders(201, -1);
                }
            } else if (method.equals("PUT") && path.matches("/v2/.+/manifests/.+")) {
                String digest = Fixtures.sha256(body);
                manifests.put(path.substring(path.lastIndexOf('/') + 1), body);
                exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
                exchange.sendResponseHeaders(201, -1);
            } else {
                send(exchange, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"unknown\"}]}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() throws IOException {
        front.close();
        server.stop(0);
    }
}
