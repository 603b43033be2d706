package com.koreapublicdata.pipeline.deploy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.koreapublicdata.pipeline.deploy.argo.Rollouts;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1, with what the tests need on top: a log of the requests
 * the engine sends (the fake controllers identify themselves by user agent and are left out), injected faults
 * (HTTP 409/500 for matching requests), and dropping every open watch.
 */
final class KubeTestServer implements AutoCloseable {
    static final String CONTROLLER_AGENT = "fake-controller";

    record Fault(String method, Predicate<String> path, int code, AtomicInteger remaining) {
    }

    /** An engine request with the moment the server received it (for the end-to-end timing measurements). */
    record Timed(java.time.Instant at, String method, String path, String body) {
    }

    final KubernetesMockServer server;
    final KubernetesClient client;
    final KubernetesClient controllerClient;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Timed> timed = new CopyOnWriteArrayList<>();
    final List<Fault> faults = new CopyOnWriteArrayList<>();
    final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger injected = new AtomicInteger();

    KubeTestServer() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean engine = !String.valueOf(request.getHeader("User-Agent")).contains(CONTROLLER_AGENT);
                if (engine) {
                    requests.add(request.getMethod() + " " + request.getPath());
                    if (!"GET".equals(request.getMethod())) {
                        timed.add(new Timed(java.time.Instant.now(), request.getMethod(), request.getPath(),
                                new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    for (Fault f : faults) {
                        if (f.method().equals(request.getMethod()) && f.path().test(request.getPath())
                                && f.remaining().getAndDecrement() > 0) {
                            injected.incrementAndGet();
                            return new MockResponse().setResponseCode(f.code()).addHeader("Content-Type", "application/json")
                                    .setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":" + f.code()
                                            + ",\"reason\":\"" + (f.code() == 409 ? "Conflict" : "InternalError")
                                            + "\",\"message\":\"injected " + f.code() + "\"}");
                        }
                    }
                }
                MockResponse response = super.dispatch(request);
                WebSocketListener listener = response.getWebSocketListener();
                if (listener != null) {
                    response.withWebSocketUpgrade(new Tracking(listener));
                }
                return response;
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient plain = server.createClient();
        // The 7.9 mock server can stall ~10s when it sends a watch event to a socket the client is closing
        // (fabric8 kubernetes-client 7.8+ mock WebSocket changes, cf. line/armeria#6904); a longer request timeout
        // rides that out instead of failing a request the real API server would have answered.
        // the engine retries server errors itself (Api); fabric8's own retry would multiply them, as in production
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withRequestRetryBackoffLimit(0).withRequestTimeout(30_000).build()).build();
        controllerClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withUserAgent(CONTROLLER_AGENT).withRequestRetryBackoffLimit(0).withRequestTimeout(30_000).build()).build();
        plain.close();
        controllerClient.apiextensions().v1().customResourceDefinitions().resource(rolloutCrd()).create();
    }

    /** Answers the next {@code times} engine requests of {@code method} whose path contains {@code path} with {@code code}. */
    void fail(String method, String path, int code, int times) {
        faults.add(new Fault(method, p -> p.contains(path), code, new AtomicInteger(times)));
    }

    void namespace(String name) {
        controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    List<String> mutatingRequests() {
        synchronized (requests) {
            return requests.stream().filter(r -> r.startsWith("POST") || r.startsWith("PUT") || r.startsWith("PATCH")
                    || r.startsWith("DELETE")).toList();
        }
    }

    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Closes every open watch from the server side, as an API server restart or a proxy timeout would. */
    void dropWatches() {
        if (System.getenv("KOREA_TEST_TRACE") != null) {
            System.err.println("dropping " + sockets.size() + " watches");
        }
        for (WebSocket ws : sockets) {
            ws.close(1000, "dropped by the test");
        }
        sockets.clear();
    }

    static CustomResourceDefinition rolloutCrd() {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName("rollouts.argoproj.io").endMetadata()
                .withNewSpec().withGroup(Rollouts.ROLLOUT.getGroup()).withScope("Namespaced")
                .withNewNames().withKind("Rollout").withPlural("rollouts").withSingular("rollout").withShortNames("ro").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build();
    }

    @Override
    public void close() {
        controllerClient.close();
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // the same mock stall can make its shutdown time out; the test's verdict is already in
        }
    }

    private final class Tracking extends WebSocketListener {
        private final WebSocketListener delegate;

        Tracking(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onBeforeAccept(WebSocket ws, Response response) {
            delegate.onBeforeAccept(ws, response);
        }

        @Override
        public void onOpen(WebSocket ws, Response response) {
            if (!String.valueOf(ws.request().getHeader("User-Agent")).contains(CONTROLLER_AGENT)) {
                sockets.add(ws);
            }
            delegate.onOpen(ws, response);
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            delegate.onMessage(ws, text);
        }

        @Override
        public void onMessage(WebSocket ws, io.fabric8.mockwebserver.http.ByteString bytes) {
            delegate.onMessage(ws, bytes);
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            delegate.onMessage(ws, bytes);
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            delegate.onClosing(ws, code, reason);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            sockets.remove(ws);
            // The mock's listener waits for its event executor to finish; on vert.x's event loop that stalled every
            // request to this server for up to 30 s ("Thread blocked"), so the test controllers could not move status
            // and a rollback wait timed out. Close off the loop, as a real apiserver never blocks other requests.
            Thread closer = new Thread(() -> delegate.onClosed(ws, code, reason), "mock-watch-close");
            closer.setDaemon(true);
            closer.start();
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            sockets.remove(ws);
            delegate.onFailure(ws, t, response);
        }
    }
}
