package io.pureboot.clone.agent.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.CertificateRequest;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.BootTicketExchange;
import io.pureboot.clone.nodeapi.DirectCertificate;
import io.pureboot.clone.nodeapi.DirectCertificateRequest;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.DirectListening;
import io.pureboot.clone.nodeapi.DroppedPeer;
import io.pureboot.clone.nodeapi.FailureReport;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.InventoryReport;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeApiJson;
import io.pureboot.clone.nodeapi.NodeTokenGrant;
import io.pureboot.clone.nodeapi.ProgressReport;
import io.pureboot.clone.nodeapi.SourceComplete;
import io.pureboot.clone.nodeapi.StagingGrant;
import io.pureboot.clone.nodeapi.SwarmEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The clone-service's node API: the node-api module's calls and records (docs/node-agent.md), bound with its strict
 * mapper, so an answer with a property this agent does not know fails as an invalid body. The first call trades the
 * boot ticket for the node token ({@link #withTicket}); every other call carries that token. Over HTTPS the client
 * trusts only the controller's CA ({@link ControllerTls}).
 * Connection errors and 5xx answers are retried with exponential backoff within the {@link RetryPolicy}; a 4xx is
 * final at once (the request itself is wrong, or the session is over).
 */
public final class NodeApiClient {

    private static final Logger LOG = Logger.getLogger(NodeApiClient.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Covers the TLS handshake too. A node's first handshake runs in a cold JVM: in the boot image under emulation
     * (the VM tests) it took over 10 s, and every attempt cut short started the handshake again from scratch.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** How the client waits between attempts (tests substitute a recording one). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final SecureRandom ATTEMPTS = new SecureRandom();

    private final URI base;
    private final String token;
    private final SSLContext tls;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final ObjectMapper mapper = NodeApiJson.mapper();

    public NodeApiClient(URI base, String token, RetryPolicy retry, Sleeper sleeper) {
        this(base, token, null, retry, sleeper);
    }

    /**
     * @param token the node token; null only for the ticket's exchange
     * @param tls the context trusting only the controller's CA, or null for plain HTTP (tests) or the JDK's defaults
     */
    public NodeApiClient(URI base, String token, SSLContext tls, RetryPolicy retry, Sleeper sleeper) {
        this.base = requireNonNull(base, "base is null");
        this.token = token;
        this.tls = tls;
        this.retry = requireNonNull(retry, "retry is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public static NodeApiClient create(URI base, String token) {
        return create(base, token, null);
    }

    public static NodeApiClient create(URI base, String token, SSLContext tls) {
        return new NodeApiClient(base, requireNonNull(token, "token is null"), tls, RetryPolicy.standard(),
                duration -> Thread.sleep(duration.toMillis()));
    }

    /**
     * Trades the boot ticket for the node token ({@code POST /api/v1/node/ticket}, the one call without a bearer
     * token) and answers a client carrying it. A refused ticket (used, expired) is final: 401, never retried. Every
     * try of the trade carries the same random attempt value, so a retry after a lost answer (a timeout) is answered
     * again instead of refused as a used ticket.
     */
    public static NodeApiClient withTicket(URI base, String ticket, SSLContext tls) {
        NodeApiClient anonymous = new NodeApiClient(base, null, tls, RetryPolicy.standard(),
                duration -> Thread.sleep(duration.toMillis()));
        byte[] attempt = new byte[24];
        ATTEMPTS.nextBytes(attempt);
        BootTicketExchange trade = new BootTicketExchange(ticket,
                Base64.getUrlEncoder().withoutPadding().encodeToString(attempt));
        NodeTokenGrant grant = anonymous.parse(anonymous.post(NodeApiCall.TICKET, trade, anonymous.retry),
                NodeApiCall.TICKET, NodeTokenGrant.class);
        return new NodeApiClient(base, grant.token(), tls, anonymous.retry, anonymous.sleeper);
    }

    /** The node token this client carries (the init script reports a failure with it if the agent cannot). */
    public String token() {
        return token;
    }

    public Instructions instructions() {
        return get(NodeApiCall.INSTRUCTIONS, Instructions.class);
    }

    /** Asks for the staging mount: a POST, since the grant moves the session's staging area on. */
    public StagingGrant staging() {
        return parse(post(NodeApiCall.STAGING, null, retry), NodeApiCall.STAGING, StagingGrant.class);
    }

    public void inventory(InventoryReport report) {
        post(NodeApiCall.INVENTORY, report, retry);
    }

    /** One attempt only: the {@link ProgressReporter} queues what fails and sends it later. */
    public void progressOnce(ProgressReport report) {
        post(NodeApiCall.PROGRESS, report, RetryPolicy.once());
    }

    public void sourceComplete(SourceComplete body) {
        post(NodeApiCall.SOURCE_COMPLETE, body, retry);
    }

    public void complete() {
        post(NodeApiCall.COMPLETE, null, retry);
    }

    public void failed(FailureReport failure) {
        post(NodeApiCall.FAILED, failure, retry);
    }

    /**
     * A direct-mode certificate for a key pair this node makes now; {@code address} (the source's IP) goes into a
     * source's. Only the request travels; a certificate for another key is refused as an invalid answer.
     */
    public SessionCredentials directCertificate(String address) {
        CertificateRequest request = CertificateRequest.create();
        String body = post(NodeApiCall.DIRECT_CERTIFICATE, new DirectCertificateRequest(address, request.pem()), retry);
        DirectCertificate certificate = parse(body, NodeApiCall.DIRECT_CERTIFICATE, DirectCertificate.class);
        SessionCredentials credentials = new SessionCredentials(certificate.certificatePem(), request.privateKeyPem(),
                certificate.caPem());
        if (!credentials.certificate().getPublicKey().equals(request.keyPair().getPublic())) {
            throw new AgentException(FailureKind.SERVER, NodeApiCall.DIRECT_CERTIFICATE
                    + " returned a certificate for another key than this node's request");
        }
        return credentials;
    }

    /** The direct source serves here now, after these repairs of the source (repair_source; empty when none). */
    public void directListening(String address, int port, List<SourceRepair> repairs) {
        post(NodeApiCall.DIRECT_LISTENING, new DirectListening(address, port, repairs), retry);
    }

    /** Where this target's swarm chunk server listens, for the session's other targets. */
    public void directSwarm(String address, int port) {
        post(NodeApiCall.DIRECT_SWARM, new SwarmEndpoint(address, port), retry);
    }

    /** This target dropped a swarm peer (a bad chunk, failed requests): for the session's audit. */
    public void directSwarmDropped(UUID peerNodeId, String reason, Integer chunk) {
        post(NodeApiCall.DIRECT_SWARM_DROPPED, new DroppedPeer(peerNodeId, reason, chunk), retry);
    }

    public DirectInfo direct() {
        return get(NodeApiCall.DIRECT, DirectInfo.class);
    }

    private <T> T get(NodeApiCall call, Class<T> type) {
        checkCall(call, NodeApiCall.Method.GET, null, type);
        HttpRequest request = request(call.path()).GET().build();
        return parse(send(request, call.path(), retry), call, type);
    }

    /** The contract says which body and answer each call has; a mismatch here is a bug in this client. */
    private static void checkCall(NodeApiCall call, NodeApiCall.Method method, Object body, Class<?> answer) {
        boolean bodyMatches = body == null ? call.request() == null : call.request() == body.getClass();
        if (call.method() != method || !bodyMatches || answer != null && answer != call.answer()) {
            throw new IllegalStateException(call + " does not take " + (body == null ? "no body" : body.getClass())
                    + " or answer " + answer);
        }
    }

    private <T> T parse(String body, NodeApiCall call, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new AgentException(FailureKind.SERVER, call + " returned an invalid body: " + e.getMessage(), e);
        }
    }

    /** Posts {@code body} ({@code {}} when null, for the calls that take none) and returns the answer's text. */
    private String post(NodeApiCall call, Object body, RetryPolicy policy) {
        checkCall(call, NodeApiCall.Method.POST, body, null);
        String json;
        try {
            json = body == null ? "{}" : mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
        HttpRequest request = request(call.path()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return send(request, call.path(), policy);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
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
