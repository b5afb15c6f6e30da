package io.pureboot.clone.planner.inventory;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.testing.KafkaTestClient;
import io.pureboot.clone.testing.fuzz.HostileInventories;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The inventories clone-service refuses (its NodeApiValidationTest feeds it the same {@link HostileInventories})
 * are stored by the planner neither, should one arrive as an event: each is skipped as malformed while the valid
 * report sent after it is stored, so the consumer neither stalls nor parks it after retries.
 */
@QuarkusTest
@TestSecurity(user = "test-viewer", roles = "viewer")
class HostileInventoryEventTest {

    @Test
    void anInventoryBreakingTheSharedRulesIsNotStoredAndTheNextValidOneIs() {
        try (KafkaTestClient broker = KafkaTestClient.connect(ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class))) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            send(broker, "valid-" + run, HostileInventories.valid());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                    .get("/api/v1/inventories/{node}", "valid-" + run).then().statusCode(200));
            int index = 0;
            for (HostileInventories.Case hostile : HostileInventories.all()) {
                String hostileNode = "hostile-" + run + "-" + index++;
                String validNode = "valid-after-" + hostileNode;
                send(broker, hostileNode, hostile.disks());
                send(broker, validNode, HostileInventories.valid());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                        .get("/api/v1/inventories/{node}", validNode).then().statusCode(200));
                given().get("/api/v1/inventories/{node}", hostileNode).then()
                        .log().ifValidationFails()
                        .statusCode(404);
            }
        }
    }

    /** The event as clone-service would write it, with the disks as raw JSON (no record refuses them first). */
    private static void send(KafkaTestClient broker, String node, ArrayNode disks) {
        JsonNode data = EventCodec.mapper().createObjectNode()
                .put("node_id", node)
                .put("mac", "52:54:00:00:00:01")
                .put("hostname", node)
                .put("reported_at", OffsetDateTime.now(ZoneOffset.UTC).toString())
                .set("disks", disks);
        broker.send(EventCatalog.NODE_INVENTORY_REPORTED.topic(), new CloudEvent(CloudEvent.SPEC_VERSION,
                UUID.randomUUID(), "/pureboot/clone-service", EventCatalog.NODE_INVENTORY_REPORTED.name(), node,
                OffsetDateTime.now(ZoneOffset.UTC), CloudEvent.JSON, data));
    }
}
