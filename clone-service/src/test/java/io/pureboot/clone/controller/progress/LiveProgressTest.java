package io.pureboot.clone.controller.progress;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.controller.Operators;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The live progress stream against the real database: 404 before the stream opens, coalescing of fast changes,
 * changes another replica announces over PostgreSQL NOTIFY, and a re-read after the listener lost its connection.
 * "Another replica" is played with SQL: the session row changed behind this instance's back, then notified.
 */
@QuarkusTest
class LiveProgressTest {

    @TestHTTPResource("/")
    URI base;

    private String source;
    private String target;

    @Test
    void theStreamOfAnUnknownSessionAnswers404() throws Exception {
        UUID unknown = UUID.randomUUID();
        HttpResponse<String> response = HttpClient.newHttpClient().send(streamRequest(unknown.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JsonPath.from(response.body()).getString("message"))
                .isEqualTo("clone session " + unknown + " does not exist");
    }

    @Test
    void fastChangesAreCoalescedAndTheStreamEndsOnTheLatest() {
        String sessionId = createDirectSession();
        List<String> stream = follow(sessionId);
        int renames = 30;
        long started = System.nanoTime();
        for (int i = 0; i < renames; i++) {
            admin().body(definition("rename " + i)).put("/api/v1/clone-sessions/{id}", sessionId)
                    .then().statusCode(200);
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(names(stream).getLast()).isEqualTo("rename " + (renames - 1)));
        // The first, then at most one per min-interval (0.25 s) while the renames ran, and one trailing: fewer than
        // one per rename whenever the renames took less than 7 s.
        long allowed = 1 + (elapsedMillis / 250 + 1) + 1;
        assertThat(names(stream)).as("updates for %d renames in %d ms", renames, elapsedMillis)
                .hasSizeLessThanOrEqualTo((int) allowed);
    }

    @Test
    void aChangeAnnouncedByAnotherReplicaReachesTheStream() throws Exception {
        String sessionId = createDirectSession();
        List<String> stream = follow(sessionId);
        sql("update clone_session set name = ? where id = ?", "renamed elsewhere", UUID.fromString(sessionId));
        sql("select pg_notify(?, ?)", ChangeChannel.NAME, "another-replica " + sessionId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(names(stream)).last().isEqualTo("renamed elsewhere"));
    }

    @Test
    void aStreamRereadsTheSessionOnceTheListenerIsBack() throws Exception {
        String sessionId = createDirectSession();
        List<String> stream = follow(sessionId);
        // A change this replica was never told of, as if its notification came while the listener was away...
        sql("update clone_session set name = ? where id = ?", "changed while away", UUID.fromString(sessionId));
        Thread.sleep(500);
        assertThat(names(stream)).doesNotContain("changed while away");
        // ...then the listener's connection drops, and it reconnects.
        assertThat(terminateListener()).as("listening connections of this test database").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(names(stream)).last().isEqualTo("changed while away"));
        // Listening again: a later change from another replica arrives as before.
        sql("update clone_session set name = ? where id = ?", "after the reconnect", UUID.fromString(sessionId));
        sql("select pg_notify(?, ?)", ChangeChannel.NAME, "another-replica " + sessionId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(names(stream)).last().isEqualTo("after the reconnect"));
    }

    private String createDirectSession() {
        source = registerNode(randomMac(), "progress-source");
        target = registerNode(randomMac(), "progress-target");
        return admin().body(definition("progress")).post("/api/v1/clone-sessions").then().statusCode(201)
                .extract().path("id");
    }

    private Map<String, Object> definition(String name) {
        return Map.of("name", name, "clone_mode", "direct", "source_node_id", source, "source_disk_id", "wwn-s",
                "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t")));
    }

    private HttpRequest streamRequest(String sessionId) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/clone-sessions/" + sessionId + "/progress"))
                .header("Authorization", "Bearer " + Operators.ADMIN_KEY)
                .header("Accept", "text/event-stream").build();
    }

    /** Follows the SSE stream in the background, keeping each data line; returns once the first arrived. */
    private List<String> follow(String sessionId) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient.newHttpClient().sendAsync(streamRequest(sessionId), HttpResponse.BodyHandlers.ofInputStream())
                .thenAccept(response -> {
                    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (line.startsWith("data:")) {
                                lines.add(line.substring(5).strip());
                            }
                        }
                    } catch (IOException closed) {
                        // the stream ends with the test
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        return lines;
    }

    private static List<String> names(List<String> stream) {
        return stream.stream().map(line -> JsonPath.from(line).getString("name")).toList();
    }

    /** Ends the listener's connection as a database restart or network cut would; answers how many ended. */
    private static int terminateListener() throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity "
                        + "where application_name = ? and datname = current_database()")) {
            statement.setString(1, ChangeChannel.APPLICATION_NAME);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private static void sql(String statementText, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(statementText)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
