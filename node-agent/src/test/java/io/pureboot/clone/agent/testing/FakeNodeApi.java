package io.pureboot.clone.agent.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A hand-written node API on 127.0.0.1 (the JDK's HTTP server): answers are scripted per path (a queue, then a
 * default), every request is recorded with its Authorization header and body. It holds the agent to the node-api
 * contract as clone-service does: a call with the wrong method is answered 405, a body that its record does not bind
 * strictly 400; answers given as records are checked against the call's answer type and written as the service
 * writes them.
 */
public final class FakeNodeApi implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, String authorization, String body) {
    }

    /** One scripted answer. */
    public record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> scripted = new HashMap<>();
    private final Map<String, Answer> defaults = new HashMap<>();
    private final Map<String, Function<String, Answer>> responders = new HashMap<>();

    public FakeNodeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Answers every later request to {@code path} with this, after any queued answers. */
    public FakeNodeApi answer(String path, int status, String body) {
        synchronized (this) {
            defaults.put(path, new Answer(status, body));
        }
        return this;
    }

    /** Answers every later request to {@code path} that carries {@code token} with this (before path-wide answers). */
    public FakeNodeApi answer(String token, String path, int status, String body) {
        synchronized (this) {
            defaults.put("Bearer " + token + " " + path, new Answer(status, body));
        }
        return this;
    }

    /** Answers every later {@code call} with this record (200), written as clone-service writes it. */
    public FakeNodeApi answer(NodeApiCall call, Object answer) {
        return answer(call.path(), 200, json(call, answer));
    }

    /** Answers every later {@code call} that carries {@code token} with this record (200). */
    public FakeNodeApi answer(String token, NodeApiCall call, Object answer) {
        return answer(token, call.path(), 200, json(call, answer));
    }

    /** Answers every later {@code call} carrying {@code token} with the record {@code respond} makes of the body. */
    public FakeNodeApi respond(String token, NodeApiCall call, Function<String, Object> respond) {
        synchronized (this) {
            responders.put("Bearer " + token + " " + call.path(), body -> new Answer(200, json(call,
                    respond.apply(body))));
        }
        return this;
    }

    /** Answers every later {@code call} with the record {@code respond} makes of the request's body. */
    public FakeNodeApi respond(NodeApiCall call, Function<String, Object> respond) {
        synchronized (this) {
            responders.put(call.path(), body -> new Answer(200, json(call, respond.apply(body))));
        }
        return this;
    }

    private static String json(NodeApiCall call, Object answer) {
        if (call.answer() == null || !call.answer().isInstance(answer)) {
            throw new IllegalArgumentException(call + " does not answer " + answer.getClass().getSimpleName());
        }
        try {
            return NodeApiJson.mapper().writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers the next requests to {@code path} with these, in order. */
    public synchronized FakeNodeApi then(String path, int status, String body) {
        scripted.computeIfAbsent(path, key -> new ArrayDeque<>()).add(new Answer(status, body));
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public synchronized List<Request> requests(String token, String path) {
        return requests.stream().filter(r -> r.path().equals(path) && ("Bearer " + token).equals(r.authorization()))
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Answer answer;
        Function<String, Answer> responder;
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Optional<Answer> refusal = refusal(exchange.getRequestMethod(), path, body);
            Deque<Answer> queue = scripted.get(path);
            Answer byToken = defaults.get(exchange.getRequestHeaders().getFirst("Authorization") + " " + path);
            responder = responders.getOrDefault(exchange.getRequestHeaders().getFirst("Authorization") + " " + path,
                    responders.get(path));
            answer = refusal.isPresent() ? refusal.get() : queue != null && !queue.isEmpty() ? queue.poll()
                    : byToken != null ? byToken : defaults.getOrDefault(path, new Answer(200, "{}"));
        }
        if (refusal(exchange.getRequestMethod(), path, body).isEmpty() && responder != null) {
            answer = responder.apply(body);
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** What clone-service would answer to a request that breaks the contract: 405 or 400. */
    private static Optional<Answer> refusal(String method, String path, String body) {
        Optional<NodeApiCall> known = Arrays.stream(NodeApiCall.values())
                .filter(call -> call.path().equals(path)).findFirst();
        if (known.isEmpty()) {
            return Optional.empty();
        }
        NodeApiCall call = known.get();
        if (!call.method().name().equals(method)) {
            return Optional.of(refused(405, call + " only"));
        }
        if (call.method() == NodeApiCall.Method.GET) {
            return Optional.empty();
        }
        try {
            if (call.request() == null) {
                return NodeApiJson.mapper().readTree(body).isEmpty() ? Optional.empty()
                        : Optional.of(refused(400, call + " takes no body"));
            }
            NodeApiJson.mapper().readValue(body, call.request());
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of(refused(400, e.getOriginalMessage()));
        }
    }

    private static Answer refused(int status, String message) {
        return new Answer(status, NodeApiJson.mapper().createObjectNode().put("message", message).toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
