package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.FileTree;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct mode end to end, with the real services and agents on loop disks and no staging: clone-service's CA issues
 * the session's certificates through the node API, the source agent serves its disk (shrunk for the capture) over
 * mutual TLS on 127.0.0.1 and says where it listens, which arms the targets; both target agents pull and restore at
 * once, each following its own plan (about 60 % and 150 % of the source), and the source grows its filesystems back
 * once both are done. Needs root.
 */
class DirectCloneE2EIT {

    private static final long MIB = 1L << 20;
    private static final long SOURCE_BYTES = 1024 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("e2e-direct");
    private static final Path work = stack.work();

    @Test
    void oneSourceServesTwoTargetsOfDifferentSizesOverMutualTls() throws Exception {
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), SOURCE_BYTES, 64 * MIB, "/usr/share/doc");
             LoopDisk small = LoopDisk.create(work.resolve("small.img"), SOURCE_BYTES * 6 / 10);
             LoopDisk large = LoopDisk.create(work.resolve("large.img"), SOURCE_BYTES * 3 / 2)) {
            String sourceRoot = FileTree.ext4(source.partition(2));
            String sourceEsp = FileTree.fat(source.partition(1));
            long sourceExt4Bytes = ext4Bytes(source.partition(2));
            String sourceNode = stack.registerAndInventory("d-source", source, work);
            String smallNode = stack.registerAndInventory("d-small", small, work);
            String largeNode = stack.registerAndInventory("d-large", large, work);
            String sessionId = stack.defineSession(Map.of("name", "direct " + CloneStack.suffix(),
                    "clone_mode", "direct", "source_node_id", sourceNode, "source_disk_id", source.stableId(),
                    "resize_mode", "shrink_source",
                    "targets", List.of(Map.of("node_id", smallNode, "disk_id", small.stableId()),
                            Map.of("node_id", largeNode, "disk_id", large.stableId()))));
            JsonPath analysis = CloneStack.untilStatus(200, () -> stack.plannerApi()
                    .post("/api/v1/clone-sessions/{id}/analyze", sessionId)).jsonPath();
            assertThat(analysis.getList("plans.feasible", Boolean.class)).containsExactly(true, true);

            // The plans reach clone-service through Kafka: start is refused (422) until every target has its plan.
            CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
            stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(60));
            assertThat(stack.session(sessionId).getString("staging_status")).as("no staging in direct mode").isNull();
            assertThat(stack.bootScript(sourceNode)).contains("pureboot.mode=clone-source-direct");

            Agent sourceAgent = stack.boot("d-source", sourceNode, work, agentOptions("source",
                    "--direct-address", "127.0.0.1", "--direct-port", "0"));
            stack.awaitTargetsArmed(sessionId);
            assertThat(stack.bootScript(smallNode)).contains("pureboot.mode=clone-target-direct");
            Agent smallAgent = stack.boot("d-small", smallNode, work, agentOptions("small"));
            Agent largeAgent = stack.boot("d-large", largeNode, work, agentOptions("large"));
            smallAgent.awaitSuccess(AGENT_TIMEOUT);
            largeAgent.awaitSuccess(AGENT_TIMEOUT);
            sourceAgent.awaitSuccess(AGENT_TIMEOUT);
            assertThat(sourceAgent.output()).contains("to 2 of 2 targets");

            stack.awaitState(sessionId, "completed", Duration.ofSeconds(60));
            assertThat(stack.session(sessionId).getList("targets.state", String.class)).containsOnly("completed");
            for (LoopDisk target : List.of(small, large)) {
                Host.run("e2fsck", "-fn", target.partition(2));
                Host.run("fsck.fat", "-n", target.partition(1));
                assertThat(FileTree.ext4(target.partition(2))).as("root of %s", target.stableId()).isEqualTo(sourceRoot);
                assertThat(FileTree.fat(target.partition(1))).as("ESP of %s", target.stableId()).isEqualTo(sourceEsp);
                assertThat(Host.run("blkid", "-o", "value", "-s", "TYPE", target.partition(3)).strip()).isEqualTo("swap");
            }
            // The source ends as it began: shrunk to serve, grown back once both targets were done.
            Host.run("e2fsck", "-fn", source.partition(2));
            assertThat(FileTree.ext4(source.partition(2))).isEqualTo(sourceRoot);
            assertThat(ext4Bytes(source.partition(2))).as("source ext4 size after growing back").isEqualTo(sourceExt4Bytes);
        }
    }

    /** The size the ext4 on {@code partition} spans, from its superblock. */
    private static long ext4Bytes(String partition) {
        String header = Host.run("dumpe2fs", "-h", partition);
        long blocks = Long.parseLong(header.replaceAll("(?s).*\nBlock count:\\s+(\\d+).*", "$1"));
        long blockSize = Long.parseLong(header.replaceAll("(?s).*\nBlock size:\\s+(\\d+).*", "$1"));
        return blocks * blockSize;
    }

    private static List<String> agentOptions(String node, String... more) {
        List<String> options = new ArrayList<>(List.of("--state-dir", work.resolve(node + "-state").toString(),
                "--workers", "2"));
        options.addAll(List.of(more));
        return options;
    }
}
