package io.pureboot.clone.agent.report;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context the node API client uses: it trusts only the controller's CA ({@code pureboot.ca}, in the boot image
 * /etc/pureboot/ca.pem from the CA initrd), never the JDK's public CAs, so a node talks to its controller or to no one.
 */
public final class ControllerTls {

    private ControllerTls() {
    }

    /** A context trusting exactly the certificates in {@code caFile} (PEM). */
    public static SSLContext pinned(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("controller-ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new AgentException(FailureKind.CONFIGURATION, "no certificate in the CA file " + caFile);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "cannot read the controller's CA " + caFile + ": "
                    + e.getMessage(), e);
        }
    }
}
