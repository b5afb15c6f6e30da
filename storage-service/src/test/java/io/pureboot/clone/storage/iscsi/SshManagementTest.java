package io.pureboot.clone.storage.iscsi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.testing.KafkaEvents;
import io.pureboot.clone.storage.testing.Leftovers;
import io.pureboot.clone.storage.testing.Shell;
import io.pureboot.clone.storage.testing.StagingServers;
import io.pureboot.clone.storage.testing.TestBackends;
import io.pureboot.clone.storage.testing.TestSshd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tgt managed over SSH (mode tgtadm_ssh) through a private sshd on loopback, the host key pinned. */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchyAugmentor.class)
class SshManagementTest {

    private static final Leftovers LEFTOVERS = new Leftovers();
    private static TestSshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        Assumptions.assumeTrue(TestSshd.available(), "openssh-server is not installed (deploy/dev/prereqs.sh)");
        sshd = TestSshd.start();
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
        LEFTOVERS.remove();
    }

    @Test
    void tgtadmOverSshCreatesSealsAndRemovesATarget() throws Exception {
        TgtadmTargetAdmin admin = admin(sshd.hostKey());
        String iqn = "iqn.2026-01.io.pureboot.test:ssh-" + UUID.randomUUID();
        String file = StagingServers.ISCSI_BACKING_DIR.resolve("pureboot-ssh-test-" + UUID.randomUUID() + ".img").toString();

        admin.check();
        assertThat(admin.targets()).extracting(IscsiTargetAdmin.TargetInfo::iqn).contains(StagingServers.STORE_IQN);
        assertThat(admin.backingStoreSpace().availableBytes()).isPositive();
        try {
            admin.createBackingFile(file, 64L << 20);
            int tid = admin.createTarget(iqn, 1, file, "ssh-test-user", "ssh-test-password");
            admin.setReadOnly(tid, 1);
            assertThat(admin.target(iqn).orElseThrow().lun(1).orElseThrow().readOnly()).isTrue();
            assertThat(Shell.tgtTargets()).contains(iqn);
            assertThat(admin.backingFileExists(file)).isTrue();
        } finally {
            admin.deleteTarget(iqn, "ssh-test-user");
            admin.deleteBackingFile(file);
        }
        assertThat(Shell.tgtTargets()).doesNotContain(iqn);
        assertThat(Files.exists(Path.of(file))).isFalse();
    }

    @Test
    void aHostWithAnotherKeyIsNotTrusted() throws Exception {
        TgtadmTargetAdmin admin = admin(sshd.unrelatedHostKey());

        assertThatThrownBy(admin::check)
                .isInstanceOf(IscsiException.class)
                .hasMessage("ssh to root@127.0.0.1:" + sshd.port() + " failed: host key verification failed: the host's key"
                        + " is not the registered ssh_host_key")
                .extracting(failure -> ((IscsiException) failure).failure()).isEqualTo(IscsiFailure.MANAGEMENT_FAILED);
    }

    @Test
    void anSshBackendIsTestedAndProvisionsThroughSsh() throws Exception {
        Map<String, Object> body = TestBackends.iscsi(TestBackends.uniqueName("iscsi-ssh"));
        Map<String, Object> management = new HashMap<>();
        management.put("mode", "tgtadm_ssh");
        management.put("control_port", StagingServers.TGT_CONTROL_PORT);
        management.put("backing_store_dir", StagingServers.ISCSI_BACKING_DIR.toString());
        management.put("ssh_host", "127.0.0.1");
        management.put("ssh_port", sshd.port());
        management.put("ssh_user", "root");
        management.put("ssh_private_key", sshd.clientKey());
        management.put("ssh_host_key", sshd.hostKey());
        body.put("iscsi_management", management);
        String id = TestBackends.register(body);

        String view = given().when().get("/api/v1/storage-backends/" + id).then().statusCode(200)
                .body("iscsi_management.has_ssh_private_key", equalTo(true))
                .body("iscsi_management.ssh_host_key", containsString("ssh-ed25519"))
                .extract().asString();
        assertThat(view).doesNotContain("PRIVATE KEY");
        given().when().post("/api/v1/storage-backends/" + id + "/test").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("checks.find { it.name == 'management' }.detail", containsString("ssh root@127.0.0.1"));

        try (KafkaEvents kafka = new KafkaEvents()) {
            kafka.awaitConsumerLive();
            String session = LEFTOVERS.track(UUID.randomUUID().toString());
            kafka.send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                    new CloneSessionStagingRequested(UUID.fromString(session), id, 1 << 20));
            kafka.awaitStatus(session, StagingStatus.PROVISIONED, Duration.ofSeconds(60));
            assertThat(Shell.tgtTargets()).contains(":" + session);
            kafka.send(EventCatalog.CLONE_SESSION_CANCELLED, new CloneSessionCancelled(UUID.fromString(session), null));
            kafka.awaitStatus(session, StagingStatus.DELETED, Duration.ofSeconds(60));
            assertThat(Shell.tgtTargets()).doesNotContain(":" + session);
        }
        given().when().delete("/api/v1/storage-backends/" + id).then().statusCode(204);
    }

    private static TgtadmTargetAdmin admin(String hostKey) throws Exception {
        SshCommandRunner runner = new SshCommandRunner("127.0.0.1", sshd.port(), "root", sshd.clientKey(), hostKey,
                Duration.ofSeconds(10));
        return new TgtadmTargetAdmin(runner, StagingServers.TGT_CONTROL_PORT, StagingServers.ISCSI_BACKING_DIR.toString(),
                Duration.ofSeconds(60));
    }
}
