package io.pureboot.clone.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The three services run as packaged processes for the end-to-end tests with real agents, and the steps those
 * tests share: operator, storage and planner API calls, a node's inventory boot, boot scripts, session states.
 * A JUnit extension: an end-to-end class registers one on a static field ({@link #endToEnd}); it skips the class
 * without root, makes the class's work directory, starts the services before the first test and stops them after
 * the last. Each class has its own stack: two clone-services on the test database would both relay its outbox, and
 * a class that counts events on Kafka would see them twice.
 */
final class CloneStack implements BeforeAllCallback, AfterAllCallback {

    static final String ADMIN_KEY = "pbk_e2e-admin";
    private static final String INTERNAL_TOKEN = "e2e-internal-token-0123";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path work;
    private final int replicas;
    private ServiceReplicas storage;
    private ServiceReplicas planner;
    private ServiceReplicas clone;

    private CloneStack(Path work, int replicas) {
        this.work = work;
        this.replicas = replicas;
    }

    /**
     * The stack of one end-to-end class, whose disks, agent logs and agent state go to a fresh directory
     * {@code system-tests/target/<workName>/<start time>}.
     */
    static CloneStack endToEnd(String workName) {
        return replicated(workName, 1);
    }

    /**
     * As {@link #endToEnd(String)}, with {@code replicas} instances of each service behind a {@link Balancer} each,
     * as a Deployment and its Service run them.
     */
    static CloneStack replicated(String workName, int replicas) {
        return new CloneStack(LocalStack.root().resolve("system-tests/target").resolve(workName)
                .resolve(Long.toString(System.currentTimeMillis())), replicas);
    }

    /** The class's work directory; it exists once the stack started. */
    Path work() {
        return work;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        Assumptions.assumeTrue(runningAsRoot(), "loop devices and mounts need root");
        Files.createDirectories(work);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        storage = ServiceReplicas.of("storage-service", replicas);
        planner = ServiceReplicas.of("resize-planner-service", replicas);
        clone = ServiceReplicas.of("clone-service", replicas);
        // clone-service issues the operators' tokens: the others verify against its keys and exchange API keys there.
        String issuer = clone.uri().toString();
        storage.environment(Map.of(
                "PUREBOOT_STORAGE_SECRET_KEY", Base64.getEncoder().encodeToString(key),
                "PUREBOOT_INTERNAL_TOKEN", INTERNAL_TOKEN,
                "PUREBOOT_AUTH_ISSUER_URL", issuer));
        planner.environment(Map.of("PUREBOOT_AUTH_ISSUER_URL", issuer));
        clone.environment(Map.of(
                "PUREBOOT_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY,
                "PUREBOOT_INTERNAL_TOKEN", INTERNAL_TOKEN,
                "PUREBOOT_STORAGE_URL", storage.uri().toString(),
                "PUREBOOT_AUTH_ISSUER_URL", issuer));
        if (replicas == 1) {
            storage.start(0);
            planner.start(0);
            clone.start(0);
            return;
        }
        // Replicas of storage and planner start side by side; clone-service's first replica alone, since it
        // registers the bootstrap admin key that the others then find.
        List<ServiceProcess> starting = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            starting.add(storage.launch(i));
            starting.add(planner.launch(i));
        }
        for (ServiceProcess replica : starting) {
            replica.awaitReady();
        }
        for (int i = 0; i < replicas; i++) {
            clone.start(i);
        }
    }

    /** Stops the services that started, the last started first. */
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException, IOException {
        for (ServiceReplicas service : new ServiceReplicas[] {clone, planner, storage}) {
            if (service != null) {
                service.close();
            }
        }
        clone = null;
        planner = null;
        storage = null;
    }

    /** SIGKILL to replica {@code index} of each of the three services, one right after the other. */
    void killReplicaOfEach(int index) throws InterruptedException {
        storage.kill(index);
        planner.kill(index);
        clone.kill(index);
    }

    /** Starts replica {@code index} of each service again, as Kubernetes replaces a killed pod, and waits until ready. */
    void restartReplicaOfEach(int index) throws IOException, InterruptedException {
        List<ServiceProcess> starting = List.of(storage.launch(index), planner.launch(index), clone.launch(index));
        for (ServiceProcess replica : starting) {
            replica.awaitReady();
        }
    }

    /** Loop devices and mounts need root; the end-to-end classes are skipped, with this reason, without it. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    String cloneUri() {
        return clone.uri().toString();
    }

    RequestSpecification admin() {
        return given().baseUri(cloneUri()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY);
    }

    RequestSpecification node(String token) {
        return given().baseUri(cloneUri()).contentType(ContentType.JSON).auth().oauth2(token);
    }

    /** storage-service as the admin: the API key works there too (exchanged at clone-service for a JWT). */
    RequestSpecification storageApi() {
        return given().baseUri(storageUri()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY);
    }

    /** The planner as the admin. */
    RequestSpecification plannerApi() {
        return given().baseUri(plannerUri()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY);
    }

    String storageUri() {
        return storage.uri().toString();
    }

    String plannerUri() {
        return planner.uri().toString();
    }

    /** Registers a storage backend and answers its id. */
    String registerBackend(Map<String, Object> backend) {
        return storageApi().body(backend).post("/api/v1/storage-backends").then().statusCode(201).extract().path("id");
    }

    /**
     * Registers a node, boots it into inventory mode with the real agent on {@code disk}, and waits until the
     * planner holds the reported disk. Answers the node's id.
     */
    String registerAndInventory(String name, LoopDisk disk, Path work) throws IOException, InterruptedException {
        String mac = randomMac();
        String id = admin().body(Map.of("mac", mac, "name", name + "-" + mac)).post("/api/v1/nodes")
                .then().statusCode(201).extract().path("id");
        admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(200);
        String script = bootScript(id);
        assertThat(script).contains("pureboot.mode=inventory");
        Agent.boot(name + "-inventory", script, cloneUri(), work, List.of("--disk", disk.stableId()))
                .awaitSuccess(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Response inventory = plannerApi().get("/api/v1/inventories/{id}", id);
            assertThat(inventory.statusCode()).isEqualTo(200);
            assertThat(inventory.jsonPath().getList("disks.stable_id", String.class)).containsExactly(disk.stableId());
            assertThat(inventory.jsonPath().getLong("disks[0].size_bytes")).isEqualTo(disk.bytes());
        });
        return id;
    }

    /** Defines a session (retrying while clone-service has not yet heard of the backend) and answers its id. */
    String defineSession(Map<String, Object> definition) throws InterruptedException {
        return untilStatus(201, () -> admin().body(definition).post("/api/v1/clone-sessions")).path("id");
    }

    /** Boots the real agent from the node's current boot script. */
    Agent boot(String name, String nodeId, Path work, List<String> options) throws IOException {
        return Agent.boot(name, bootScript(nodeId), cloneUri(), work, options);
    }

    String bootScript(String nodeId) {
        String mac = admin().get("/api/v1/nodes/{id}", nodeId).then().statusCode(200).extract().path("mac");
        Response response = given().baseUri(cloneUri()).get("/api/v1/boot/ipxe?mac={mac}", mac);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.asString();
    }

    /** The node token the agent gets for a boot script's ticket (its first call trades it; a ticket works once). */
    String tokenOf(String script) {
        String word = List.of(script.split("\\s+")).stream().filter(part -> part.startsWith("pureboot.ticket="))
                .findFirst().orElseThrow(() -> new AssertionError("no boot ticket in\n" + script));
        return given().baseUri(cloneUri()).contentType("application/json")
                .body(Map.of("ticket", word.substring("pureboot.ticket=".length()))).post("/api/v1/node/ticket")
                .then().statusCode(200).extract().path("token");
    }

    JsonPath session(String sessionId) {
        return admin().get("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(200).extract().jsonPath();
    }

    void awaitState(String sessionId, String state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(session(sessionId).getString("state")).isEqualTo(state));
    }

    /** Waits until every target of the session is armed: the image is sealed in staging. */
    void awaitTargetsArmed(String sessionId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(session(sessionId).getList("targets.state", String.class)).containsOnly("armed"));
    }

    /** Waits until the session is over and its staging area is gone. */
    void awaitStagingDeleted(String sessionId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonPath session = session(sessionId);
            assertThat(session.getString("staging_status")).isEqualTo("deleted");
            assertThat(session.getString("phase")).isEqualTo("done");
        });
    }

    /** Repeats a call (events take a moment to reach the other services) until it answers {@code status}. */
    static Response untilStatus(int status, Supplier<Response> call) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response response = call.get();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(500);
            response = call.get();
        }
        assertThat(response.statusCode()).as("answer %s", response.asString()).isEqualTo(status);
        return response;
    }

    static String suffix() {
        return Long.toHexString(RANDOM.nextLong());
    }

    static String randomMac() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return String.format("52:54:07:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2]);
    }
}
