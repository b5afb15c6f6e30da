package io.pureboot.clone.storage.staging;

import static io.pureboot.clone.events.storage.StagingStatus.CLEANUP;
import static io.pureboot.clone.events.storage.StagingStatus.DELETED;
import static io.pureboot.clone.events.storage.StagingStatus.DOWNLOADING;
import static io.pureboot.clone.events.storage.StagingStatus.FAILED;
import static io.pureboot.clone.events.storage.StagingStatus.PENDING;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONED;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONING;
import static io.pureboot.clone.events.storage.StagingStatus.READY;
import static io.pureboot.clone.events.storage.StagingStatus.UPLOADING;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionCompleted;
import io.pureboot.clone.events.session.CloneSessionFailed;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.testing.Database;
import io.pureboot.clone.storage.testing.KafkaEvents;
import io.pureboot.clone.storage.testing.Leftovers;
import io.pureboot.clone.storage.testing.Shell;
import io.pureboot.clone.storage.testing.StagingServers;
import io.pureboot.clone.storage.testing.TestBackends;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Staging areas driven by real clone-session events on Kafka, provisioned and cleaned up on the real
 * nfs-ganesha and tgtd, and checked on the servers themselves: the exported directory, tgtd's own
 * view, and libiscsi logging in with the session's CHAP credentials.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchyAugmentor.class)
class StagingLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long GIB = 1L << 30;
    private static final String TOKEN = "Bearer test-internal-token";

    private static final Leftovers LEFTOVERS = new Leftovers();
    private static KafkaEvents kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaEvents();
        kafka.awaitConsumerLive();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        List<String> littered = LEFTOVERS.remove();
        if (!littered.isEmpty()) {
            System.err.println("removed what failed tests left of sessions " + littered);
        }
    }

    @Test
    void nfsStagingDirectoryFollowsItsSessionAndIsRemovedAfterCompletion() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String session = session();
        Path directory = StagingServers.NFS_EXPORT_DIR.resolve("pureboot-staging").resolve(session);

        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, GIB));
        StagingStatusChanged provisioned = kafka.awaitStatus(session, PROVISIONED, WAIT);
        assertThat(kafka.statuses(session)).containsExactly(PENDING, PROVISIONING, PROVISIONED);
        assertThat(provisioned.stagingPath()).isEqualTo("pureboot-staging/" + session);
        assertThat(provisioned.backendId()).isEqualTo(backend);
        assertThat(directory).isDirectory();
        given().when().get("/api/v1/storage-backends/" + backend + "/space")
                .then().statusCode(200).body("reserved_bytes", equalTo((int) GIB)).body("active_staging_areas", equalTo(1));

        JsonPath source = mount(session, "source").then().statusCode(200).extract().jsonPath();
        assertThat(source.getString("backend_type")).isEqualTo("nfs");
        assertThat(source.getString("status")).isEqualTo("uploading");
        assertThat(source.getBoolean("read_only")).isFalse();
        assertThat(source.getString("nfs.server")).isEqualTo(StagingServers.NFS_SERVER);
        assertThat(source.getString("nfs.export")).isEqualTo(StagingServers.NFS_EXPORT);
        assertThat(source.getString("nfs.remote_path")).isEqualTo(StagingServers.NFS_EXPORT + "/pureboot-staging/" + session);
        kafka.awaitStatus(session, UPLOADING, WAIT);
        mount(session, "target").then().statusCode(409).body("message", containsString("is uploading"));

        writeImage(directory);
        kafka.send(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED,
                new CloneSessionSourceCompleted(UUID.fromString(session), 5, null));
        kafka.awaitStatus(session, READY, WAIT);
        mount(session, "target").then().statusCode(200).body("read_only", equalTo(true)).body("status",
                equalTo("downloading"));
        kafka.awaitStatus(session, DOWNLOADING, WAIT);

        given().when().delete("/api/v1/storage-backends/" + backend)
                .then().statusCode(409).body("message", containsString("1 active staging area"));

        kafka.send(EventCatalog.CLONE_SESSION_COMPLETED, new CloneSessionCompleted(UUID.fromString(session), null));
        kafka.awaitStatus(session, DELETED, WAIT);
        assertThat(kafka.statuses(session)).containsExactly(PENDING, PROVISIONING, PROVISIONED, UPLOADING, READY,
                DOWNLOADING, CLEANUP, DELETED);
        assertThat(directory).doesNotExist();
        given().when().delete("/api/v1/storage-backends/" + backend).then().statusCode(204);
    }

    @Test
    void iscsiLunIsReachableWithTheSessionsChapOnlyReadOnlyAfterUploadAndGoneAfterCleanup() throws Exception {
        String backend = TestBackends.register(TestBackends.iscsi(TestBackends.uniqueName("iscsi")));
        String session = session();
        long size = 256L << 20;

        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, size));
        kafka.awaitStatus(session, PROVISIONED, WAIT);

        JsonPath source = mount(session, "source").then().statusCode(200).extract().jsonPath();
        String iqn = source.getString("iscsi.iqn");
        String user = source.getString("iscsi.username");
        String password = source.getString("iscsi.password");
        int lun = source.getInt("iscsi.lun");
        assertThat(source.getString("iscsi.portal")).isEqualTo(StagingServers.ISCSI_PORTAL);
        assertThat(source.getString("iscsi.filesystem")).isEqualTo("ext4");
        assertThat(iqn).endsWith(":" + session.toLowerCase());
        assertThat(password).hasSize(16);
        assertThat(Database.string("select chap_password from staging_area where session_id = cast(? as uuid)", session))
                .startsWith("v1:").doesNotContain(password);

        String portal = "iscsi://" + user + "%" + password + "@" + StagingServers.ISCSI_PORTAL + "/";
        assertThat(Shell.run("iscsi-ls", portal).output()).contains("Target:" + iqn);
        Shell.Result capacity = Shell.run("iscsi-readcapacity16", portal + iqn + "/" + lun);
        assertThat(capacity.exitCode()).as(capacity.output()).isZero();
        long lunBytes = Long.parseLong(capacity.output().replaceAll("(?s).*Total size:(\\d+).*", "$1"));
        assertThat(lunBytes).isEqualTo(StagingNames.lunSize(size)).isGreaterThan(size);
        Shell.Result wrongChap = Shell.run("iscsi-readcapacity16",
                "iscsi://" + user + "%wrong-password@" + StagingServers.ISCSI_PORTAL + "/" + iqn + "/" + lun);
        assertThat(wrongChap.exitCode()).isNotZero();
        assertThat(wrongChap.output()).contains("Authentication failure");
        Shell.Result otherChap = Shell.run("iscsi-readcapacity16", "iscsi://" + StagingServers.STORE_USER + "%"
                + StagingServers.STORE_PASSWORD + "@" + StagingServers.ISCSI_PORTAL + "/" + iqn + "/" + lun);
        assertThat(otherChap.output()).contains("Authentication failure");

        Path backingFile = StagingServers.ISCSI_BACKING_DIR.resolve("pureboot-" + session + ".img");
        assertThat(Shell.run("blkid", "-o", "value", "-s", "TYPE", backingFile.toString()).output().strip())
                .isEqualTo("ext4");
        assertThat(Files.size(backingFile)).isEqualTo(lunBytes);
        assertThat(readOnly(iqn)).isFalse();

        kafka.send(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED,
                new CloneSessionSourceCompleted(UUID.fromString(session), size, null));
        kafka.awaitStatus(session, READY, WAIT);
        assertThat(readOnly(iqn)).isTrue();
        mount(session, "target").then().statusCode(200).body("read_only", equalTo(true))
                .body("iscsi.password", equalTo(password));

        kafka.send(EventCatalog.CLONE_SESSION_FAILED, new CloneSessionFailed(UUID.fromString(session), "target 2 disk died"));
        kafka.awaitStatus(session, DELETED, WAIT);
        assertThat(Shell.tgtTargets()).doesNotContain(iqn);
        assertThat(backingFile).doesNotExist();
        assertThat(Shell.run("iscsi-readcapacity16", portal + iqn + "/" + lun).exitCode()).isNotZero();
        assertThat(kafka.rawRecords()).noneMatch(record -> record.contains(password));
        given().when().delete("/api/v1/storage-backends/" + backend).then().statusCode(204);
    }

    @Test
    void aSessionCancelledBeforeItsUploadIsCleanedUp() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String session = session();
        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, GIB));
        kafka.awaitStatus(session, PROVISIONED, WAIT);
        assertThat(StagingServers.NFS_EXPORT_DIR.resolve("pureboot-staging").resolve(session)).isDirectory();

        kafka.send(EventCatalog.CLONE_SESSION_CANCELLED,
                new CloneSessionCancelled(UUID.fromString(session), "operator changed their mind"));
        kafka.awaitStatus(session, DELETED, WAIT);
        assertThat(StagingServers.NFS_EXPORT_DIR.resolve("pureboot-staging").resolve(session)).doesNotExist();
        mount(session, "source").then().statusCode(409).body("message", containsString("is deleted"));
    }

    @Test
    void aBackendLackingTheSpaceIsRefusedWithTheMeasuredNumbers() {
        String nfs = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String iscsi = TestBackends.register(TestBackends.iscsi(TestBackends.uniqueName("iscsi")));
        String nfsSession = session();
        String iscsiSession = session();
        long tooMuch = 50L << 40;

        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(nfsSession), nfs, tooMuch));
        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(iscsiSession), iscsi, tooMuch));

        assertThat(kafka.awaitStatus(nfsSession, FAILED, WAIT).reason())
                .contains("lacks space").contains("FSSTAT").contains(Long.toString(tooMuch));
        assertThat(kafka.awaitStatus(iscsiSession, FAILED, WAIT).reason())
                .contains("lacks space").contains("backing-store");
        assertThat(StagingServers.NFS_EXPORT_DIR.resolve("pureboot-staging").resolve(nfsSession)).doesNotExist();
        assertThat(StagingServers.ISCSI_BACKING_DIR.resolve("pureboot-" + iscsiSession + ".img")).doesNotExist();
        given().when().get("/api/v1/storage-backends/" + nfs + "/staging-areas")
                .then().statusCode(200)
                .body("find { it.session_id == '" + nfsSession + "' }.status", equalTo("failed"))
                .body("find { it.session_id == '" + nfsSession + "' }.reason", containsString("lacks space"));
    }

    @Test
    void impossibleRequestsFailWithTheReason() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String absurd = session();
        String unknownBackend = session();

        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(absurd), backend, Long.MAX_VALUE / 2));
        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(unknownBackend), UUID.randomUUID().toString(), GIB));

        assertThat(kafka.awaitStatus(absurd, FAILED, WAIT).reason()).contains("max-size-bytes");
        assertThat(kafka.awaitStatus(unknownBackend, FAILED, WAIT).reason()).contains("does not exist");

        // The session's end cleans up an area that never reached a server: bookkeeping only, done once.
        kafka.send(EventCatalog.CLONE_SESSION_FAILED, new CloneSessionFailed(UUID.fromString(unknownBackend), "staging failed"));
        kafka.awaitStatus(unknownBackend, DELETED, WAIT);
    }

    @Test
    void redeliveredAndRepeatedEventsChangeNothing() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String session = session();
        CloudEvent request = kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, GIB));
        kafka.resend(request);
        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, GIB));
        kafka.awaitStatus(session, PROVISIONED, WAIT);

        CloudEvent completed = kafka.send(EventCatalog.CLONE_SESSION_COMPLETED,
                new CloneSessionCompleted(UUID.fromString(session), null));
        kafka.resend(completed);
        kafka.send(EventCatalog.CLONE_SESSION_COMPLETED, new CloneSessionCompleted(UUID.fromString(session), null));
        kafka.awaitStatus(session, DELETED, WAIT);
        kafka.drain(Duration.ofSeconds(2));

        assertThat(kafka.statuses(session)).containsExactly(PENDING, PROVISIONING, PROVISIONED, CLEANUP, DELETED);
    }

    @Test
    void theInternalEndpointWantsTheServiceToken() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        String session = session();
        kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                new CloneSessionStagingRequested(UUID.fromString(session), backend, GIB));
        kafka.awaitStatus(session, PROVISIONED, WAIT);

        given().when().post("/internal/v1/staging/" + session + "/mount?role=source").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").when().post("/internal/v1/staging/" + session + "/mount")
                .then().statusCode(401).body("message", equalTo("the service token is wrong"));
        given().header("Authorization", TOKEN).when().post("/internal/v1/staging/no-such-session/mount?role=source")
                .then().statusCode(404);
        given().header("Authorization", TOKEN).when().post("/internal/v1/staging/" + session + "/mount?role=admin")
                .then().statusCode(400).body("fields[0].field", equalTo("role"));
        mount(session, "target").then().statusCode(409).body("message", containsString("is provisioned"));
        given().header("Authorization", TOKEN).when().get("/internal/v1/staging/" + session)
                .then().statusCode(200).body("status", equalTo("provisioned")).body("staging_path",
                        equalTo("pureboot-staging/" + session));
        given().header("Authorization", TOKEN).when().get("/internal/v1/staging/" + session + "/mount")
                .then().statusCode(200).body("status", equalTo("provisioned")).body("read_only", equalTo(false));
        given().header("Authorization", TOKEN).when().get("/internal/v1/staging/" + session)
                .then().statusCode(200).body("status", equalTo("provisioned")); // the GET moved nothing

        kafka.send(EventCatalog.CLONE_SESSION_CANCELLED, new CloneSessionCancelled(UUID.fromString(session), null));
        kafka.awaitStatus(session, DELETED, WAIT);
    }

    private static Response mount(String session, String role) {
        return given().header("Authorization", TOKEN).queryParam("role", role)
                .when().post("/internal/v1/staging/" + session + "/mount");
    }

    private static boolean readOnly(String iqn) {
        String shown = Shell.tgtTargets();
        String target = shown.substring(shown.indexOf(iqn));
        String lunOne = target.substring(target.indexOf("LUN: 1"));
        return lunOne.substring(0, lunOne.indexOf("Backing store type")).contains("Readonly: Yes");
    }

    private static void writeImage(Path directory) {
        try {
            Files.writeString(directory.resolve("manifest.json"), "{}");
            Files.write(directory.resolve("disk.img.zst"), new byte[] {40, -75, 47, -3, 0});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String session() {
        return LEFTOVERS.track(UUID.randomUUID().toString());
    }
}
