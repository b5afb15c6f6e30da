package io.pureboot.clone.controller.session;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.storage.StagingStatus;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the session option {@code repair_source} (off by default, shrink_source only) reaches the source agent's
 * instructions and the audit, and what the agent repaired (its tool's summary, from source-complete) reaches the audit's
 * source-completed; a session whose every target failed says each target's reason in the audit.
 */
@QuarkusTest
class RepairSourceAndFailureAuditTest {

    private static final long SOURCE_DISK = 1L << 30;

    @Test
    void repairSourceIsOffByDefaultAndReachesTheSourceOnlyWhenAsked() {
        Sessions.ArmedSource plain = Sessions.armedStagedSource("source-plain", "target-plain");
        String plainToken = tokenOf(Sessions.bootScript(plain.sourceMac()));
        node(plainToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("role", equalTo("source")).body("repair_source", equalTo(false));
        admin().get("/api/v1/clone-sessions/{id}", plain.sessionId()).then().body("repair_source", equalTo(false));

        Sessions.StagedSession repairing = Sessions.defineStaged("repair", SOURCE_DISK, 1,
                Map.of("resize_mode", "shrink_source", "repair_source", true));
        String sessionId = repairing.sessionId();
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("repair_source", equalTo(true));
        repairing.armSource(SOURCE_DISK);

        String token = repairing.source().token();
        node(token).get("/api/v1/node/instructions").then().statusCode(200)
                .body("resize_mode", equalTo("shrink_source")).body("repair_source", equalTo(true));
        // The audit records who allowed the source to be changed. It arrives through the outbox, so it may not be
        // there yet: read it as an object (absent is null, an assertion failure awaitility retries, not an NPE).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .<Object>get("find { it.type == '" + EventCatalog.CLONE_SESSION_DEFINED.name()
                        + "' }.data.repair_source")).isEqualTo(true));

        // The agent repaired the source (phase repairing_source) and says what its tool did in source-complete; the
        // audit's source-completed carries it, so the audit says the source did not end as it began.
        Sessions.progress(token, "repairing_source", 0, SOURCE_DISK);
        Map<String, Object> repair = Map.of("partition", 2, "tool", "e2fsck -f -y /dev/sda2", "exit_code", 1,
                "summary", "Block bitmap differences: -(34816--34831); Fix? yes; data: 12/32768 files");
        node(token).body(Map.of("image_size_bytes", 1L << 20, "manifest_sha256", "ef".repeat(32),
                        "repairs", List.of(Map.of("partition", 2, "tool", "e2fsck", "exit_code", 1, "summary",
                                "two\nlines"))))
                .post("/api/v1/node/source-complete").then().statusCode(400)
                .body("fields[0].field", equalTo("repairs[0].summary"));
        node(token).body(Map.of("image_size_bytes", 1L << 20, "manifest_sha256", "ef".repeat(32),
                        "repairs", List.of(repair)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .<Object>get("find { it.type == '" + EventCatalog.CLONE_SESSION_SOURCE_COMPLETED.name()
                        + "' }.data.repairs")).isEqualTo(List.of(repair)));
    }

    @Test
    void aSourceThatRepairedNothingCompletesWithNoRepairsInTheAudit() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("source-clean", "target-clean");
        String token = tokenOf(Sessions.bootScript(armed.sourceMac()));
        Sessions.progress(token, "uploading", 1L << 20, SOURCE_DISK);
        // An agent from before the field sends none: the same as none repaired.
        node(token).body(Map.of("image_size_bytes", 1L << 20, "manifest_sha256", "12".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", armed.sessionId()).then().statusCode(200).extract().jsonPath()
                .<Object>get("find { it.type == '" + EventCatalog.CLONE_SESSION_SOURCE_COMPLETED.name()
                        + "' }.data.repairs")).isEqualTo(List.of()));
    }

    @Test
    void repairSourceWithoutShrinkSourceIsRefusedNamingTheField() {
        String source = registerNode(randomMac(), "source");
        String target = registerNode(randomMac(), "target");
        for (String mode : List.of("grow_target", "none")) {
            admin().body(Map.of("name", "x", "clone_mode", "direct", "source_node_id", source, "source_disk_id", "d",
                            "resize_mode", mode, "repair_source", true,
                            "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                    .post("/api/v1/clone-sessions").then().statusCode(422)
                    .body("fields[0].field", equalTo("repair_source"))
                    .body("fields[0].reason", equalTo("applies only with resize_mode shrink_source: the source is "
                            + "changed (and so checked and perhaps repaired) only to shrink it"));
        }
        admin().body(Map.of("name", "x", "clone_mode", "direct", "source_node_id", source, "source_disk_id", "d",
                        "resize_mode", "shrink_source", "repair_source", "yes",
                        "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(400)
                .body("fields[0].field", equalTo("repair_source"));
    }

    @Test
    void whenEveryTargetFailsTheAuditSaysEachTargetsReason() {
        Sessions.StagedSession session = Sessions.defineStaged("all fail", SOURCE_DISK, 2, Map.of())
                .armSource(SOURCE_DISK);
        String sessionId = session.sessionId();
        String backendId = session.backendId();
        String first = session.targets().get(0).id();
        String second = session.targets().get(1).id();
        String secondMac = session.targets().get(1).mac();
        String sourceToken = session.source().token();
        Sessions.progress(sourceToken, "uploading", 1L << 20, SOURCE_DISK);
        node(sourceToken).body(Map.of("image_size_bytes", 1L << 20, "manifest_sha256", "cd".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        Sessions.staging(sessionId, backendId, StagingStatus.UPLOADING, StagingStatus.READY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Sessions.bootScript(secondMac)).contains("clone-target-staged"));

        node(session.targets().get(0).token()).body(Map.of("code", "filesystem", "message",
                        "filesystem check 'e2fsck -f -y /dev/sda2' failed with 8")).post("/api/v1/node/failed")
                .then().statusCode(204);
        node(session.targets().get(1).token()).body(Map.of("code", "disk_error", "message",
                        "write of /dev/sdb at byte 1048576 failed: Input/output error")).post("/api/v1/node/failed")
                .then().statusCode(204);

        Sessions.awaitState(sessionId, "failed");
        String firstReason = "target node " + first + " failed: filesystem: filesystem check 'e2fsck -f -y "
                + "/dev/sda2' failed with 8";
        String secondReason = "target node " + second + " failed: disk_error: write of /dev/sdb at byte 1048576 "
                + "failed: Input/output error";
        String reason = admin().get("/api/v1/clone-sessions/{id}", sessionId).then().extract().path("failure_reason");
        assertThat(reason).isIn("every target failed: " + firstReason + "; " + secondReason,
                "every target failed: " + secondReason + "; " + firstReason);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .getString("find { it.type == '" + EventCatalog.CLONE_SESSION_FAILED.name() + "' }.data.reason"))
                .isEqualTo(reason));
    }
}
