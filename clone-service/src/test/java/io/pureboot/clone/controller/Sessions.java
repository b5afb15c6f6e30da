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
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.events.storage.StorageBackendChanged;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Steps of a session that several tests take: storage's events, boot scripts, progress reports. */
public final class Sessions {

    private Sessions() {
    }

    /** A staged session whose source is armed: what {@link #armedStagedSource} made. */
    public record ArmedSource(String backendId, String sessionId, String sourceMac, String source, String target) {
    }

    /**
     * Registers a backend, a source (with a 1 GiB disk) and a target, defines a staged session, plans and starts it,
     * and plays storage-service provisioning its area: the source is armed.
     */
    public static ArmedSource armedStagedSource(String sourceName, String targetName) {
        String backendId = registerBackend();
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, sourceName);
        String target = registerNode(randomMac(), targetName);
        Operators.reportDisk(source, "wwn-s", 1L << 30);
        String sessionId = createStaged(source, target, backendId);
        planAndStart(sessionId, 1L << 30).statusCode(200);
        staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        awaitState(sessionId, "source_armed");
        return new ArmedSource(backendId, sessionId, sourceMac, source, target);
    }

    /** A node a test registered: its MAC (for its boot script, so its token) and its id. */
    public record TestNode(String mac, String id) {

        /** The node token its boot script's ticket is exchanged for (the node must be armed). */
        public String token() {
            return Operators.tokenOf(bootScript(mac));
        }
    }

    /**
     * A staged session as {@link #defineStaged} made it: its backend, its source (disk {@code wwn-source}) and its
     * targets (disks {@code wwn-t1}, {@code wwn-t2}...).
     */
    public record StagedSession(String backendId, String sessionId, TestNode source, List<TestNode> targets) {

        /** Plans and starts the session and plays storage-service provisioning its area: the source is armed. */
        public StagedSession armSource(long sourceBytes) {
            planAndStart(sessionId, sourceBytes).statusCode(200);
            staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
            awaitState(sessionId, "source_armed");
            return this;
        }
    }

    /**
     * Registers a backend, a source ({@code source}, whose disk {@code wwn-source} has {@code sourceBytes}) and
     * {@code targetCount} targets ({@code target-1}... with disks {@code wwn-t1}...), and defines a staged session of
     * them named {@code name}, with {@code fields} added to the definition (resize_mode, repair_source...).
     */
    public static StagedSession defineStaged(String name, long sourceBytes, int targetCount,
            Map<String, Object> fields) {
        String backendId = registerBackend();
        TestNode source = registeredNode("source");
        Operators.reportDisk(source.id(), "wwn-source", sourceBytes);
        List<TestNode> targets = new ArrayList<>();
        List<Map<String, Object>> targetRefs = new ArrayList<>();
        for (int i = 1; i <= targetCount; i++) {
            TestNode target = registeredNode("target-" + i);
            targets.add(target);
            targetRefs.add(Map.of("node_id", target.id(), "disk_id", "wwn-t" + i));
        }
        Map<String, Object> definition = new HashMap<>(Map.of("name", name, "clone_mode", "staged",
                "source_node_id", source.id(), "source_disk_id", "wwn-source", "staging_backend_id", backendId,
                "targets", targetRefs));
        definition.putAll(fields);
        String sessionId = admin().body(definition).post("/api/v1/clone-sessions").then().statusCode(201)
                .extract().path("id");
        return new StagedSession(backendId, sessionId, source, List.copyOf(targets));
    }

    private static TestNode registeredNode(String name) {
        String mac = randomMac();
        return new TestNode(mac, registerNode(mac, name));
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

    /** The size of the disk every target reports in {@link #planAndStart}. */
    public static final long TARGET_DISK = 4L << 20;

    /**
     * Plays the planner for every target of the session: the target reports a disk of {@link #TARGET_DISK} bytes
     * and gets a feasible plan (version 1) for it; once clone-service has every plan, the session is started.
     *
     * @param sourceBytes the size of the source disk the source reported
     */
    public static ValidatableResponse planAndStart(String sessionId, long sourceBytes) {
        JsonPath session = admin().get("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(200).extract()
                .jsonPath();
        ResizeMode mode = ResizeMode.valueOf(session.getString("resize_mode").toUpperCase(Locale.ROOT));
        List<Map<String, Object>> targets = session.getList("targets");
        for (Map<String, Object> target : targets) {
            String nodeId = (String) target.get("node_id");
            String diskId = (String) target.get("disk_id");
            Operators.reportDisk(nodeId, diskId, TARGET_DISK);
            publishPlan(sessionId, nodeId, diskId, 1, plan(true, sourceBytes, TARGET_DISK, mode));
        }
        for (Map<String, Object> target : targets) {
            awaitPlanVersion(sessionId, (String) target.get("node_id"), 1);
        }
        return admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then();
    }

    /** A plan as the planner publishes it: feasible, or infeasible for the reason the planner would give. */
    public static ResizePlan plan(boolean feasible, long sourceBytes, long targetBytes, ResizeMode mode) {
        return new ResizePlan(sourceBytes, targetBytes, mode, PartitionTableType.GPT, 512, 1 << 20, 1 << 20,
                targetBytes - (1 << 20), List.of(), feasible,
                feasible ? null : "the target is 768 MiB short", feasible ? List.of() : List.of(new PlanViolation(2,
                        "new_size_bytes", 768L << 20, "partition 2 needs 768 MiB more than the target disk has")));
    }

    /** Sends a plan as the planner would. */
    public static void publishPlan(String sessionId, String nodeId, String diskId, int version, ResizePlan plan) {
        KafkaEvents.send("/pureboot/resize-planner-service", EventCatalog.RESIZE_PLAN_PUBLISHED, new ResizePlanPublished(
                UUID.fromString(sessionId), nodeId, diskId, version, ResizePlanPublished.Origin.COMPUTED, plan));
    }

    /** Waits until clone-service holds this version of the target's plan. */
    public static void awaitPlanVersion(String sessionId, String nodeId, int version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/api/v1/clone-sessions/{id}", sessionId).then()
                        .body("targets.find { it.node_id == '" + nodeId + "' }.plan_version", equalTo(version)));
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
