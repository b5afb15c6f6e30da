package io.pureboot.clone.controller.node;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.pureboot.clone.controller.Operators;
import io.pureboot.clone.controller.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Renaming and retiring nodes through the operator API: validation, roles, the active-session rule, the audit. */
@QuarkusTest
class NodeRegistryTest {

    @Test
    void aRenameChangesOnlyTheNameAndIsAudited() {
        String mac = randomMac();
        String id = registerNode(mac, "rack-1 slot 4");
        admin().body(Map.of("name", "  db-primary  ")).patch("/api/v1/nodes/{id}", id)
                .then().statusCode(200).body("name", equalTo("db-primary")).body("mac", equalTo(mac))
                .body("retired_at", nullValue());
        admin().get("/api/v1/nodes/{id}", id).then().body("name", equalTo("db-primary"));
        awaitAudited("PATCH", "/api/v1/nodes/" + id, 200);
    }

    @Test
    void aBadNameIs400NamingTheFieldAndChangesNothing() {
        String id = registerNode(randomMac(), "kept");
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("name", "   "),
                Map.of("name", "x".repeat(256)), Map.of("name", "two\nlines"))) {
            admin().body(body).patch("/api/v1/nodes/{id}", id).then().statusCode(400)
                    .body("fields.field", hasItem("name"));
        }
        admin().contentType(ContentType.JSON).patch("/api/v1/nodes/{id}", id).then().statusCode(400);
        admin().get("/api/v1/nodes/{id}", id).then().body("name", equalTo("kept"));
        admin().body(Map.of("name", "x")).patch("/api/v1/nodes/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aViewerMayNeitherRenameNorRetire() {
        String id = registerNode(randomMac(), "viewed");
        String viewer = admin().body(Map.of("name", "viewer-" + UUID.randomUUID(), "role", "viewer"))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of("name", "mine"))
                .patch("/api/v1/nodes/{id}", id).then().statusCode(403);
        given().auth().oauth2(viewer).delete("/api/v1/nodes/{id}", id).then().statusCode(403);
        admin().get("/api/v1/nodes/{id}", id).then().body("name", equalTo("viewed")).body("retired_at", nullValue());
    }

    @Test
    void aRetiredNodeLeavesTheListBootsItsLocalDiskLosesItsTokensAndFreesItsMac() {
        String mac = randomMac();
        String id = registerNode(mac, "old box");
        admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(200);
        String token = tokenOf(bootScript(mac));
        String unusedTicketScript = bootScript(mac);
        assertThat(unusedTicketScript).contains("pureboot.ticket=");

        admin().delete("/api/v1/nodes/{id}", id).then().statusCode(204);

        admin().get("/api/v1/nodes").then().body("id", not(hasItem(id)));
        admin().get("/api/v1/nodes/{id}", id).then().statusCode(200).body("retired_at", notNullValue());
        assertThat(bootScript(mac)).doesNotContain("pureboot.ticket=").contains("booting from the local disk");
        Operators.node(token).body(Map.of("hostname", "h", "disks", List.of()))
                .post("/api/v1/node/inventory").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("ticket", Operators.ticketOf(unusedTicketScript)))
                .post("/api/v1/node/ticket").then().statusCode(401);
        admin().body(Map.of("name", "renamed")).patch("/api/v1/nodes/{id}", id)
                .then().statusCode(409).body("message", containsString("retired"));
        admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(409);
        // Retiring again changes nothing.
        admin().delete("/api/v1/nodes/{id}", id).then().statusCode(204);
        awaitAudited("DELETE", "/api/v1/nodes/" + id, 204);

        // The machine comes back: its MAC registers as a new node, which boots as that node.
        String again = registerNode(mac, "old box, reinstalled");
        assertThat(again).isNotEqualTo(id);
        admin().body(Map.of("mac", mac, "name", "twice")).post("/api/v1/nodes").then().statusCode(409);
        admin().post("/api/v1/nodes/{id}/request-inventory", again).then().statusCode(200);
        assertThat(bootScript(mac)).contains("pureboot.mode=inventory");
    }

    @Test
    void aNodeInASessionThatHasNotEndedIsNotRetiredAndTheReasonNamesTheSession() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("busy source", "busy target");
        admin().delete("/api/v1/nodes/{id}", armed.source()).then().statusCode(409)
                .body("message", containsString("the source of clone session"))
                .body("message", containsString(armed.sessionId()))
                .body("message", containsString("source_armed"));
        admin().delete("/api/v1/nodes/{id}", armed.target()).then().statusCode(409)
                .body("message", containsString("a target of clone session"));
        admin().get("/api/v1/nodes/{id}", armed.source()).then().body("retired_at", nullValue());

        admin().body(Map.of("reason", "test over")).post("/api/v1/clone-sessions/{id}/cancel", armed.sessionId())
                .then().statusCode(200);
        Sessions.awaitState(armed.sessionId(), "cancelled");
        admin().delete("/api/v1/nodes/{id}", armed.target()).then().statusCode(204);
        // The ended session still names its retired target.
        admin().get("/api/v1/clone-sessions/{id}", armed.sessionId()).then().statusCode(200)
                .body("targets.node_id", hasItem(armed.target()));
    }

    @Test
    void aNodeOfADefinedSessionIsNotRetiredAndARetiredNodeJoinsNoNewSession() {
        String backendId = Sessions.registerBackend();
        String source = registerNode(randomMac(), "defined source");
        String target = registerNode(randomMac(), "defined target");
        String sessionId = Sessions.createStaged(source, target, backendId);
        admin().delete("/api/v1/nodes/{id}", target).then().statusCode(409).body("message", containsString("created"));

        admin().delete("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(204);
        admin().delete("/api/v1/nodes/{id}", target).then().statusCode(204);
        admin().body(Map.of("name", "s", "clone_mode", "staged", "source_node_id", source, "source_disk_id", "wwn-s",
                        "staging_backend_id", backendId, "targets", List.of(Map.of("node_id", target, "disk_id", "t"))))
                .post("/api/v1/clone-sessions").then().statusCode(422)
                .body("fields.field", hasItem("targets[0].node_id"));
    }

    private static String bootScript(String mac) {
        return given().get("/api/v1/boot/ipxe?mac={mac}", mac).then().statusCode(200).extract().asString();
    }

    private static void awaitAudited(String method, String path, int status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<Map<String, Object>> entries = admin().queryParam("actor", "bootstrap-admin").get("/api/v1/audit")
                    .then().statusCode(200).extract()
                    .path("findAll { it.data.path == '" + path + "' && it.data.method == '" + method + "' }");
            assertThat(entries).isNotEmpty();
            assertThat(entries.getFirst()).containsEntry("type", "io.pureboot.operator.action-recorded");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) entries.getFirst().get("data");
            assertThat(data).containsEntry("status", status).containsEntry("service", "clone-service");
        });
    }
}
