package io.pureboot.clone.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.system.e2e.ProgressStream;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two clone-service replicas on one database and broker, as Kubernetes runs them: a browser following a session's
 * live progress on either one sees the changes made through the other (PostgreSQL LISTEN/NOTIFY between them).
 */
class LiveProgressAcrossReplicasIT {

    private static final String ADMIN_KEY = "pbk_system-test-admin";
    /** How long a change may take to reach the other replica's stream; it takes milliseconds when all is well. */
    private static final Duration ACROSS = Duration.ofSeconds(10);

    private static ServiceProcess first;
    private static ServiceProcess second;
    private static Path work;

    @BeforeAll
    static void startReplicas() throws Exception {
        work = Files.createDirectories(LocalStack.root().resolve("system-tests/target/live-progress"));
        // One after the other: the second finds the bootstrap admin key the first registered.
        first = ServiceProcess.start("clone-service", Map.of("PUREBOOT_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY));
        second = ServiceProcess.start("clone-service", Map.of("PUREBOOT_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY));
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        for (ServiceProcess replica : new ServiceProcess[] {second, first}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    @Test
    void aStreamOnEitherReplicaShowsWhatTheOtherChanged() {
        String source = register(first, "replica-source");
        String target = register(first, "replica-target");
        String sessionId = admin(first).body(definition("made on the first", source, target))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");

        try (ProgressStream onFirst = open(first, sessionId, "first.sse");
             ProgressStream onSecond = open(second, sessionId, "second.sse")) {
            awaitName(onFirst, "made on the first");
            awaitName(onSecond, "made on the first");

            admin(second).body(definition("renamed on the second", source, target))
                    .put("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(200);
            awaitName(onFirst, "renamed on the second");

            admin(first).body(definition("renamed on the first", source, target))
                    .put("/api/v1/clone-sessions/{id}", sessionId).then().statusCode(200);
            awaitName(onSecond, "renamed on the first");

            admin(second).body(Map.of("reason", "cancelled on the second"))
                    .post("/api/v1/clone-sessions/{id}/cancel", sessionId).then().statusCode(200);
            await().atMost(ACROSS).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(onFirst.updates().getLast().path("state").asText()).isEqualTo("cancelled"));
        }
    }

    @Test
    void theStreamOfAnUnknownSessionAnswers404OnEveryReplica() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (ServiceProcess replica : List.of(first, second)) {
            HttpRequest request = HttpRequest.newBuilder(replica.uri().resolve(
                            "/api/v1/clone-sessions/" + UUID.randomUUID() + "/progress"))
                    .header("Authorization", "Bearer " + ADMIN_KEY).header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(10)).build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    private static void awaitName(ProgressStream stream, String name) {
        await().atMost(ACROSS).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(stream.updates()).isNotEmpty();
            assertThat(stream.updates().getLast().path("name").asText()).isEqualTo(name);
        });
    }

    private static ProgressStream open(ServiceProcess replica, String sessionId, String record) {
        return ProgressStream.open(URI.create(replica.uri() + "/api/v1/clone-sessions/" + sessionId + "/progress"),
                ADMIN_KEY, work.resolve(record));
    }

    private static Map<String, Object> definition(String name, String source, String target) {
        return Map.of("name", name, "clone_mode", "direct", "source_node_id", source, "source_disk_id", "wwn-s",
                "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t")));
    }

    private static String register(ServiceProcess replica, String name) {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        String mac = String.format("52:54:09:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2]);
        return admin(replica).body(Map.of("mac", mac, "name", name + "-" + mac)).post("/api/v1/nodes")
                .then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification admin(ServiceProcess replica) {
        return given().baseUri(replica.uri().toString()).contentType(ContentType.JSON).auth().oauth2(ADMIN_KEY);
    }
}
