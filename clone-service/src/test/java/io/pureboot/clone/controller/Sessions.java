package io.pureboot.clone.controller;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.events.storage.StorageBackendChanged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Steps of a session that several tests take: storage's events, boot scripts, progress reports. */
public final class Sessions {

    private Sessions() {
    }

    public static String createStaged(String source, String target, String backendId) {
        return admin().body(Map.of("name", "s", "clone_mode", "staged", "source_node_id", source,
                        "source_disk_id", "wwn-s", "staging_backend_id", backendId,
                        "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
    }

    /** Announces a backend as storage-service would and waits until clone-service knows it. */
    public static String registerBackend() {
        String backendId = UUID.randomUUID().toString();
        KafkaEvents.send("/pureboot/storage-service", EventCatalog.STORAGE_BACKEND_CHANGED, new StorageBackendChanged(
                backendId, "nfs-" + backendId.substring(0, 8), BackendType.NFS, true, StorageBackendChanged.Change.REGISTERED));
        String probeSource = registerNode(randomMac(), "probe-source");
        String probeTarget = registerNode(randomMac(), "probe-target");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> admin()
                .body(Map.of("name", "probe", "clone_mode", "staged", "source_node_id", probeSource,
                        "source_disk_id", "d", "staging_backend_id", backendId,
                        "targets", List.of(Map.of("node_id", probeTarget, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").statusCode() == 201);
        return backendId;
    }

    public static CloudEvent staging(String sessionId, String backendId, StagingStatus from, StagingStatus to) {
        return KafkaEvents.send("/pureboot/storage-service", EventCatalog.STAGING_STATUS_CHANGED, new StagingStatusChanged(
                UUID.fromString(sessionId), backendId, BackendType.NFS, "pureboot-staging/" + sessionId, from, to, null, null));
    }

    public static void awaitState(String sessionId, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo(state)));
    }

    public static String bootScript(String mac) {
        return given().get("/api/v1/boot/ipxe?mac={mac}", mac).then().statusCode(200).extract().asString();
    }

    public static void progress(String token, String phase, long done, long total) {
        node(token).body(Map.of("phase", phase, "bytes_done", done, "bytes_total", total, "rate_bytes_per_second", 1000))
                .post("/api/v1/node/progress").then().statusCode(204);
    }
}
