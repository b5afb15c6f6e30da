package io.pureboot.clone.controller.session;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.reportDisk;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.pureboot.clone.controller.KafkaEvents;
import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.controller.Operators;
import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A staged session from creation to cleanup over the real broker and database. The test plays
 * storage-service and the planner by sending their events, and the agents through the node API.
 */
@QuarkusTest
class StagedLifecycleTest {

    private static final long SOURCE_DISK = 8L << 30;

    @TestHTTPResource("/")
    URI base;

    @Test
    void stagedSessionRunsFromStartToCleanupWithOneTargetFailing() throws Exception {
        Sessions.StagedSession session = Sessions.defineStaged("rack 7 rollout", SOURCE_DISK, 2,
                Map.of("resize_mode", "shrink_source"));
        String sessionId = session.sessionId();
        String backendId = session.backendId();
        String sourceMac = session.source().mac();
        String first = session.targets().get(0).id();
        String firstMac = session.targets().get(0).mac();
        String second = session.targets().get(1).id();
        String secondMac = session.targets().get(1).mac();
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(200)
                .body("state", equalTo("created")).body("phase", equalTo("created"));
        List<String> stream = followProgress(sessionId);

        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200).body("state", equalTo("provisioning"));
        CloudEvent requested = KafkaEvents.read(Topics.CLONE_SESSIONS, sessionId, events -> events.stream()
                .anyMatch(event -> event.type().equals(EventCatalog.CLONE_SESSION_STAGING_REQUESTED.name())))
                .stream().filter(event -> event.type().equals(EventCatalog.CLONE_SESSION_STAGING_REQUESTED.name()))
                .findFirst().orElseThrow();
        assertThat(EventCodec.payload(requested, EventCatalog.CLONE_SESSION_STAGING_REQUESTED))
                .isEqualTo(new CloneSessionStagingRequested(UUID.fromString(sessionId), backendId, SOURCE_DISK));
        assertThat(Sessions.bootScript(sourceMac)).contains("booting from the local disk");

        CloudEvent provisioned = Sessions.staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        Sessions.awaitState(sessionId, "source_armed");
        KafkaEvents.send(Topics.STORAGE, provisioned);   // a redelivery changes nothing

        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("mode", equalTo("clone-source-staged")).body("role", equalTo("source"))
                .body("disk_id", equalTo("wwn-source")).body("resize_mode", equalTo("shrink_source"));
        assertThat(Sessions.bootScript(firstMac)).contains("booting from the local disk");

        Sessions.progress(sourceToken, "uploading", 1L << 30, SOURCE_DISK);
        Sessions.awaitState(sessionId, "uploading");
        Sessions.progress(sourceToken, "uploading", 3L << 30, SOURCE_DISK);
        node(sourceToken).post("/api/v1/node/complete").then().statusCode(403);
        node(sourceToken).body(Map.of("image_size_bytes", 2L << 30, "manifest_sha256", "ab".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        node(sourceToken).body(Map.of("image_size_bytes", 2L << 30, "manifest_sha256", "ab".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        // Targets wait for storage-service to seal the image.
        assertThat(Sessions.bootScript(firstMac)).contains("booting from the local disk");
        Sessions.staging(sessionId, backendId, StagingStatus.UPLOADING, StagingStatus.READY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Sessions.bootScript(firstMac)).contains("clone-target-staged"));
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then()
                .body("state", equalTo("uploaded")).body("phase", equalTo("ready"))
                .body("image_size_bytes", equalTo(2L << 30));

        String firstToken = tokenOf(Sessions.bootScript(firstMac));
        String secondToken = tokenOf(Sessions.bootScript(secondMac));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> node(firstToken).get("/api/v1/node/instructions")
                .then().statusCode(200).body("plan_version", equalTo(1)).body("plan.target_disk_bytes", equalTo(4 << 20)));
        node(firstToken).body(Map.of("image_size_bytes", 1, "manifest_sha256", "ab".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(403);

        Sessions.progress(firstToken, "downloading", 1L << 30, 2L << 30);
        Sessions.awaitState(sessionId, "downloading");
        Sessions.progress(secondToken, "downloading", 1L << 29, 2L << 30);
        node(firstToken).body("{}").post("/api/v1/node/complete").then().statusCode(204);
        node(secondToken).body(Map.of("code", "checksum", "message", "chunk 17 does not match its SHA-256"))
                .post("/api/v1/node/failed").then().statusCode(204);

        Sessions.awaitState(sessionId, "completed");
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then()
                .body("targets.find { it.node_id == '" + second + "' }.state", equalTo("failed"))
                .body("targets.find { it.node_id == '" + second + "' }.failure_reason",
                        equalTo("target node " + second + " failed: checksum: chunk 17 does not match its SHA-256"))
                .body("targets.find { it.node_id == '" + first + "' }.state", equalTo("completed"));
        // The session ended: its tokens are void.
        node(firstToken).get("/api/v1/node/instructions").then().statusCode(401);
        List<CloudEvent> sessionEvents = KafkaEvents.read(Topics.CLONE_SESSIONS, sessionId, events -> events.stream()
                .anyMatch(event -> event.type().equals(EventCatalog.CLONE_SESSION_COMPLETED.name())));
        assertThat(sessionEvents).extracting(CloudEvent::type).containsSubsequence(
                EventCatalog.CLONE_SESSION_DEFINED.name(), EventCatalog.CLONE_SESSION_STAGING_REQUESTED.name(),
                EventCatalog.CLONE_SESSION_SOURCE_COMPLETED.name(), EventCatalog.CLONE_SESSION_COMPLETED.name());
        assertThat(sessionEvents).filteredOn(event -> event.type().equals(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED.name()))
                .hasSize(1);

        Sessions.staging(sessionId, backendId, StagingStatus.READY, StagingStatus.CLEANUP);
        Sessions.staging(sessionId, backendId, StagingStatus.CLEANUP, StagingStatus.DELETED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
                .then().body("phase", equalTo("done")).body("staging_status", equalTo("deleted")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(phases(stream)).containsSubsequence(
                "provisioning", "uploading", "ready", "downloading", "cleanup", "done"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200)
                .extract().jsonPath().getList("type", String.class)).contains(
                EventCatalog.CLONE_SESSION_DEFINED.name(), EventCatalog.CLONE_SESSION_STAGING_REQUESTED.name(),
                EventCatalog.STAGING_STATUS_CHANGED.name(), EventCatalog.RESIZE_PLAN_PUBLISHED.name(),
                EventCatalog.CLONE_SESSION_SOURCE_COMPLETED.name(), EventCatalog.CLONE_SESSION_COMPLETED.name()));
        // The audit says which target failed and why.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .getString("find { it.type == '" + EventCatalog.CLONE_SESSION_COMPLETED.name() + "' }.data.reason"))
                .isEqualTo("1 of 2 targets failed: target node " + second
                        + " failed: checksum: chunk 17 does not match its SHA-256"));
    }

    @Test
    void startIsRefusedUntilEveryTargetHasACurrentFeasiblePlanForItsDisk() {
        String backendId = Sessions.registerBackend();
        String source = registerNode(randomMac(), "source");
        String first = registerNode(randomMac(), "target-1");
        String second = registerNode(randomMac(), "target-2");
        reportDisk(source, "wwn-source", SOURCE_DISK);
        reportDisk(first, "wwn-t1", 4L << 30);
        reportDisk(second, "wwn-t2", 6L << 30);
        String sessionId = admin().body(Map.of("name", "gated", "clone_mode", "staged", "source_node_id", source,
                        "source_disk_id", "wwn-source", "staging_backend_id", backendId, "resize_mode", "shrink_source",
                        "targets", List.of(Map.of("node_id", first, "disk_id", "wwn-t1"),
                                Map.of("node_id", second, "disk_id", "wwn-t2"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");

        // Fields name targets as the session lists them (by node id).
        List<String> listed = Stream.of(first, second).sorted(Comparator.comparing(UUID::fromString)).toList();
        String firstField = "fields.find { it.field == 'targets[" + listed.indexOf(first) + "]' }.reason";
        String secondField = "fields.find { it.field == 'targets[" + listed.indexOf(second) + "]' }.reason";
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(422)
                .body("fields.field", equalTo(List.of("targets[0]", "targets[1]")))
                .body(firstField, startsWith("target node " + first + ": no plan yet for disk wwn-t1"))
                .body(secondField, startsWith("target node " + second + ": no plan yet for disk wwn-t2"));

        // The planner found the first target too small; the second has a plan for another of its disks.
        Sessions.publishPlan(sessionId, first, "wwn-t1", 1, Sessions.plan(false, SOURCE_DISK, 4L << 30,
                ResizeMode.SHRINK_SOURCE));
        Sessions.publishPlan(sessionId, second, "wwn-other", 4, Sessions.plan(true, SOURCE_DISK, 6L << 30,
                ResizeMode.SHRINK_SOURCE));
        Sessions.awaitPlanVersion(sessionId, first, 1);
        Sessions.awaitPlanVersion(sessionId, second, 4);
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(422)
                .body(firstField, equalTo("target node " + first + ": plan version 1 is infeasible: the "
                        + "target is 768 MiB short (partition 2 needs 768 MiB more than the target disk has)"))
                .body(secondField, startsWith("target node " + second + ": plan version 4 is for disk "
                        + "wwn-other, not the chosen disk wwn-t2"));

        // Edited into a feasible plan, but for a disk size the node no longer reports; the second gets its plan.
        Sessions.publishPlan(sessionId, first, "wwn-t1", 2, Sessions.plan(true, SOURCE_DISK, 3L << 30,
                ResizeMode.SHRINK_SOURCE));
        Sessions.publishPlan(sessionId, second, "wwn-t2", 1, Sessions.plan(true, SOURCE_DISK, 6L << 30,
                ResizeMode.SHRINK_SOURCE));
        Sessions.awaitPlanVersion(sessionId, first, 2);
        Sessions.awaitPlanVersion(sessionId, second, 1);
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(422)
                .body("fields.size()", equalTo(1))
                .body(firstField, equalTo("target node " + first + ": plan version 2 is outdated: it was "
                        + "made for a target disk of " + (3L << 30) + " bytes and the node now reports " + (4L << 30)));
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("created"));

        Sessions.publishPlan(sessionId, first, "wwn-t1", 3, Sessions.plan(true, SOURCE_DISK, 4L << 30,
                ResizeMode.SHRINK_SOURCE));
        Sessions.awaitPlanVersion(sessionId, first, 3);
        admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(200)
                .body("state", equalTo("provisioning"));
    }

    @Test
    void cancellingDuringUploadEndsTheSessionAndVoidsItsTokens() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("source", "target");
        String sourceMac = armed.sourceMac();
        String source = armed.source();
        String sessionId = armed.sessionId();
        String backendId = armed.backendId();
        String token = tokenOf(Sessions.bootScript(sourceMac));
        Sessions.progress(token, "uploading", 10, 100);

        admin().body(Map.of("reason", "wrong source")).post("/api/v1/clone-sessions/{id}/cancel", sessionId)
                .then().statusCode(200).body("state", equalTo("cancelled")).body("failure_reason", equalTo("wrong source"))
                .body("targets[0].state", equalTo("cancelled"));
        admin().post("/api/v1/clone-sessions/{id}/cancel", sessionId).then().statusCode(409)
                .body("message", equalTo("clone session " + sessionId + " is cancelled and cannot become cancelled"));
        node(token).get("/api/v1/node/instructions").then().statusCode(401);
        assertThat(KafkaEvents.read(Topics.CLONE_SESSIONS, sessionId, events -> events.stream()
                .anyMatch(event -> event.type().equals(EventCatalog.CLONE_SESSION_CANCELLED.name()))))
                .extracting(CloudEvent::type).contains(EventCatalog.CLONE_SESSION_CANCELLED.name());

        // A late provisioning event for the ended session changes nothing.
        Sessions.staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("cancelled"));
    }

    /** Follows the SSE stream in the background and keeps each data line. */
    private List<String> followProgress(String sessionId) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/clone-sessions/" + sessionId + "/progress"))
                .header("Authorization", "Bearer " + Operators.ADMIN_KEY)
                .header("Accept", "text/event-stream").build();
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenAccept(response -> {
            try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        lines.add(line.substring(5).strip());
                    }
                }
            } catch (java.io.IOException closed) {
                // the stream ends with the test
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        return lines;
    }

    private static List<String> phases(List<String> stream) {
        return stream.stream().map(line -> io.restassured.path.json.JsonPath.from(line).getString("phase"))
                .distinct().toList();
    }
}
