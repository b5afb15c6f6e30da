package io.pureboot.clone.nodeapi;

/**
 * Every call of the node API: method, path, request body and answer. clone-service's resource declares exactly
 * these (its test compares), the agent's client calls them, and docs/node-agent.md's table lists them (the
 * contract test compares). Every call but {@link #TICKET} carries {@code Authorization: Bearer <node token>}; the node
 * API is served over HTTPS only.
 */
public enum NodeApiCall {
    /** The first call, and the only one without a bearer token: trades the boot ticket for the node token. */
    TICKET(Method.POST, Paths.TICKET, BootTicketExchange.class, NodeTokenGrant.class),
    INSTRUCTIONS(Method.GET, Paths.INSTRUCTIONS, null, Instructions.class),
    /** Not a GET: the grant moves the staging area (uploading for the source, downloading for targets). */
    STAGING(Method.POST, Paths.STAGING, null, StagingGrant.class),
    INVENTORY(Method.POST, Paths.INVENTORY, InventoryReport.class, null),
    PROGRESS(Method.POST, Paths.PROGRESS, ProgressReport.class, null),
    SOURCE_COMPLETE(Method.POST, Paths.SOURCE_COMPLETE, SourceComplete.class, null),
    COMPLETE(Method.POST, Paths.COMPLETE, null, null),
    FAILED(Method.POST, Paths.FAILED, FailureReport.class, null),
    DIRECT_CERTIFICATE(Method.POST, Paths.DIRECT_CERTIFICATE, DirectCertificateRequest.class, DirectCertificate.class),
    DIRECT_LISTENING(Method.POST, Paths.DIRECT_LISTENING, DirectListening.class, null),
    DIRECT(Method.GET, Paths.DIRECT, null, DirectInfo.class),
    /** A direct target's swarm chunk server listens (docs/swarm.md); listed to the session's other targets. */
    DIRECT_SWARM(Method.POST, Paths.DIRECT_SWARM, SwarmEndpoint.class, null),
    /** A swarm target dropped a peer (a bad chunk, failed requests): for the audit. */
    DIRECT_SWARM_DROPPED(Method.POST, Paths.DIRECT_SWARM_DROPPED, DroppedPeer.class, null);

    /** The HTTP methods the node API uses. A GET never changes state, so any GET may be retried. */
    public enum Method {
        GET,
        POST
    }

    /** The paths as compile-time constants, for JAX-RS annotations; relative to {@link #BASE}. */
    public static final class Paths {
        public static final String BASE = "/api/v1/node";
        public static final String TICKET = "/ticket";
        public static final String INSTRUCTIONS = "/instructions";
        public static final String STAGING = "/staging";
        public static final String INVENTORY = "/inventory";
        public static final String PROGRESS = "/progress";
        public static final String SOURCE_COMPLETE = "/source-complete";
        public static final String COMPLETE = "/complete";
        public static final String FAILED = "/failed";
        public static final String DIRECT_CERTIFICATE = "/direct/certificate";
        public static final String DIRECT_LISTENING = "/direct/listening";
        public static final String DIRECT = "/direct";
        public static final String DIRECT_SWARM = "/direct/swarm";
        public static final String DIRECT_SWARM_DROPPED = "/direct/swarm/dropped";

        private Paths() {
        }
    }

    private final Method method;
    private final String relativePath;
    private final Class<?> request;
    private final Class<?> answer;

    NodeApiCall(Method method, String relativePath, Class<?> request, Class<?> answer) {
        this.method = method;
        this.relativePath = relativePath;
        this.request = request;
        this.answer = answer;
    }

    public Method method() {
        return method;
    }

    /** The absolute path, e.g. {@code /api/v1/node/instructions}. */
    public String path() {
        return Paths.BASE + relativePath;
    }

    /** The request body's record; null when the call takes none (a POST then sends {@code {}}). */
    public Class<?> request() {
        return request;
    }

    /** The answer's record; null for 204 No Content. */
    public Class<?> answer() {
        return answer;
    }

    /** {@code METHOD /path}, as docs and error messages name the call. */
    @Override
    public String toString() {
        return method + " " + path();
    }
}
