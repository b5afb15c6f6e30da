package io.pureboot.clone.controller.direct;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A node's own key pair and its PKCS#10 request, as the agent makes them: the private key stays in the test. */
public record NodeKeys(KeyPair pair, String csrPem) {

    public static NodeKeys create() {
        KeyPair pair = newPair();
        return create(pair, pair);
    }

    /** A request carrying {@code carried}'s public key but signed by {@code signer}: proves nothing. */
    public static NodeKeys create(KeyPair carried, KeyPair signer) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=node"), carried.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            return new NodeKeys(carried, pem.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair newPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
