package io.pureboot.clone.controller.nodeapi;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.controller.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Node-API bodies are bound strictly (an unknown property or phase is a 400 naming it), operator bodies are not,
 * and the staging grant, which changes state, is no GET.
 */
@QuarkusTest
class NodeApiStrictJsonTest {

    @Test
    void aNodeApiBodyWithAnUnknownPropertyIsRefusedNamingIt() {
        String token = inventoryToken();

        node(token).body(Map.of("phase", "uploading", "bytes_done", 1, "bytes_total", 2, "rate_bytes_per_second", 0,
                        "surprise", true))
                .post("/api/v1/node/progress").then().statusCode(400).body("fields[0].field", equalTo("surprise"));
        node(token).body(Map.of("phase", "transfer", "bytes_done", 1, "bytes_total", 2, "rate_bytes_per_second", 0))
                .post("/api/v1/node/progress").then().statusCode(400).body("fields[0].field", equalTo("phase"));
        node(token).body(Map.of("hostname", "h", "disks", List.of(Map.of("stable_id", "wwn-1", "size_bytes", 1 << 30,
                        "logical_sector_size", 512, "physical_sector_size", 512, "table_type", "gpt",
                        "partitions", List.of(), "surprise", 1))))
                .post("/api/v1/node/inventory").then().statusCode(400)
                .body("fields[0].field", equalTo("disks[0].surprise"));
        node(token).body(Map.of("hostname", "h", "disks", List.of(Map.of("stable_id", "wwn-1", "size_bytes", 1 << 30,
                        "logical_sector_size", 512, "physical_sector_size", 512, "table_type", "gpt",
                        "partitions", List.of()))))
                .post("/api/v1/node/inventory").then().statusCode(204);
    }

    @Test
    void theInventoryInstructionsAreTheContractsAndAnswerInIt() {
        node(inventoryToken()).get("/api/v1/node/instructions").then().statusCode(200)
                .body("mode", equalTo("inventory")).body("role", equalTo("inventory"))
                .body("resize_mode", equalTo("none"));
    }

    @Test
    void operatorBodiesStayLenient() {
        admin().body(Map.of("mac", randomMac(), "name", "lenient-" + randomMac(), "added_by_a_newer_console", 1))
                .post("/api/v1/nodes").then().statusCode(201);
    }

    @Test
    void theStagingGrantIsAPostNeverAGet() {
        String token = inventoryToken();

        node(token).get("/api/v1/node/staging").then().statusCode(405);
        node(token).post("/api/v1/node/staging").then().statusCode(403)
                .body("message", containsString("inventory token has no staging area"));
    }

    private static String inventoryToken() {
        String mac = randomMac();
        String id = registerNode(mac, "inventory-" + mac);
        admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(200);
        return tokenOf(Sessions.bootScript(mac));
    }
}
