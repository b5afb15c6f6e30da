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

import io.pureboot.clone.controller.MovableClock;
import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.controller.direct.NodeKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Nodes that go silent fail their part with a reason; tokens die at their lifetime. The test moves the service's
 * clock past the deadlines (the default ones) instead of sleeping through them.
 */
@QuarkusTest
@TestProfile(DeadlineTest.MovableTime.class)
class DeadlineTest {

    /** The service reads a clock the test moves. */
    public static final class MovableTime implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    /** Past the default silence deadline (2 min). */
    private static final Duration SILENCE_PASSED = Duration.ofMinutes(3);

    @Inject
    MovableClock clock;

    @Test
    void aSilentSourceFailsTheSessionWithTheReason() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("source", "target");
        String sourceMac = armed.sourceMac();
        String source = armed.source();
        String sessionId = armed.sessionId();
        Sessions.progress(tokenOf(Sessions.bootScript(sourceMac)), "uploading", 10, 100);
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("uploading"));

        clock.advance(SILENCE_PASSED);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
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
        Sessions.planAndStart(sessionId, 1L << 30).statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.3.3.3", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200);
        node(sourceToken).body(Map.of("address", "10.3.3.3", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(204);
        String targetToken = tokenOf(Sessions.bootScript(targetMac));
        Sessions.progress(targetToken, "downloading", 10, 100);
        Sessions.awaitState(sessionId, "downloading");

        // The target keeps reporting; only the source is silent.
        clock.advance(SILENCE_PASSED);
        node(targetToken).body(Map.of("phase", "downloading", "bytes_done", 20, "bytes_total", 100,
                "rate_bytes_per_second", 1)).post("/api/v1/node/progress");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
                .then().body("state", equalTo("failed"))
                .body("failure_reason", startsWith("source node " + source + " silent since ")));
    }

    @Test
    void aNodeTokenExpires() {
        String mac = randomMac();
        String nodeId = registerNode(mac, "inventory-node");
        admin().post("/api/v1/nodes/{id}/request-inventory", nodeId).then().statusCode(200);
        String token = tokenOf(Sessions.bootScript(mac));
        node(token).get("/api/v1/node/instructions").then().statusCode(200);

        clock.advance(Duration.ofHours(11));
        node(token).get("/api/v1/node/instructions").then().statusCode(200);
        clock.advance(Duration.ofHours(2));   // past the default lifetime of 12 h
        node(token).get("/api/v1/node/instructions").then().statusCode(401);
    }
}
