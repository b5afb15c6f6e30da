package io.pureboot.clone.controller.security.token;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.security.ApiKey;
import io.pureboot.clone.platform.security.Credentials;
import io.pureboot.clone.platform.security.IssuedToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs a short-lived JWT for an API key: sub = the key's name, groups = [its role], the key's id, iss, iat, exp and
 * a unique jti. Every service verifies it on its own against the published keys.
 */
@ApplicationScoped
public class TokenIssuer {

    private final SigningKeys keys;
    private final Duration lifetime;
    private final String issuer;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, CloneConfig config, Clock clock,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.keys = keys;
        this.lifetime = config.auth().tokenLifetime();
        this.issuer = issuer;
        this.clock = clock;
    }

    public Uni<IssuedToken> issue(ApiKey key) {
        String name = key.name;
        String role = key.role;
        UUID keyId = key.id;
        return keys.current().map(signingKey -> {
            long now = clock.instant().getEpochSecond();
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setSubject(name);
            claims.setStringListClaim("groups", List.of(role));
            claims.setClaim(Credentials.KEY_ID_CLAIM, keyId.toString());
            claims.setIssuedAt(NumericDate.fromSeconds(now));
            claims.setExpirationTime(NumericDate.fromSeconds(now + lifetime.toSeconds()));
            claims.setJwtId(UUID.randomUUID().toString());
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(signingKey.getPrivateKey());
            jws.setKeyIdHeaderValue(signingKey.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            try {
                return new IssuedToken(jws.getCompactSerialization(), IssuedToken.BEARER, lifetime.toSeconds(), role, name);
            } catch (JoseException e) {
                throw new IllegalStateException("cannot sign a token", e);
            }
        });
    }
}
