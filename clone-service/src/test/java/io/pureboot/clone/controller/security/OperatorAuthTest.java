package io.pureboot.clone.controller.security;

import static io.pureboot.clone.controller.Operators.ADMIN_KEY;
import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.pureboot.clone.controller.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** Real tokens end to end: the exchange, verification against the published keys, roles, revocation, the audit. */
@QuarkusTest
class OperatorAuthTest {

    @Test
    void anApiKeyIsExchangedForAShortLivedJwtThatOpensTheOperatorEndpoints() {
        JsonPath token = given().auth().oauth2(ADMIN_KEY).post("/api/v1/auth/token").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("role", equalTo("admin"))
                .body("subject", equalTo("bootstrap-admin")).body("expires_in", equalTo(600))
                .extract().jsonPath();
        String jwt = token.getString("access_token");
        JsonPath claims = new JsonPath(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.getString("sub")).isEqualTo("bootstrap-admin");
        assertThat(claims.getString("iss")).isEqualTo("pureboot-clone");
        assertThat(claims.getList("groups", String.class)).containsExactly("admin");
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(600);
        assertThat(claims.getString("jti")).isNotBlank();
        assertThat(claims.getString("pureboot_key_id")).isNotBlank();

        given().auth().oauth2(jwt).get("/api/v1/auth/whoami").then().statusCode(200)
                .body("subject", equalTo("bootstrap-admin")).body("role", equalTo("admin"))
                .body("key_id", equalTo(claims.getString("pureboot_key_id")));
        given().auth().oauth2(jwt).get("/api/v1/clone-sessions").then().statusCode(200);
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        List<String> published = given().get("/api/v1/auth/jwks").then().statusCode(200).extract().path("keys.kid");
        assertThat(published).hasSizeGreaterThanOrEqualTo(2).contains(new JsonPath(header).getString("kid"));
    }

    @Test
    void missingMalformedUnknownForgedAndExpiredCredentialsAre401() throws Exception {
        given().get("/api/v1/auth/whoami").then().statusCode(401);
        given().post("/api/v1/auth/token").then().statusCode(401).body("status", equalTo(401));
        given().auth().oauth2("pbk_unknown").post("/api/v1/auth/token").then().statusCode(401);
        given().auth().oauth2("pbk_unknown").get("/api/v1/clone-sessions").then().statusCode(401);
        given().auth().oauth2("not.a.jwt").get("/api/v1/clone-sessions").then().statusCode(401);

        String kid = given().get("/api/v1/auth/jwks").then().extract().path("keys[0].kid");
        long now = System.currentTimeMillis() / 1000;
        // Right issuer, kid and claims, wrong key: a forgery.
        given().auth().oauth2(sign(RsaJwkGenerator.generateJwk(2048), kid, now + 300)).get("/api/v1/clone-sessions")
                .then().statusCode(401);
        // Expired an hour ago (signed by a key the service does not publish either: the test cannot get the real one).
        given().auth().oauth2(sign(RsaJwkGenerator.generateJwk(2048), kid, now - 3600)).get("/api/v1/clone-sessions")
                .then().statusCode(401);
    }

    @Test
    void viewersLookOperatorsRunSessionsAdminsManageKeys() {
        String viewer = newKey("viewer");
        String operator = newKey("operator");

        given().auth().oauth2(viewer).get("/api/v1/clone-sessions").then().statusCode(200);
        given().auth().oauth2(viewer).contentType("application/json").body(Map.of("mac", randomMac(), "name", "v"))
                .post("/api/v1/nodes").then().statusCode(403);
        given().auth().oauth2(operator).contentType("application/json").body(Map.of("mac", randomMac(), "name", "o"))
                .post("/api/v1/nodes").then().statusCode(201);
        given().auth().oauth2(operator).get("/api/v1/api-keys").then().statusCode(403);
        given().auth().oauth2(operator).get("/api/v1/auth/whoami").then().statusCode(200).body("role", equalTo("operator"));
        admin().body(Map.of("name", "k", "role", "root")).post("/api/v1/api-keys").then().statusCode(400)
                .body("fields[0].field", equalTo("role"));
    }

    @Test
    void aRevokedKeyGetsNoNewToken() {
        String name = "revoked-" + UUID.randomUUID();
        String key = admin().body(Map.of("name", name, "role", "viewer")).post("/api/v1/api-keys")
                .then().statusCode(201).body("id", notNullValue()).extract().path("key");
        given().auth().oauth2(key).post("/api/v1/auth/token").then().statusCode(200);
        admin().delete("/api/v1/api-keys/{name}", name).then().statusCode(204);
        given().auth().oauth2(key).post("/api/v1/auth/token").then().statusCode(401);
    }

    @Test
    void nodeTokensStayOnTheNodeApiAndOperatorsOffIt() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("auth-source", "auth-target");
        String nodeToken = tokenOf(Sessions.bootScript(armed.sourceMac()));

        given().auth().oauth2(nodeToken).get("/api/v1/auth/whoami").then().statusCode(403);
        given().auth().oauth2(nodeToken).post("/api/v1/auth/token").then().statusCode(401);
        given().auth().oauth2(nodeToken).get("/api/v1/clone-sessions/{id}", armed.sessionId()).then().statusCode(403);
        given().auth().oauth2(ADMIN_KEY).get("/api/v1/node/instructions").then().statusCode(403);
    }

    @Test
    void aNodeTokenOfOneSessionNeverReachesAnother() {
        Sessions.ArmedSource first = Sessions.armedStagedSource("scope-a-source", "scope-a-target");
        Sessions.ArmedSource second = Sessions.armedStagedSource("scope-b-source", "scope-b-target");
        String firstToken = tokenOf(Sessions.bootScript(first.sourceMac()));
        String secondToken = tokenOf(Sessions.bootScript(second.sourceMac()));

        // The node API takes no session from the caller: the token alone names it.
        given().auth().oauth2(firstToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("session_id", equalTo(first.sessionId()));
        given().auth().oauth2(secondToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("session_id", equalTo(second.sessionId()));
        given().auth().oauth2(firstToken).get("/api/v1/node/instructions?session={id}", second.sessionId())
                .then().statusCode(200).body("session_id", equalTo(first.sessionId()));
        // Nor does it open the other session through the operator API.
        given().auth().oauth2(firstToken).get("/api/v1/clone-sessions/{id}", second.sessionId()).then().statusCode(403);
        given().auth().oauth2(firstToken).get("/api/v1/audit?session={id}", second.sessionId()).then().statusCode(403);
        given().auth().oauth2(firstToken).contentType("application/json").body(Map.of("reason", "x"))
                .post("/api/v1/clone-sessions/{id}/cancel", second.sessionId()).then().statusCode(403);
        admin().get("/api/v1/clone-sessions/{id}", second.sessionId()).then().body("state", not(equalTo("cancelled")));
    }

    @Test
    void everyOperatorChangeIsAuditedWithSubjectKeyIdAndRole() {
        String keyId = given().auth().oauth2(ADMIN_KEY).get("/api/v1/auth/whoami").then().extract().path("key_id");
        String name = "audited-" + UUID.randomUUID();
        admin().body(Map.of("name", name, "role", "viewer")).post("/api/v1/api-keys").then().statusCode(201);
        admin().delete("/api/v1/api-keys/{name}", name).then().statusCode(204);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> entries = admin().queryParam("actor", "bootstrap-admin").get("/api/v1/audit")
                    .then().statusCode(200).extract().path("findAll { it.data.path == '/api/v1/api-keys/" + name + "' }");
            assertThat(entries).hasSize(1);
            assertThat(entries.getFirst()).containsEntry("type", "io.pureboot.operator.action-recorded")
                    .containsEntry("actor", Map.of("subject", "bootstrap-admin", "key_id", keyId, "role", "admin"));
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) entries.getFirst().get("data");
            assertThat(data).containsEntry("method", "DELETE")
                    .containsEntry("status", 204).containsEntry("service", "clone-service");
        });
    }

    private static String newKey(String role) {
        return admin().body(Map.of("name", role + "-" + UUID.randomUUID(), "role", role)).post("/api/v1/api-keys")
                .then().statusCode(201).extract().path("key");
    }

    private static String sign(RsaJsonWebKey key, String kid, long expires) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("pureboot-clone");
        claims.setSubject("mallory");
        claims.setStringListClaim("groups", List.of("admin"));
        claims.setIssuedAt(NumericDate.fromSeconds(expires - 600));
        claims.setExpirationTime(NumericDate.fromSeconds(expires));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
