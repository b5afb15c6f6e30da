package io.pureboot.clone.agent.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.staging.StagingInfo;
import io.pureboot.clone.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The clone-service's node API, as documented in docs/node-agent.md. Every call carries the node's bearer token.
 * Connection errors and 5xx answers are retried with exponential backoff within the {@link RetryPolicy}; a 4xx is
 * final at once (the request itself is wrong, or the session is over).
 */
public final class NodeApiClient {

    private static final Logger LOG = Logger.getLogger(NodeApiClient.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** How the client waits between attempts (tests substitute a recording one). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final ObjectMapper mapper = EventCodec.mapper();

    public NodeApiClient(URI base, String token, RetryPolicy retry, Sleeper sleeper) {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static NodeApiClient create(URI base, String token) {
        return new NodeApiClient(base, token, RetryPolicy.standard(), duration -> Thread.sleep(duration.toMillis()));
    }

    public Instructions instructions() {
        return get("/api/v1/node/instructions", Instructions.class);
    }

    public StagingInfo staging() {
        return get("/api/v1/node/staging", StagingInfo.class);
    }

    public void inventory(ApiRecords.InventoryReport report) {
        post("/api/v1/node/inventory", report, retry);
    }

    /** One attempt only: the {@link ProgressReporter} queues what fails and sends it later. */
    public void progressOnce(ApiRecords.ProgressReport report) {
        post("/api/v1/node/progress", report, RetryPolicy.once());
    }

    public void sourceComplete(ApiRecords.SourceComplete body) {
        post("/api/v1/node/source-complete", body, retry);
    }

    public void complete() {
        post("/api/v1/node/complete", new ApiRecords.Empty(), retry);
    }

    public void failed(ApiRecords.Failure failure) {
        post("/api/v1/node/failed", failure, retry);
    }

    /** A direct-mode certificate for this node; {@code address} (the source's IP) goes into a source's. */
    public SessionCredentials directCertificate(String address) {
        String body = post("/api/v1/node/direct/certificate", new ApiRecords.DirectCertificateRequest(address), retry);
        return parse(body, "POST /api/v1/node/direct/certificate", SessionCredentials.class);
    }

    public void directListening(String address, int port) {
        post("/api/v1/node/direct/listening", new ApiRecords.DirectListening(address, port), retry);
    }

    public DirectInfo direct() {
        return get("/api/v1/node/direct", DirectInfo.class);
    }

    private <T> T get(String path, Class<T> type) {
        HttpRequest request = request(path).GET().build();
        return parse(send(request, path, retry), "GET " + path, type);
    }

    private <T> T parse(String body, String what, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new AgentException(FailureKind.SERVER, what + " returned an invalid body: " + e.getMessage(), e);
        }
    }

    private String post(String path, Object body, RetryPolicy policy) {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
        HttpRequest request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return send(request, path, policy);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private String send(HttpRequest request, String path, RetryPolicy policy) {
        long started = System.nanoTime();
        String what = request.method() + " " + path;
        for (int attempt = 1; ; attempt++) {
            ApiException failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body();
                }
                failure = new ApiException(status, what + " answered " + status + errorDetail(response.body()), null);
                if (!failure.retryable()) {
                    throw failure;
                }
            } catch (IOException e) {
                failure = new ApiException(0, what + " failed: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, what + " was interrupted", e);
            }
            Duration delay = policy.delayAfter(attempt);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (attempt >= policy.maxAttempts() || elapsed.plus(delay).compareTo(policy.maxTotal()) > 0) {
                throw new ApiException(failure.status(), failure.getMessage() + " (gave up after " + attempt
                        + (attempt == 1 ? " attempt)" : " attempts)"), failure.getCause());
            }
            String retrying = failure.getMessage() + "; retrying in " + delay.toMillis() + " ms";
            LOG.fine(retrying);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, what + " was interrupted", e);
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
    }
}
