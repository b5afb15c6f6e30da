package io.pureboot.clone.controller.session;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input gets a 4xx that names the field and the reason; nothing makes a 500. */
@QuarkusTest
class SessionValidationTest {

    @Test
    void missingFieldsAreNamed() {
        admin().body(Map.of()).post("/api/v1/clone-sessions").then().statusCode(400)
                .body("fields.field", containsInAnyOrder("clone_mode", "name", "source_disk_id", "source_node_id", "targets"));
        admin().post("/api/v1/clone-sessions").then().statusCode(400);
        admin().body("{\"name\": \"x\", \"clone_mode\": \"sideways\"}").post("/api/v1/clone-sessions").then().statusCode(400)
                .body("fields[0].field", equalTo("clone_mode"));
    }

    @Test
    void rulesAcrossFieldsAreUnprocessable() {
        String source = registerNode(randomMac(), "source");
        String unknown = UUID.randomUUID().toString();
        admin().body(Map.of("name", "x", "clone_mode", "direct", "source_node_id", source, "source_disk_id", "d",
                        "staging_backend_id", "nfs-1",
                        "targets", List.of(Map.of("node_id", source, "disk_id", "d"),
                                Map.of("node_id", unknown, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(422)
                .body("fields.field", containsInAnyOrder("targets[0].node_id", "targets[1].node_id", "staging_backend_id"))
                .body("fields.reason", hasItem("no node " + unknown + " is registered"));
        admin().body(Map.of("name", "x", "clone_mode", "staged", "source_node_id", source, "source_disk_id", "d",
                        "staging_backend_id", "no-such-backend", "targets", List.of(Map.of("node_id", unknown, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(422)
                .body("fields.reason", hasItem("no storage backend no-such-backend is known"));
    }

    @Test
    void transitionsOutOfTurnAreConflictsAndUnknownIdsAreNotFound() {
        String source = registerNode(randomMac(), "source");
        String target = registerNode(randomMac(), "target");
        String sessionId = admin().body(Map.of("name", "d", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "d", "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");

        admin().post("/api/v1/clone-sessions/{id}/start-targets", sessionId).then().statusCode(409)
                .body("message", equalTo("clone session " + sessionId + " is created; targets start once the image is uploaded"));
        // The source has reported no disk: a direct session cannot start either.
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(422)
                .body("fields[0].field", equalTo("source_disk_id"));
        admin().get("/api/v1/clone-sessions/{id}", UUID.randomUUID()).then().statusCode(404);
        admin().get("/api/v1/clone-sessions/not-a-uuid").then().statusCode(404);
        admin().get("/api/v1/clone-sessions").then().statusCode(200)
                .body("find { it.id == '" + sessionId + "' }.targets.node_id", equalTo(List.of(target)));
        admin().delete("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(204);
        admin().get("/api/v1/audit").then().statusCode(400).body("fields[0].field", equalTo("session"));
    }
}
