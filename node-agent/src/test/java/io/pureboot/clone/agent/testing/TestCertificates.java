package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.nodeapi.DirectCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A throw-away CA made with openssl, issuing direct-mode certificates as the clone-service's CA does: an EC P-256 key,
 * the identity URI and (for a source) its IP address as subject alternative names.
 */
public final class TestCertificates {

    private final Path directory;
    private final Path caKey;
    private final Path caCertificate;
    private int serial;

    private TestCertificates(Path directory, Path caKey, Path caCertificate) {
        this.directory = directory;
        this.caKey = caKey;
        this.caCertificate = caCertificate;
    }

    public static TestCertificates newCa(Path directory, String name) {
        Path key = directory.resolve(name + "-ca.key");
        Path certificate = directory.resolve(name + "-ca.pem");
        Sys.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "1", "-subj", "/CN=" + name);
        return new TestCertificates(directory, key, certificate);
    }

    /** The answer clone-service gives a node's request: a certificate for its key, named for {@code identity}. */
    public DirectCertificate certify(String csrPem, PeerIdentity identity, String address) throws IOException {
        String name = "leaf-" + (++serial);
        Path request = directory.resolve(name + ".csr");
        Files.writeString(request, csrPem);
        Path certificate = sign(name, request, identity, address);
        String pem = Files.readString(certificate);
        return new DirectCertificate(pem, Files.readString(caCertificate), OffsetDateTime.now(ZoneOffset.UTC).plusDays(1));
    }

    /** Credentials for {@code identity}; {@code address} (an IP) goes into the SAN when not null. */
    public SessionCredentials issue(PeerIdentity identity, String address) throws IOException {
        String name = "leaf-" + (++serial);
        Path key = directory.resolve(name + ".key");
        Path request = directory.resolve(name + ".csr");
        Sys.run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-out", request.toString(), "-subj", "/CN=" + identity.role() + " " + identity.nodeId());
        Path certificate = sign(name, request, identity, address);
        return new SessionCredentials(Files.readString(certificate), Files.readString(key),
                Files.readString(caCertificate));
    }

    private Path sign(String name, Path request, PeerIdentity identity, String address) throws IOException {
        Path certificate = directory.resolve(name + ".pem");
        Path extensions = directory.resolve(name + ".ext");
        Files.writeString(extensions, "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n"
                + "subjectAltName=URI:" + identity.uri() + (address == null ? "" : ",IP:" + address) + "\n");
        Sys.run("openssl", "x509", "-req", "-in", request.toString(), "-CA", caCertificate.toString(), "-CAkey",
                caKey.toString(), "-set_serial", String.valueOf(1000 + serial), "-days", "1", "-out",
                certificate.toString(), "-extfile", extensions.toString());
        return certificate;
    }
}
