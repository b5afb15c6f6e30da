package io.pureboot.clone.controller.nodeapi;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.controller.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may call what: operator roles, node tokens scoped to their session and role. */
@QuarkusTest
class NodeApiSecurityTest {

    @Test
    void operatorEndpointsNeedAKeyAndViewersOnlyLook() {
        given().get("/api/v1/clone-sessions").then().statusCode(401);
        given().auth().oauth2("pbk_not-a-key").get("/api/v1/clone-sessions").then().statusCode(401);
        String viewerKey = admin().body(Map.of("name", "viewer-" + randomMac(), "role", "viewer"))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("key");

        given().auth().oauth2(viewerKey).get("/api/v1/clone-sessions").then().statusCode(200);
        given().auth().oauth2(viewerKey).contentType("application/json").body(Map.of("mac", randomMac(), "name", "x"))
                .post("/api/v1/nodes").then().statusCode(403);
        admin().get("/api/v1/api-keys").then().statusCode(200).body("key.findAll { it != null }.size()", equalTo(0));
        admin().body(Map.of("name", "bad", "role", "root")).post("/api/v1/api-keys").then().statusCode(400)
                .body("fields[0].field", equalTo("role"));
    }

    @Test
    void aNodeTokenActsOnlyInItsOwnRoleAndNeverAsAnOperator() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("source", "target");
        String sourceMac = armed.sourceMac();
        String source = armed.source();
        String sessionId = armed.sessionId();
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));

        given().get("/api/v1/node/instructions").then().statusCode(401);
        node("pbn_forged").get("/api/v1/node/instructions").then().statusCode(401);
        node(sourceToken).get("/api/v1/clone-sessions").then().statusCode(403);
        node(sourceToken).post("/api/v1/clone-sessions/{id}/cancel", sessionId).then().statusCode(403);
        node(sourceToken).body("{}").post("/api/v1/node/complete").then().statusCode(403);
        node(sourceToken).body(Map.of("phase", "uploading", "bytes_done", -1, "bytes_total", 10, "rate_bytes_per_second", 0))
                .post("/api/v1/node/progress").then().statusCode(400).body("fields[0].field", equalTo("bytes_done"));
        node(sourceToken).body(Map.of("image_size_bytes", 10, "manifest_sha256", "not-hex"))
                .post("/api/v1/node/source-complete").then().statusCode(400)
                .body("fields[0].field", equalTo("manifest_sha256"));
        node(sourceToken).body("{\"phase\": ").post("/api/v1/node/progress").then().statusCode(400);
        node(sourceToken).get("/api/v1/node/instructions").then().statusCode(200).body("session_id", equalTo(sessionId));
    }

    /**
     * Tokens are kept by the replica for a few seconds after a lookup (NodeTokenCache); a session ending on this
     * replica voids them at once all the same, however often they were just used.
     */
    @Test
    void aTokenJustUsedIsRefusedAsSoonAsItsSessionEnds() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("cached-source", "cached-target");
        String sourceToken = tokenOf(Sessions.bootScript(armed.sourceMac()));
        for (int call = 0; call < 3; call++) {
            node(sourceToken).get("/api/v1/node/instructions").then().statusCode(200);
        }
        Sessions.progress(sourceToken, "uploading", 1, 1L << 30);

        admin().body(Map.of("reason", "operator stopped it")).post("/api/v1/clone-sessions/{id}/cancel", armed.sessionId())
                .then().statusCode(200);

        node(sourceToken).get("/api/v1/node/instructions").then().statusCode(401);
        node(sourceToken).body(Map.of("phase", "uploading", "bytes_done", 2, "bytes_total", 1L << 30,
                "rate_bytes_per_second", 0)).post("/api/v1/node/progress").then().statusCode(401);
    }
}
