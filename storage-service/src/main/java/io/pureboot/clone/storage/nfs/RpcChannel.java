package io.pureboot.clone.storage.nfs;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.RpcAccepsStatus;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthStat;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcRejectStatus;
import org.dcache.oncrpc4j.rpc.RpcReply;
import org.dcache.oncrpc4j.rpc.RpcTransport;

/**
 * One TCP connection to one RPC service (portmapper, mountd, nfsd), made with dCache's oncrpc4j.
 * Every call is bounded by the timeout; every failure becomes an {@link NfsException} that says
 * which service on which address did what.
 */
final class RpcChannel implements AutoCloseable {

    private final OncRpcClient client;
    private final RpcTransport transport;
    private final String service;
    private final Duration timeout;
    private final RpcAuth auth;

    private RpcChannel(OncRpcClient client, RpcTransport transport, String service, Duration timeout, RpcAuth auth) {
        this.client = client;
        this.transport = transport;
        this.service = service;
        this.timeout = timeout;
        this.auth = auth;
    }

    /** Connects to {@code address}; {@code service} names it in messages ("rpcbind on 10.0.0.5:111"). */
    static RpcChannel open(InetSocketAddress address, String service, Duration timeout, RpcAuth auth)
            throws NfsException {
        OncRpcClient client = OncRpcClient.newBuilder()
                .withTCP()
                .withConnectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .withServiceName("pureboot-nfs")
                .build(address);
        try {
            return new RpcChannel(client, client.connect(), service, timeout, auth);
        } catch (IOException e) {
            closeQuietly(client);
            throw connectFailure(service, e);
        }
    }

    /** Calls one procedure and decodes its result. */
    <T> T call(int program, int version, int procedure, XdrCodec.Writer arguments, XdrCodec.Reader<T> reader)
            throws NfsException {
        String what = service + " procedure " + procedure;
        CompletableFuture<RpcReply> reply = new CompletableFuture<>();
        try {
            new RpcCall(program, version, auth, transport).call(procedure, XdrCodec.arguments(arguments),
                    new CompletionHandler<>() {
                        @Override
                        public void completed(RpcReply result, RpcTransport attachment) {
                            reply.complete(result);
                        }

                        @Override
                        public void failed(Throwable failure, RpcTransport attachment) {
                            reply.completeExceptionally(failure);
                        }
                    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            RpcReply answer = reply.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            check(answer, what);
            XdrCodec.Result<T> result = XdrCodec.result(reader);
            answer.getReplyResult(result);
            return result.value();
        } catch (TimeoutException e) {
            throw new NfsException(NfsFailure.TIMEOUT, what + " got no answer in " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new NfsException(NfsFailure.TIMEOUT, what + " got no answer in " + timeout.toSeconds() + " s",
                        cause);
            }
            throw new NfsException(NfsFailure.UNREACHABLE, what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NfsException(NfsFailure.TIMEOUT, what + " was interrupted", e);
        } catch (NfsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new NfsException(NfsFailure.PROTOCOL, what + " answered something unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void check(RpcReply reply, String what) throws NfsException {
        if (!reply.isAccepted()) {
            if (reply.getRejectStatus() == RpcRejectStatus.AUTH_ERROR) {
                String reason = reply.getAuthStatus() == RpcAuthStat.AUTH_TOOWEAK
                        ? "AUTH_SYS from an unprivileged port is refused (the export needs the 'insecure' option)"
                        : "credentials refused (" + RpcAuthStat.toString(reply.getAuthStatus()) + ")";
                throw new NfsException(NfsFailure.ACCESS_DENIED, what + ": " + reason);
            }
            throw new NfsException(NfsFailure.PROTOCOL, what + " was rejected: RPC version mismatch");
        }
        int status = reply.getAcceptStatus();
        if (status != RpcAccepsStatus.SUCCESS) {
            throw new NfsException(NfsFailure.PROTOCOL, what + " was not accepted: " + RpcAccepsStatus.toString(status));
        }
    }

    private static NfsException connectFailure(String service, IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return new NfsException(NfsFailure.REFUSED, service + " refused the connection", e);
        }
        if (cause instanceof NoRouteToHostException) {
            return new NfsException(NfsFailure.UNREACHABLE, service + " is unreachable (no route to host)", e);
        }
        if (cause instanceof TimeoutException) {
            return new NfsException(NfsFailure.UNREACHABLE, service + " did not answer the connection in time", e);
        }
        return new NfsException(NfsFailure.UNREACHABLE, service + " cannot be reached: " + cause, e);
    }

    private static void closeQuietly(OncRpcClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // the client's selector threads stop either way
        }
    }
}
