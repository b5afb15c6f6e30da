package io.pureboot.clone.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The staged flow of the seed across the three real services, the real broker, PostgreSQL and
 * nfs-ganesha, driven through the node API as agents would: inventories in, plans computed per
 * target, the staging directory provisioned over NFS, upload, downloads, cleanup.
 */
class StagedSessionAcrossServicesIT {

    private static final String ADMIN_KEY = "pbk_system-test-admin";
    private static final String INTERNAL_TOKEN = "system-test-internal-token";
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long SOURCE_DISK = 8 * GIB;

    private static ServiceProcess storage;
    private static ServiceProcess planner;
    private static ServiceProcess clone;

    @BeforeAll
    static void startServices() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        int clonePort = ServiceProcess.freePort();
        String issuer = "http://127.0.0.1:" + clonePort;
        storage = ServiceProcess.start("storage-service", Map.of(
                "PUREBOOT_STORAGE_SECRET_KEY", java.util.Base64.getEncoder().encodeToString(key),
                "PUREBOOT_INTERNAL_TOKEN", INTERNAL_TOKEN,
                "PUREBOOT_AUTH_ISSUER_URL", issuer));
        planner = ServiceProcess.start("resize-planner-service", Map.of("PUREBOOT_AUTH_ISSUER_URL", issuer));
        clone = ServiceProcess.start("clone-service", Map.of(
                "PUREBOOT_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY,
                "PUREBOOT_INTERNAL_TOKEN", INTERNAL_TOKEN,
                "PUREBOOT_STORAGE_URL", storage.uri().toString(),
                "PUREBOOT_AUTH_ISSUER_URL", issuer), clonePort);
    }

    @AfterAll
    static void stopServices() throws Exception {
        for (ServiceProcess service : new ServiceProcess[] {clone, planner, storage}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void oneSourceToTwoTargetsOfDifferentSizesThroughNfsStaging() {
        String backendId = given().baseUri(storage.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                .body(Map.of("name", "nfs-" + suffix(), "backend_type", "nfs", "nfs_server", "127.0.0.1",
                        "nfs_export", "/pureboot", "nfs_options", "vers=3,proto=tcp"))
                .post("/api/v1/storage-backends").then().statusCode(201).extract().path("id");

        Node source = Node.register("source", SOURCE_DISK, true);
        Node small = Node.register("small", SOURCE_DISK * 6 / 10, false);
        Node large = Node.register("large", SOURCE_DISK * 3 / 2, false);

        Map<String, Object> definition = Map.of("name", "rack 7", "clone_mode", "staged",
                "source_node_id", source.id, "source_disk_id", source.diskId, "staging_backend_id", backendId,
                "resize_mode", "shrink_source",
                "targets", List.of(Map.of("node_id", small.id, "disk_id", small.diskId),
                        Map.of("node_id", large.id, "disk_id", large.diskId)));
        // clone-service learns of the backend through storage-service's event.
        String sessionId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin().body(definition).post("/api/v1/clone-sessions"), response -> response.statusCode() == 201)
                .path("id");

        // The planner plans each target from the inventories the agents reported.
        JsonPath analysis = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(planner.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                        .post("/api/v1/clone-sessions/{id}/analyze", sessionId),
                        response -> response.statusCode() == 200 && response.jsonPath().getList("plans").size() == 2)
                .jsonPath();
        assertThat(analysis.getList("plans.feasible", Boolean.class)).containsExactly(true, true);
        assertThat(analysis.getList("plans.target_disk_bytes", Long.class))
                .containsExactlyInAnyOrder(small.diskBytes, large.diskBytes);

        startOncePlanned(sessionId);
        awaitState(sessionId, "source_armed");
        Path stagingDirectory = LocalStack.var().resolve("nfs/export/pureboot-staging").resolve(sessionId);
        assertThat(stagingDirectory).isDirectory();

        String sourceToken = source.boot();
        node(sourceToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("mode", equalTo("clone-source-staged")).body("disk_id", equalTo(source.diskId));
        node(sourceToken).post("/api/v1/node/staging").then().statusCode(200)
                .body("backend_type", equalTo("nfs")).body("read_only", equalTo(false))
                .body("staging_path", equalTo("pureboot-staging/" + sessionId)).body("nfs.export", equalTo("/pureboot"));
        progress(sourceToken, "uploading", GIB, SOURCE_DISK);
        progress(sourceToken, "uploading", 3 * GIB, SOURCE_DISK);
        node(sourceToken).body(Map.of("image_size_bytes", 2 * GIB, "manifest_sha256", "cd".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);

        for (Node target : List.of(small, large)) {
            String token = target.boot();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> node(token).get("/api/v1/node/instructions")
                    .then().statusCode(200).body("mode", equalTo("clone-target-staged"))
                    .body("plan.target_disk_bytes", equalTo(target.diskBytes)).body("plan.feasible", equalTo(true)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> node(token).post("/api/v1/node/staging")
                    .then().statusCode(200).body("read_only", equalTo(true)));
            progress(token, "downloading", GIB, 2 * GIB);
            node(token).body("{}").post("/api/v1/node/complete").then().statusCode(204);
        }

        awaitState(sessionId, "completed");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
                .then().body("staging_status", equalTo("deleted")).body("phase", equalTo("done")));
        assertThat(Files.exists(stagingDirectory)).as("staging directory removed over NFS").isFalse();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .getList("source", String.class)).contains("/pureboot/clone-service", "/pureboot/storage-service",
                "/pureboot/resize-planner-service"));
    }

    @Test
    void aSessionWhoseTargetCannotHoldTheSourceIsNotStarted() {
        String backendId = given().baseUri(storage.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                .body(Map.of("name", "nfs-" + suffix(), "backend_type", "nfs", "nfs_server", "127.0.0.1",
                        "nfs_export", "/pureboot"))
                .post("/api/v1/storage-backends").then().statusCode(201).extract().path("id");
        Node source = Node.register("gate-source", SOURCE_DISK, true);
        Node tooSmall = Node.register("gate-target", GIB, false);
        Map<String, Object> definition = Map.of("name", "too small", "clone_mode", "staged",
                "source_node_id", source.id, "source_disk_id", source.diskId, "staging_backend_id", backendId,
                "resize_mode", "shrink_source", "targets", List.of(Map.of("node_id", tooSmall.id, "disk_id",
                        tooSmall.diskId)));
        String sessionId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin().body(definition).post("/api/v1/clone-sessions"), response -> response.statusCode() == 201)
                .path("id");
        JsonPath analysis = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(planner.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                        .post("/api/v1/clone-sessions/{id}/analyze", sessionId), response -> response.statusCode() == 200)
                .jsonPath();
        assertThat(analysis.getList("plans.feasible", Boolean.class)).containsExactly(false);

        // Once the infeasible plan reached clone-service, start names the target and gives the planner's reason.
        String reason = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin().post("/api/v1/clone-sessions/{id}/start", sessionId).then().statusCode(422)
                        .body("fields[0].field", equalTo("targets[0]")).extract().jsonPath().getString("fields[0].reason"),
                        text -> text.contains("infeasible"));
        assertThat(reason).startsWith("target node " + tooSmall.id + ": plan version 1 is infeasible: ")
                .contains(analysis.getString("plans[0].error_message"));
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("created"));
    }

    @Test
    void aCancelledSessionHasItsStagingDirectoryRemoved() {
        String backendId = given().baseUri(storage.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                .body(Map.of("name", "nfs-" + suffix(), "backend_type", "nfs", "nfs_server", "127.0.0.1",
                        "nfs_export", "/pureboot"))
                .post("/api/v1/storage-backends").then().statusCode(201).extract().path("id");
        Node source = Node.register("cancel-source", SOURCE_DISK, true);
        Node target = Node.register("cancel-target", SOURCE_DISK, false);
        Map<String, Object> definition = Map.of("name", "to cancel", "clone_mode", "staged",
                "source_node_id", source.id, "source_disk_id", source.diskId, "staging_backend_id", backendId,
                "targets", List.of(Map.of("node_id", target.id, "disk_id", target.diskId)));
        String sessionId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin().body(definition).post("/api/v1/clone-sessions"), response -> response.statusCode() == 201)
                .path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(planner.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY)
                        .post("/api/v1/clone-sessions/{id}/analyze", sessionId), response -> response.statusCode() == 200);
        startOncePlanned(sessionId);
        awaitState(sessionId, "source_armed");
        Path stagingDirectory = LocalStack.var().resolve("nfs/export/pureboot-staging").resolve(sessionId);
        assertThat(stagingDirectory).isDirectory();
        String sourceToken = source.boot();
        progress(sourceToken, "uploading", GIB, SOURCE_DISK);

        admin().body(Map.of("reason", "wrong source disk")).post("/api/v1/clone-sessions/{id}/cancel", sessionId)
                .then().statusCode(200).body("state", equalTo("cancelled"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> admin().get("/api/v1/clone-sessions/{id}", sessionId)
                .then().body("staging_status", equalTo("deleted")).body("phase", equalTo("done")));
        assertThat(Files.exists(stagingDirectory)).as("staging directory removed over NFS").isFalse();
        node(sourceToken).post("/api/v1/node/staging").then().statusCode(401);
    }

    private static RequestSpecification admin() {
        return given().baseUri(clone.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY);
    }

    private static RequestSpecification node(String token) {
        return given().baseUri(clone.uri().toString()).contentType(ContentType.JSON).auth().oauth2(token);
    }

    private static void progress(String token, String phase, long done, long total) {
        node(token).body(Map.of("phase", phase, "bytes_done", done, "bytes_total", total, "rate_bytes_per_second", GIB))
                .post("/api/v1/node/progress").then().statusCode(204);
    }

    /** The plans reach clone-service through Kafka: start is refused (422) until every target has its plan. */
    private static void startOncePlanned(String sessionId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin().post("/api/v1/clone-sessions/{id}/start", sessionId),
                        response -> response.statusCode() == 200);
    }

    private static void awaitState(String sessionId, String state) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo(state)));
    }

    private static String suffix() {
        return Long.toHexString(new SecureRandom().nextLong());
    }

    /** A node with one GPT disk: the source holds ESP + ext4 root + swap, targets are empty. */
    private record Node(String id, String mac, String diskId, long diskBytes) {

        static Node register(String name, long diskBytes, boolean withLayout) {
            String mac = randomMac();
            String id = admin().body(Map.of("mac", mac, "name", name + "-" + mac)).post("/api/v1/nodes")
                    .then().statusCode(201).extract().path("id");
            Node node = new Node(id, mac, "wwn-0x5000" + mac.replace(":", ""), diskBytes);
            admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(200);
            String token = tokenOf(bootScript(mac));
            node(token).body(Map.of("mac", mac, "hostname", name, "disks", List.of(node.disk(withLayout))))
                    .post("/api/v1/node/inventory").then().statusCode(204);
            return node;
        }

        /** Boots once the node has a role: targets wait until storage-service has sealed the image. */
        String boot() {
            String script = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> bootScript(mac), text -> text.contains("pureboot.ticket="));
            return tokenOf(script);
        }

        Map<String, Object> disk(boolean withLayout) {
            List<Map<String, Object>> partitions = !withLayout ? List.of() : List.of(
                    partition(1, MIB, 512 * MIB, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "vfat", 40 * MIB, null, false),
                    partition(2, 513 * MIB, 6 * GIB, "0fc63daf-8483-4772-8e79-3d69d8477de4", "ext4", 1536 * MIB,
                            1600 * MIB, true),
                    partition(3, 513 * MIB + 6 * GIB, GIB, "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "swap", 0L, null, false));
            return Map.of("stable_id", diskId, "size_bytes", diskBytes, "logical_sector_size", 512,
                    "physical_sector_size", 4096, "table_type", "gpt", "partitions", partitions);
        }

        private static Map<String, Object> partition(int number, long start, long size, String type, String filesystem,
                long used, Long minimum, boolean canShrink) {
            var partition = new java.util.HashMap<String, Object>(Map.of("number", number, "start_bytes", start,
                    "size_bytes", size, "type_id", type, "filesystem", filesystem, "used_bytes", used,
                    "can_shrink", canShrink, "can_grow", !"vfat".equals(filesystem)));
            if (minimum != null) {
                partition.put("minimum_size_bytes", minimum);
            }
            return partition;
        }
    }

    private static String bootScript(String mac) {
        Response response = given().baseUri(clone.uri().toString()).get("/api/v1/boot/ipxe?mac={mac}", mac);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.asString();
    }

    /** The node token for a script's boot ticket, traded as the agent's first call trades it. */
    private static String tokenOf(String script) {
        int start = script.indexOf("pureboot.ticket=");
        assertThat(start).as("a ticket in\n%s", script).isGreaterThan(0);
        int end = script.indexOf('\n', start);
        String ticket = script.substring(start + "pureboot.ticket=".length(), end).split(" ")[0];
        return given().baseUri(clone.uri().toString()).contentType(ContentType.JSON).body(Map.of("ticket", ticket))
                .post("/api/v1/node/ticket").then().statusCode(200).extract().path("token");
    }

    private static String randomMac() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return String.format("52:54:02:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2]);
    }
}
