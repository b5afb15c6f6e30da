package io.pureboot.clone.storage.backend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.testing.Database;
import io.pureboot.clone.storage.testing.KafkaEvents;
import io.pureboot.clone.storage.testing.LogCapture;
import io.pureboot.clone.storage.testing.StagingServers;
import io.pureboot.clone.storage.testing.TestBackends;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchyAugmentor.class)
class BackendResourceTest {

    private static final String BACKENDS = "/api/v1/storage-backends";

    @Test
    void anNfsBackendIsRegisteredListedUpdatedAndDeleted() {
        String name = TestBackends.uniqueName("nfs");
        String id = given().contentType(ContentType.JSON).body(TestBackends.nfs(name))
                .when().post(BACKENDS)
                .then().statusCode(201)
                .header("Location", containsString(BACKENDS + "/"))
                .body("name", equalTo(name))
                .body("backend_type", equalTo("nfs"))
                .body("enabled", equalTo(true))
                .body("nfs_server", equalTo(StagingServers.NFS_SERVER))
                .body("nfs_export", equalTo(StagingServers.NFS_EXPORT))
                .body("has_password", equalTo(false))
                .body("iscsi_management", nullValue())
                .body("created_at", not(nullValue()))
                .extract().path("id");

        given().when().get(BACKENDS).then().statusCode(200).body("id", hasItem(id));
        given().when().get(BACKENDS + "/" + id).then().statusCode(200).body("name", equalTo(name));

        Map<String, Object> changed = TestBackends.nfs(name + "-renamed");
        changed.put("nfs_options", "vers=3,proto=tcp,nolock");
        changed.put("enabled", false);
        given().contentType(ContentType.JSON).body(changed)
                .when().put(BACKENDS + "/" + id)
                .then().statusCode(200)
                .body("name", equalTo(name + "-renamed"))
                .body("nfs_options", equalTo("vers=3,proto=tcp,nolock"))
                .body("enabled", equalTo(false));

        given().when().delete(BACKENDS + "/" + id).then().statusCode(204);
        given().when().get(BACKENDS + "/" + id).then().statusCode(404)
                .body("message", equalTo("storage backend " + id + " does not exist"));
    }

    @Test
    void chapPasswordIsSealedAtRestAndNeverReturnedLoggedOrPublished() throws Exception {
        try (KafkaEvents kafka = new KafkaEvents(); LogCapture log = new LogCapture()) {
            Map<String, Object> body = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
            String id = given().contentType(ContentType.JSON).body(body)
                    .when().post(BACKENDS)
                    .then().statusCode(201)
                    .body("has_password", equalTo(true))
                    .body("iscsi_username", equalTo(StagingServers.STORE_USER))
                    .body("iscsi_management.mode", equalTo("tgtadm_local"))
                    .body("iscsi_management.has_ssh_private_key", equalTo(false))
                    .extract().path("id");

            String single = given().when().get(BACKENDS + "/" + id).then().statusCode(200).extract().asString();
            String list = given().when().get(BACKENDS).then().statusCode(200).extract().asString();
            assertThat(single).doesNotContain(StagingServers.STORE_PASSWORD).doesNotContain("\"iscsi_password\"");
            assertThat(list).doesNotContain(StagingServers.STORE_PASSWORD);

            String stored = Database.string("select iscsi_password from storage_backend where id = ?", UUID.fromString(id));
            assertThat(stored).startsWith("v1:").doesNotContain(StagingServers.STORE_PASSWORD);

            // An update without the password keeps it: the connectivity test still logs in with CHAP.
            Map<String, Object> withoutPassword = TestBackends.iscsi((String) body.get("name"));
            withoutPassword.remove("iscsi_password");
            given().contentType(ContentType.JSON).body(withoutPassword)
                    .when().put(BACKENDS + "/" + id).then().statusCode(200).body("has_password", equalTo(true));
            given().when().post(BACKENDS + "/" + id + "/test").then().statusCode(200)
                    .body("checks.find { it.name == 'login' }.ok", equalTo(true));

            Map<String, Object> wrong = TestBackends.iscsi((String) body.get("name"));
            wrong.put("iscsi_password", "a-wrong-chap-secret");
            given().contentType(ContentType.JSON).body(wrong).when().put(BACKENDS + "/" + id).then().statusCode(200);
            given().when().post(BACKENDS + "/" + id + "/test").then().statusCode(200)
                    .body("failure", equalTo("auth_failed"));

            assertThat(log.lines()).isNotEmpty()
                    .noneMatch(line -> line.contains(StagingServers.STORE_PASSWORD) || line.contains("a-wrong-chap-secret"));
            // The outbox relay publishes within a second or so: wait for this backend's events, bounded.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && kafka.rawRecords().stream()
                    .noneMatch(record -> record.contains(id) && record.contains("\"change\":\"updated\""))) {
                Thread.sleep(200);
            }
            assertThat(kafka.rawRecords()).isNotEmpty()
                    .noneMatch(record -> record.contains(StagingServers.STORE_PASSWORD))
                    .anyMatch(record -> record.contains(id) && record.contains("\"change\":\"registered\""));
            given().when().delete(BACKENDS + "/" + id).then().statusCode(204);
        }
    }

    @Test
    void missingFieldsAnswer400NamingEachField() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields.field", hasItems("name", "backend_type"));

        Map<String, Object> nfs = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        nfs.remove("nfs_server");
        nfs.remove("nfs_export");
        given().contentType(ContentType.JSON).body(nfs)
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields.field", hasItems("nfs_server", "nfs_export"))
                .body("fields.reason", hasItem("is required for an nfs backend"));

        Map<String, Object> iscsi = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        iscsi.remove("iscsi_password");
        iscsi.remove("iscsi_management");
        given().contentType(ContentType.JSON).body(iscsi)
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields.field", hasItems("iscsi_password", "iscsi_management"));

        given().contentType(ContentType.JSON).when().post(BACKENDS)
                .then().statusCode(400).body("message", containsString("a JSON body is required"));
    }

    @Test
    void fieldsOfTheOtherTypeAnswer422() {
        Map<String, Object> iscsi = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        iscsi.put("nfs_server", "10.0.0.5");
        iscsi.put("nfs_export", "/srv/x");
        given().contentType(ContentType.JSON).body(iscsi)
                .when().post(BACKENDS)
                .then().statusCode(422)
                .body("fields.field", hasItems("nfs_server", "nfs_export"))
                .body("fields.reason", hasItem("does not apply to an iscsi backend"));

        Map<String, Object> nfs = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        nfs.put("iscsi_password", "a-long-enough-secret");
        given().contentType(ContentType.JSON).body(nfs)
                .when().post(BACKENDS)
                .then().statusCode(422)
                .body("fields[0].field", equalTo("iscsi_password"))
                .body("message", not(containsString("a-long-enough-secret")));
    }

    @Test
    void malformedValuesAnswer400WithTheReason() {
        Map<String, Object> iscsi = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        iscsi.put("iscsi_target", "not an iqn");
        iscsi.put("iscsi_portal", "host:port:what");
        iscsi.put("iscsi_password", "short");
        given().contentType(ContentType.JSON).body(iscsi)
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields.field", hasItems("iscsi_target", "iscsi_portal", "iscsi_password"))
                .body("message", not(containsString("short")));

        Map<String, Object> nfs = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        nfs.put("nfs_export", "relative/../path");
        given().contentType(ContentType.JSON).body(nfs)
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields[0].field", equalTo("nfs_export"));

        Map<String, Object> unknownType = TestBackends.nfs(TestBackends.uniqueName("x"));
        unknownType.put("backend_type", "ceph");
        given().contentType(ContentType.JSON).body(unknownType)
                .when().post(BACKENDS)
                .then().statusCode(400)
                .body("fields[0].field", equalTo("backend_type"));

        given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post(BACKENDS)
                .then().statusCode(400);
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        String name = TestBackends.uniqueName("Lab-NFS");
        String id = TestBackends.register(TestBackends.nfs(name));
        given().contentType(ContentType.JSON).body(TestBackends.nfs(name.toLowerCase()))
                .when().post(BACKENDS)
                .then().statusCode(409)
                .body("message", containsString("exists already"));
        given().when().delete(BACKENDS + "/" + id).then().statusCode(204);
    }

    @Test
    void theTypeOfABackendCannotChange() {
        String name = TestBackends.uniqueName("nfs");
        String id = TestBackends.register(TestBackends.nfs(name));
        given().contentType(ContentType.JSON).body(TestBackends.iscsi(name))
                .when().put(BACKENDS + "/" + id)
                .then().statusCode(422)
                .body("fields.field", hasItem("backend_type"))
                .body("fields.reason", hasItem(containsString("cannot change from nfs to iscsi")));
        given().when().delete(BACKENDS + "/" + id).then().statusCode(204);
    }

    @Test
    void unknownIdsAnswer404() {
        String unknown = UUID.randomUUID().toString();
        given().when().get(BACKENDS + "/" + unknown).then().statusCode(404);
        given().when().delete(BACKENDS + "/" + unknown).then().statusCode(404);
        given().when().post(BACKENDS + "/" + unknown + "/test").then().statusCode(404);
        given().when().get(BACKENDS + "/" + unknown + "/space").then().statusCode(404);
        given().when().get(BACKENDS + "/" + unknown + "/staging-areas").then().statusCode(404);
        given().contentType(ContentType.JSON).body(TestBackends.nfs("x"))
                .when().put(BACKENDS + "/" + unknown).then().statusCode(404);
        given().when().get(BACKENDS + "/not-a-uuid").then().statusCode(404);
    }
}
