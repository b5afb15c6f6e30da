package io.pureboot.clone.agent.direct;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * This node's own direct-mode key pair and its PKCS#10 certificate request (RFC 2986), so that the private key never
 * leaves the node: the clone-service's CA gets the request, checks its signature and certifies its public key. The
 * JDK has no public API for requests, and the agent carries no BouncyCastle (the boot image's size budget), so the few
 * DER structures are written here: a fixed subject {@code CN=pureboot node} (the CA names the node from the session,
 * never from the request), the key, no attributes.
 */
public record CertificateRequest(KeyPair keyPair, String pem) {

    /** Name ::= SEQUENCE { SET { SEQUENCE { commonName (2.5.4.3), UTF8String "pureboot node" } } }. */
    private static final byte[] SUBJECT = sequence(tagged(0x31, sequence(new byte[] {0x06, 0x03, 0x55, 0x04, 0x03},
            tagged(0x0C, "pureboot node".getBytes(StandardCharsets.US_ASCII)))));

    /** A new EC P-256 key pair and a request signed with it. */
    public static CertificateRequest create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] info = sequence(
                    new byte[] {0x02, 0x01, 0x00},            // version 0
                    SUBJECT,
                    pair.getPublic().getEncoded(),            // SubjectPublicKeyInfo, DER already
                    new byte[] {(byte) 0xA0, 0x00});          // attributes [0]: none
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(info);
            byte[] signature = signer.sign();
            byte[] ecdsaWithSha256 = sequence(new byte[] {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D,
                    0x04, 0x03, 0x02});
            byte[] request = sequence(info, ecdsaWithSha256, bitString(signature));
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(request);
            return new CertificateRequest(pair, "-----BEGIN CERTIFICATE REQUEST-----\n" + body
                    + "\n-----END CERTIFICATE REQUEST-----\n");
        } catch (GeneralSecurityException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "cannot make this node's key pair: " + e.getMessage(),
                    e);
        }
    }

    /** The private key as PKCS#8 PEM, for {@link SessionCredentials}; it stays in this process. */
    public String privateKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    @Override
    public String toString() {
        return "CertificateRequest[privateKey=***]";
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tagged(0x30, content.toByteArray());
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length);  // first byte: no unused bits
        return tagged(0x03, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
