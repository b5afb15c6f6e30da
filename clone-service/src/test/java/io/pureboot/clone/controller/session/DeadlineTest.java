package io.pureboot.clone.controller.session;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.reportDisk;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.events.storage.StagingStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nodes that go silent fail their part with a reason; tokens die at their lifetime. */
@QuarkusTest
@TestProfile(DeadlineTest.ShortDeadlines.class)
class DeadlineTest {

    /** Deadlines of seconds instead of minutes. */
    public static final class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pureboot.clone.deadlines.silence", "PT3S", "pureboot.clone.boot.token-lifetime", "PT6S");
        }
    }

    @Test
    void aSilentSourceFailsTheSessionWithTheReason() {
        String backendId = Sessions.registerBackend();
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "source");
        String target = registerNode(randomMac(), "target");
        reportDisk(source, "wwn-s", 1L << 30);
        String sessionId = Sessions.createStaged(source, target, backendId);
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(200);
        Sessions.staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        Sessions.awaitState(sessionId, "source_armed");
        Sessions.progress(tokenOf(Sessions.bootScript(sourceMac)), "uploading", 10, 100);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
                .then().body("state", equalTo("failed"))
                .body("failure_reason", startsWith("source node " + source + " silent since "))
                .body("targets[0].state", equalTo("cancelled")));
    }

    @Test
    void aDirectSourceSilentWhileItsTargetsDownloadFailsTheSession() {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "direct-source");
        String targetMac = randomMac();
        String target = registerNode(targetMac, "direct-target");
        reportDisk(source, "wwn-ds", 1L << 30);
        String sessionId = admin().body(Map.of("name", "d", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-ds", "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.3.3.3")).post("/api/v1/node/direct/certificate").then()
                .statusCode(200);
        node(sourceToken).body(Map.of("address", "10.3.3.3", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(204);
        String targetToken = tokenOf(Sessions.bootScript(targetMac));
        Sessions.progress(targetToken, "downloading", 10, 100);
        Sessions.awaitState(sessionId, "downloading");

        // The target keeps reporting; only the source is silent.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            node(targetToken).body(Map.of("phase", "downloading", "bytes_done", 20, "bytes_total", 100,
                    "rate_bytes_per_second", 1)).post("/api/v1/node/progress");
            admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("failed"))
                    .body("failure_reason", startsWith("source node " + source + " silent since "));
        });
    }

    @Test
    void aNodeTokenExpires() {
        String mac = randomMac();
        String nodeId = registerNode(mac, "inventory-node");
        admin().post("/api/v1/nodes/{id}/request-inventory", nodeId).then().statusCode(200);
        String token = tokenOf(Sessions.bootScript(mac));
        node(token).get("/api/v1/node/instructions").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                node(token).get("/api/v1/node/instructions").then().statusCode(401));
    }
}
