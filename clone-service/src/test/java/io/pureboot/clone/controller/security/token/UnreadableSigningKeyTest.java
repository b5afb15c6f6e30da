package io.pureboot.clone.controller.security.token;

import static io.pureboot.clone.controller.Operators.ADMIN_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Test;

/**
 * A database that holds a signing key sealed with another secret (a new checkout over an old database, a sealing key
 * replaced without listing the old one as retired) must not stop sign-in: the key is dropped and a readable one signs.
 */
@QuarkusTest
class UnreadableSigningKeyTest {

    private static final String OTHER_SECRET = Base64.getEncoder()
            .encodeToString("another-installation-secret-32b!".getBytes(StandardCharsets.US_ASCII));

    @Inject
    AgroalDataSource database;

    @Inject
    SigningKeys signingKeys;

    @Test
    void aKeySealedWithAnotherSecretIsDroppedAndTokensAreStillIssued() throws Throwable {
        given().auth().oauth2(ADMIN_KEY).post("/api/v1/auth/token").then().statusCode(200);
        String foreign = "foreign-" + UUID.randomUUID();
        // Activated a second ago: the latest activated key, the one that would sign if it were readable.
        insertForeignKey(foreign, Instant.now().minusSeconds(1));

        VertxContextSupport.subscribeAndAwait(() -> signingKeys.rotate());

        String jwt = given().auth().oauth2(ADMIN_KEY).post("/api/v1/auth/token").then().statusCode(200)
                .extract().path("access_token");
        String kid = new JsonPath(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]),
                StandardCharsets.UTF_8)).getString("kid");
        assertThat(kid).isNotEqualTo(foreign);
        given().auth().oauth2(jwt).get("/api/v1/auth/whoami").then().statusCode(200);
        List<String> published = given().get("/api/v1/auth/jwks").then().statusCode(200).extract().path("keys.kid");
        assertThat(published).contains(kid).doesNotContain(foreign);
        assertThat(stored(foreign)).as("the unreadable key is deleted").isFalse();
    }

    private void insertForeignKey(String kid, Instant activatesAt) throws Exception {
        RsaJsonWebKey jwk = RsaJwkGenerator.generateJwk(2048);
        jwk.setKeyId(kid);
        SecretCipher other = new SecretCipher("other.key", OTHER_SECRET, "other.retired", List.of());
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into signing_key"
                        + " (kid, public_jwk, private_jwk_sealed, created_at, activates_at) values (?, ?, ?, ?, ?)")) {
            insert.setString(1, kid);
            insert.setString(2, jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            insert.setString(3, other.seal(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE),
                    "signing-key:" + kid));
            insert.setTimestamp(4, Timestamp.from(activatesAt));
            insert.setTimestamp(5, Timestamp.from(activatesAt));
            insert.executeUpdate();
        }
    }

    private boolean stored(String kid) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement("select 1 from signing_key where kid = ?")) {
            select.setString(1, kid);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
