package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.system.e2e.FileTree;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.pureboot.clone.system.e2e.LoopMount;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7's staged clone through an iSCSI staging LUN on tgt, with the real services and agents. storage-service
 * creates the session's target, LUN (a sparse file holding ext4) and CHAP account with tgtadm; the node API hands
 * the source those credentials, and libiscsi logs in with them over the real protocol. The agents then reach the
 * LUN's ext4 as a pre-mounted staging directory, mounted from the LUN's backing file (this kernel has no iSCSI
 * initiator, and no test runs the agent's own iscsiadm login yet): read-write for the source, read-only for the
 * target once storage-service has sealed the LUN. Cleanup removes the target and the file. Needs root.
 */
class IscsiStagedCloneE2EIT {

    private static final long MIB = 1L << 20;
    private static final long SOURCE_BYTES = 1024 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(5);
    private static final String PORTAL = "127.0.0.1:" + setting("PUREBOOT_ISCSI_PORT", "3260");
    private static final String TGT_CONTROL_PORT = setting("PUREBOOT_TGT_CONTROL_PORT", "7");
    /** The CHAP-protected store target deploy/dev/iscsi.sh offers for dev backends (dev-only credentials). */
    private static final String STORE_IQN = "iqn.2026-01.io.pureboot:dev-store";

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("e2e-iscsi");
    private static final Path work = stack.work();
    private static final Path backingDirectory = Path.of(setting("PUREBOOT_ISCSI_BACKING_DIR",
            LocalStack.var().resolve("iscsi/luns").toString()));

    @Test
    void oneSourceToALargerTargetThroughAnIscsiStagingLun() throws Exception {
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), SOURCE_BYTES, 64 * MIB, "/usr/share/doc");
             LoopDisk target = LoopDisk.create(work.resolve("target.img"), SOURCE_BYTES * 3 / 2)) {
            String sourceRoot = FileTree.ext4(source.partition(2));
            String backendId = stack.registerBackend(Map.of("name", "e2e-iscsi-" + CloneStack.suffix(),
                    "backend_type", "iscsi", "iscsi_target", STORE_IQN, "iscsi_portal", PORTAL,
                    "iscsi_username", "pureboot-dev", "iscsi_password", "pureboot-dev-chap",
                    "iscsi_management", Map.of("mode", "tgtadm_local", "control_port", Integer.parseInt(TGT_CONTROL_PORT),
                            "backing_store_dir", backingDirectory.toString())));
            String sourceNode = stack.registerAndInventory("i-source", source, work);
            String targetNode = stack.registerAndInventory("i-target", target, work);
            String sessionId = stack.defineSession(Map.of("name", "iscsi " + CloneStack.suffix(),
                    "clone_mode", "staged", "source_node_id", sourceNode, "source_disk_id", source.stableId(),
                    "staging_backend_id", backendId, "resize_mode", "grow_target",
                    "targets", List.of(Map.of("node_id", targetNode, "disk_id", target.stableId()))));
            CloneStack.untilStatus(200, () -> stack.plannerApi().post("/api/v1/clone-sessions/{id}/analyze", sessionId));
            // The plans reach clone-service through Kafka: start is refused (422) until every target has its plan.
            CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
            stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(90));

            // storage-service made the session's own target and LUN on tgt, backed by a file holding ext4.
            Path lunFile = backingDirectory.resolve("pureboot-" + sessionId + ".img");
            assertThat(lunFile).as("the LUN's backing file").isRegularFile();
            assertThat(Host.run("blkid", "-o", "value", "-s", "TYPE", lunFile.toString()).strip()).isEqualTo("ext4");
            String sourceScript = stack.bootScript(sourceNode);
            JsonPath staging = stack.node(stack.tokenOf(sourceScript)).post("/api/v1/node/staging")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(staging.getString("backend_type")).isEqualTo("iscsi");
            assertThat(staging.getBoolean("read_only")).isFalse();
            String iqn = staging.getString("iscsi.target_iqn");
            assertThat(targetSection(iqn)).contains("Backing store path: " + lunFile).contains("Readonly: No");
            // The source's CHAP credentials open the LUN over iSCSI; the store's credentials do not.
            String lunUrl = "@" + staging.getString("iscsi.portal") + "/" + iqn + "/" + staging.getInt("iscsi.lun");
            Host.run("iscsi-readcapacity16", "iscsi://" + staging.getString("iscsi.username") + "%"
                    + staging.getString("iscsi.password") + lunUrl);
            assertThat(Host.attempt("iscsi-readcapacity16", "iscsi://pureboot-dev%pureboot-dev-chap" + lunUrl).exitCode())
                    .as("another account's CHAP login").isNotZero();

            try (LoopMount lun = LoopMount.readWrite(lunFile, work.resolve("lun-source"))) {
                stack.boot("i-source", sourceNode, work, agentOptions("source", lun.directory()))
                        .awaitSuccess(AGENT_TIMEOUT);
                assertThat(lun.directory().resolve(sessionId).resolve("manifest.json")).isRegularFile();
            }
            stack.awaitTargetsArmed(sessionId);
            assertThat(targetSection(iqn)).as("LUN sealed after the upload").contains("Readonly: Yes");
            try (LoopMount lun = LoopMount.readOnly(lunFile, work.resolve("lun-target"))) {
                stack.boot("i-target", targetNode, work, agentOptions("target", lun.directory()))
                        .awaitSuccess(AGENT_TIMEOUT);
            }

            stack.awaitState(sessionId, "completed", Duration.ofSeconds(60));
            stack.awaitStagingDeleted(sessionId);
            assertThat(Files.exists(lunFile)).as("LUN backing file removed").isFalse();
            assertThat(tgtTargets()).as("session target removed from tgt").doesNotContain(iqn);

            Host.run("e2fsck", "-fn", target.partition(2));
            assertThat(FileTree.ext4(target.partition(2))).isEqualTo(sourceRoot);
        }
    }

    private static String tgtTargets() {
        return Host.run("tgtadm", "-C", TGT_CONTROL_PORT, "--lld", "iscsi", "--mode", "target", "--op", "show");
    }

    /** tgtadm's description of one target, from its header line to the next target's. */
    private static String targetSection(String iqn) {
        String all = tgtTargets();
        int start = all.indexOf(": " + iqn + "\n");
        assertThat(start).as("target %s on tgt:\n%s", iqn, all).isNotNegative();
        int end = all.indexOf("\nTarget ", start);
        return end < 0 ? all.substring(start) : all.substring(start, end);
    }

    private static List<String> agentOptions(String node, Path staging) {
        return List.of("--staging-dir", staging.toString(), "--state-dir", work.resolve(node + "-state").toString(),
                "--workers", "2");
    }

    private static String setting(String environment, String fallback) {
        String value = System.getenv(environment);
        return value == null || value.isBlank() ? fallback : value;
    }
}
