package io.pureboot.clone.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.testing.KafkaTestClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton: clone-service records node inventories and publishes them through its
 * outbox; resize-planner-service consumes them over the real broker. Kafka is stopped in the
 * middle; every report must still arrive exactly once.
 */
class OutboxThroughKafkaOutageIT {

    private static final int REPORTS_PER_PHASE = 4;
    private static final String ADMIN_KEY = "pbk_system-test-admin";

    private static ServiceProcess clone;
    private static ServiceProcess planner;

    @BeforeAll
    static void startServices() throws Exception {
        clone = ServiceProcess.start("clone-service", Map.of("PUREBOOT_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY));
        planner = ServiceProcess.start("resize-planner-service", Map.of("PUREBOOT_AUTH_ISSUER_URL", clone.uri().toString()));
    }

    @AfterAll
    static void stopServices() throws Exception {
        // Kafka must be up again whatever happened, for the tests that follow.
        LocalStack.kafka("start");
        if (planner != null) {
            planner.close();
        }
        if (clone != null) {
            clone.close();
        }
    }

    @Test
    void noEventIsLostOrAppliedTwiceAcrossABrokerOutage() throws Exception {
        String nodeId = registerNode();

        reportInventories(nodeId, "before-outage", REPORTS_PER_PHASE);
        awaitReportsApplied(nodeId, REPORTS_PER_PHASE);

        LocalStack.kafka("stop");
        assertThat(LocalStack.kafkaAnswers())
                .as("Kafka still answers after kafka.sh stop: another checkout runs it; stop that one to run this test")
                .isFalse();
        try {
            // The API keeps working: the state change and its event commit together in PostgreSQL.
            reportInventories(nodeId, "during-outage", REPORTS_PER_PHASE);
            Thread.sleep(3_000);
        } finally {
            LocalStack.kafka("start");
        }
        reportInventories(nodeId, "after-outage", REPORTS_PER_PHASE);

        int total = 3 * REPORTS_PER_PHASE;
        JsonPath inventory = awaitReportsApplied(nodeId, total);
        assertThat(inventory.getString("hostname")).isEqualTo("after-outage-" + (REPORTS_PER_PHASE - 1));

        // Every event is on the topic once, in order of the reports...
        List<CloudEvent> published = eventsAbout(nodeId, total);
        assertThat(published).hasSize(total);
        assertThat(published).extracting(CloudEvent::id).doesNotHaveDuplicates();

        // ...and a redelivered one (what a relay crash after the broker's ack causes) changes nothing.
        republish(published.getFirst());
        republish(published.getLast());
        Thread.sleep(3_000);
        assertThat(inventory(nodeId).getLong("reports_received")).isEqualTo(total);
    }

    private static String registerNode() {
        String mac = randomMac();
        return given().baseUri(clone.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                .body(Map.of("mac", mac, "name", "skeleton-" + mac))
                .post("/api/v1/nodes")
                .then().statusCode(201)
                .extract().path("id");
    }

    private static void reportInventories(String nodeId, String phase, int count) {
        for (int i = 0; i < count; i++) {
            Map<String, Object> disk = Map.of(
                    "stable_id", "wwn-0x5000c500" + i,
                    "size_bytes", (i + 1) * 1_073_741_824L,
                    "logical_sector_size", 512,
                    "physical_sector_size", 4096,
                    "table_type", "gpt",
                    "partitions", List.of());
            given().baseUri(clone.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                    .body(Map.of("hostname", phase + "-" + i, "disks", List.of(disk)))
                    .put("/api/v1/nodes/{id}/inventory", nodeId)
                    .then().statusCode(200);
        }
    }

    private static JsonPath awaitReportsApplied(String nodeId, int expected) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> reportsReceived(nodeId) >= expected);
        JsonPath inventory = inventory(nodeId);
        assertThat(inventory.getLong("reports_received")).isEqualTo(expected);
        return inventory;
    }

    private static long reportsReceived(String nodeId) {
        var response = given().baseUri(planner.uri().toString()).auth().oauth2(ADMIN_KEY).get("/api/v1/inventories/{id}", nodeId);
        return response.statusCode() == 200 ? response.jsonPath().getLong("reports_received") : 0;
    }

    private static JsonPath inventory(String nodeId) {
        return given().baseUri(planner.uri().toString()).auth().oauth2(ADMIN_KEY).get("/api/v1/inventories/{id}", nodeId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Reads the node-inventory topic from the start and keeps this node's events; then 2 s more for a duplicate. */
    private static List<CloudEvent> eventsAbout(String nodeId, int expected) {
        try (KafkaTestClient broker = KafkaTestClient.connect(LocalStack.KAFKA_BOOTSTRAP)) {
            return broker.readFromStart(Topics.NODE_INVENTORY, nodeId, events -> events.size() >= expected,
                    Duration.ofSeconds(60), Duration.ofSeconds(2));
        }
    }

    private static void republish(CloudEvent event) {
        try (KafkaTestClient broker = KafkaTestClient.connect(LocalStack.KAFKA_BOOTSTRAP)) {
            broker.send(Topics.NODE_INVENTORY, event);
        }
    }

    private static String randomMac() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return String.format("52:54:00:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2]);
    }
}
