package io.pureboot.clone.controller.direct.service;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The direct-mode CA: an EC P-256 key and a self-signed CA certificate, issuing one certificate per
 * node and session. Each names its holder as a URI subject alternative name,
 * {@code urn:pureboot:session:<session>:<source|target>:<node>}, which the source checks; a
 * source's also carries its IP address, which targets verify. The node's key is the node's own: it sends a PKCS#10
 * request, whose signature proves it holds the private key; only the public key is taken from it (names and extensions
 * come from the session), and the private key never leaves the node.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";

    /** An issued certificate and the CA, as PEM. */
    public record Issued(String certificatePem, String caPem, Instant notAfter) {
        public Issued {
            requireNonNull(certificatePem, "certificatePem is null");
            requireNonNull(caPem, "caPem is null");
        }
    }

    /** A certificate request that cannot be used: not PKCS#10, a bad signature, or not an EC P-256 key. */
    public static final class BadRequest extends IllegalArgumentException {
        BadRequest(String reason) {
            super(reason);
        }
    }

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final String certificatePem;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
        this.certificatePem = pem("CERTIFICATE", encoded(certificate));
    }

    /** A new CA valid for {@code lifetime}. */
    public static CertificateAuthority create(String name, Duration lifetime) {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(lifetime)), subject, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the direct-mode CA: " + e.getMessage(), e);
        }
    }

    /** The CA stored as PEM. */
    public static CertificateAuthority load(String certificatePem, String privateKeyPem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            byte[] der = Base64.getMimeDecoder().decode(privateKeyPem
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new CertificateAuthority(certificate, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored direct-mode CA is unreadable: " + e.getMessage(), e);
        }
    }

    public String certificatePem() {
        return certificatePem;
    }

    public String privateKeyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Issues a certificate for one node of a session.
     *
     * @param identityUri {@code urn:pureboot:session:<session>:<role>:<node>}
     * @param ipAddress the source's IP address literal, or null for a target
     * @param publicKey the node's key, from its request ({@link #publicKeyOf})
     */
    public Issued issue(String identityUri, String ipAddress, PublicKey publicKey, Duration lifetime) {
        try {
            Instant now = Instant.now();
            Instant notAfter = now.plus(lifetime);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), new X500Name("CN=" + cnOf(identityUri)),
                    publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identityUri));
            if (ipAddress != null) {
                names.add(new GeneralName(GeneralName.iPAddress, ipAddress));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(certificate));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(publicKey));
            X509Certificate issued = sign(builder, key);
            return new Issued(pem("CERTIFICATE", encoded(issued)), certificatePem, notAfter);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a direct-mode certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The request's public key, once its signature proved the node holds the private key.
     *
     * @throws BadRequest when the request is unreadable, its signature wrong, or its key not EC P-256
     */
    public static PublicKey publicKeyOf(String csrPem) {
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem == null ? "" : csrPem))) {
            Object parsed = parser.readObject();
            if (!(parsed instanceof PKCS10CertificationRequest pkcs10)) {
                throw new BadRequest("must be a PEM certificate request (PKCS#10)");
            }
            request = pkcs10;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadRequest bad) {
                throw bad;
            }
            throw new BadRequest("must be a PEM certificate request (PKCS#10)");
        }
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            PublicKey publicKey = jca.getPublicKey();
            if (!(publicKey instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new BadRequest("must carry an EC P-256 public key");
            }
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new BadRequest("is not signed by the key it carries");
            }
            return publicKey;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new BadRequest("cannot be verified: " + e.getMessage());
        }
    }

    /** The common name: the URI's role and node ("target 7c0e..."), for people reading the certificate. */
    private static String cnOf(String identityUri) {
        String[] parts = identityUri.split(":");
        return parts.length >= 2 ? parts[parts.length - 2] + " " + parts[parts.length - 1] : identityUri;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
