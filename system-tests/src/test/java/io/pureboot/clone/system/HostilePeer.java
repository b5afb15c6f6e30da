package io.pureboot.clone.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.system.e2e.Host;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A target of a swarm session that lies to its peers. It holds real session credentials, made as the agent makes them
 * (a key of its own, a PKCS#10 request signed by it, the certificate from clone-service's CA through the node API),
 * posts its chunk server like any swarm target, claims every chunk, and serves each one as a well-formed zstd frame
 * of bytes that are not the source's, with their own SHA-256 in the header: only a target that checks the source's
 * hash catches it. It reads the source's manifest (as a target may) to serve each chunk at its right length.
 */
final class HostilePeer implements AutoCloseable {

    private static final String SHA256_HEADER = "X-Pureboot-Chunk-Sha256";
    /** A zstd block holds at most 128 KiB. */
    private static final int MAX_BLOCK = 128 * 1024;

    private final CloneStack stack;
    private final String token;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final AtomicInteger chunksServed = new AtomicInteger();
    /** The lie for each chunk length, made once. */
    private final Map<Integer, Lie> lies = new ConcurrentHashMap<>();

    /** A chunk's worth of wrong bytes as a zstd frame, and their own SHA-256. */
    private record Lie(byte[] frame, String sha256) {
    }

    private HostilePeer(CloneStack stack, String token, HttpsServer server, ExecutorService executor) {
        this.stack = stack;
        this.token = token;
        this.server = server;
        this.executor = executor;
    }

    /** Boots as the session's target {@code nodeId} (its script must be armed) and starts lying on 127.0.0.1. */
    static HostilePeer start(CloneStack stack, String nodeId, Path work) throws Exception {
        String token = stack.tokenOf(stack.bootScript(nodeId));
        Path keyFile = work.resolve("hostile-key.pem");
        Path csrFile = work.resolve("hostile.csr");
        Host.run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", keyFile.toString(), "-out", csrFile.toString(), "-subj", "/CN=hostile");
        JsonPath issued = stack.node(token).body(Map.of("csr_pem", Files.readString(csrFile)))
                .post("/api/v1/node/direct/certificate").then().statusCode(200).extract().jsonPath();
        SSLContext tls = tls(Files.readString(keyFile), issued.getString("certificate_pem"),
                issued.getString("ca_pem"));
        JsonPath direct = stack.node(token).get("/api/v1/node/direct").then().statusCode(200).extract().jsonPath();
        Map<Integer, Integer> lengths = chunkLengths(tls, direct.getString("source.address"),
                direct.getInt("source.port"));

        // A thread per exchange: every target asks for its first 16 chunks at once, and a liar whose answers queue
        // behind each other's would be dropped for timeouts before any target saw a bad chunk.
        ExecutorService executor = Executors.newCachedThreadPool();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.setExecutor(executor);
        HostilePeer peer = new HostilePeer(stack, token, server, executor);
        server.createContext("/swarm/v1/", exchange -> peer.handle(exchange, lengths));
        server.start();
        stack.node(token).body(Map.of("address", "127.0.0.1", "port", server.getAddress().getPort()))
                .post("/api/v1/node/direct/swarm").then().statusCode(204);
        return peer;
    }

    int chunksServed() {
        return chunksServed.get();
    }

    /** Ends its part of the session, as an agent that gave up does. */
    void fail(String message) {
        stack.node(token).body(Map.of("code", "peer", "message", message)).post("/api/v1/node/failed").then()
                .statusCode(204);
    }

    private void handle(HttpExchange exchange, Map<Integer, Integer> lengths) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/swarm/v1/have")) {
                BitSet all = new BitSet();
                all.set(0, lengths.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
                send(exchange, 200, all.toByteArray(), null);
                return;
            }
            Integer length = path.startsWith("/swarm/v1/chunks/")
                    ? lengths.get(Integer.valueOf(path.substring("/swarm/v1/chunks/".length()))) : null;
            if (length == null) {
                send(exchange, 404, new byte[0], null);
                return;
            }
            Lie lie = lies.computeIfAbsent(length, size -> {
                byte[] bad = new byte[size];
                Arrays.fill(bad, (byte) 0x5a);
                return new Lie(rawZstdFrame(bad), HexFormat.of().formatHex(sha256(bad)));
            });
            chunksServed.incrementAndGet();
            send(exchange, 200, lie.frame(), lie.sha256());
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String sha256) throws IOException {
        if (sha256 != null) {
            exchange.getResponseHeaders().add(SHA256_HEADER, sha256);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * A valid zstd frame (RFC 8878) holding {@code data} in raw blocks: single segment, the content size in 8 bytes,
     * no checksum. Any zstd decoder reads it back as {@code data}.
     */
    static byte[] rawZstdFrame(byte[] data) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(data.length + 32);
        frame.writeBytes(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, (byte) 0xe0});
        for (int i = 0; i < 8; i++) {
            frame.write((int) ((long) data.length >>> (8 * i)) & 0xff);
        }
        int offset = 0;
        do {
            int size = Math.min(MAX_BLOCK, data.length - offset);
            boolean last = offset + size == data.length;
            int header = (size << 3) | (last ? 1 : 0);
            frame.write(header & 0xff);
            frame.write((header >>> 8) & 0xff);
            frame.write((header >>> 16) & 0xff);
            frame.write(data, offset, size);
            offset += size;
        } while (offset < data.length);
        return frame.toByteArray();
    }

    /** Each chunk's length in the source's streamed manifest, read as a target of the session reads it. */
    private static Map<Integer, Integer> chunkLengths(SSLContext tls, String address, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create("https://" + address + ":" + port
                + "/direct/v1/manifest")).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the source answered " + answer.statusCode() + " for its manifest");
        }
        JsonNode manifest = EventCodec.mapper().readTree(answer.body());
        Map<Integer, Integer> lengths = new HashMap<>();
        for (JsonNode chunk : manifest.get("chunks")) {
            lengths.put(chunk.get("index").asInt(), chunk.get("length").asInt());
        }
        return lengths;
    }

    private static SSLContext tls(String keyPem, String certificatePem, String caPem) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate leaf = x509.generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(
                StandardCharsets.US_ASCII)));
        Certificate ca = x509.generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
        String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(base64)));
        char[] password = "hostile".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", key, password, new Certificate[] {leaf, ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
