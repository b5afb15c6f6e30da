package io.pureboot.clone.controller.nodeapi;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.testing.fuzz.HostileInventories;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared validation of what nodes report (docs/api-errors.md): the {@link HostileInventories} the planner
 * must not store (its HostileInventoryEventTest) are refused here first, on the node API and on the operator's
 * import, naming the field; progress a node cannot have made is refused too.
 */
@QuarkusTest
class NodeApiValidationTest {

    @Test
    void everyHostileInventoryIsRefusedNamingTheFieldAndNothingIsRecorded() {
        String mac = randomMac();
        String nodeId = registerNode(mac, "hostile-" + mac);
        admin().post("/api/v1/nodes/{id}/request-inventory", nodeId).then().statusCode(200);
        String token = tokenOf(Sessions.bootScript(mac));

        for (HostileInventories.Case hostile : HostileInventories.all()) {
            Map<String, Object> body = Map.of("hostname", "h", "disks", hostile.disks());
            node(token).body(body).post("/api/v1/node/inventory").then()
                    .log().ifValidationFails()
                    .statusCode(400).body("fields.field", hasItem(hostile.field()));
            admin().body(body).put("/api/v1/nodes/{id}/inventory", nodeId).then()
                    .log().ifValidationFails()
                    .statusCode(400).body("fields.field", hasItem(hostile.field()));
        }
        admin().get("/api/v1/nodes/{id}", nodeId).then().statusCode(200).body("last_inventory_at", equalTo(null));
        node(token).body(Map.of("hostname", "h", "disks", HostileInventories.valid()))
                .post("/api/v1/node/inventory").then().statusCode(204);
    }

    @Test
    void progressANodeCannotHaveMadeIsRefused() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("progress-source", "progress-target");
        String token = tokenOf(Sessions.bootScript(armed.sourceMac()));

        progress(token, "uploading", 3, 2).statusCode(400).body("fields[0].field", equalTo("bytes_done"));
        progress(token, "uploading", 1, 0).statusCode(400).body("fields[0].field", equalTo("bytes_done"));
        progress(token, "uploading", -1, 2).statusCode(400).body("fields[0].field", equalTo("bytes_done"));
        progress(token, "uploading", 1, -2).statusCode(400).body("fields.field", hasItem("bytes_total"));
        progress(token, "uploading\u0000", 1, 2).statusCode(400).body("fields[0].field", equalTo("phase"));
        progress(token, "no_such_phase", 1, 2).statusCode(400).body("fields[0].field", equalTo("phase"));
        progress(token, "downloading", 1, 2).statusCode(422).body("fields[0].field", equalTo("phase"));
        progress(token, "uploading", 1, 2).statusCode(204);
        progress(token, "starting", 0, 0).statusCode(204);
    }

    private static io.restassured.response.ValidatableResponse progress(String token, String phase, long done,
            long total) {
        return node(token).body(Map.of("phase", phase, "bytes_done", done, "bytes_total", total,
                "rate_bytes_per_second", 0)).post("/api/v1/node/progress").then().log().ifValidationFails();
    }
}
