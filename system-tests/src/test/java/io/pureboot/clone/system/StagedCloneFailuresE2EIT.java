package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.FileTree;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7's failure paths with the real agents, services, broker and NFS staging: a target agent killed in the middle
 * of its restore (SIGKILL, as a power cut) and booted again resumes from its journal and completes; a chunk corrupted
 * in staging afterwards fails the target that reads it, with the chunk named, while the target already restored and
 * the session as a whole are unaffected. Needs root.
 */
class StagedCloneFailuresE2EIT {

    private static final long MIB = 1L << 20;
    private static final long SOURCE_BYTES = 1024 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(5);
    /** The first run of the killed target is killed once its journal holds a durable point (every 64 chunks). */
    private static final int CHUNKS_BEFORE_KILL = 1;
    private static final int EXIT_IMAGE_CORRUPT = 8;

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("e2e-failures");
    private static final Path work = stack.work();
    private static final Path exportDirectory = LocalStack.var().resolve("nfs/export");

    @Test
    void aKilledTargetResumesAndACorruptedChunkFailsOnlyTheTargetThatReadsIt() throws Exception {
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), SOURCE_BYTES, 64 * MIB, "/usr/share/doc");
             LoopDisk resumer = LoopDisk.create(work.resolve("resumer.img"), SOURCE_BYTES * 3 / 2);
             LoopDisk victim = LoopDisk.create(work.resolve("victim.img"), SOURCE_BYTES * 3 / 2)) {
            String sourceRoot = FileTree.ext4(source.partition(2));
            String backendId = stack.registerBackend(Map.of("name", "e2e-failures-" + CloneStack.suffix(),
                    "backend_type", "nfs", "nfs_server", "127.0.0.1", "nfs_export", "/pureboot"));
            String sourceNode = stack.registerAndInventory("f-source", source, work);
            String resumerNode = stack.registerAndInventory("f-resumer", resumer, work);
            String victimNode = stack.registerAndInventory("f-victim", victim, work);
            String sessionId = stack.defineSession(Map.of("name", "failures " + CloneStack.suffix(),
                    "clone_mode", "staged", "source_node_id", sourceNode, "source_disk_id", source.stableId(),
                    "staging_backend_id", backendId, "resize_mode", "grow_target",
                    "targets", List.of(Map.of("node_id", resumerNode, "disk_id", resumer.stableId()),
                            Map.of("node_id", victimNode, "disk_id", victim.stableId()))));
            CloneStack.untilStatus(200, () -> stack.plannerApi().post("/api/v1/clone-sessions/{id}/analyze", sessionId));
            // The plans reach clone-service through Kafka: start is refused (422) until every target has its plan.
            CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
            stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(90));
            stack.boot("f-source", sourceNode, work, agentOptions("source")).awaitSuccess(AGENT_TIMEOUT);
            stack.awaitTargetsArmed(sessionId);
            Path image = exportDirectory.resolve("pureboot-staging").resolve(sessionId);

            // Power cut in the middle of the restore: the agent is killed once its journal holds a few chunks.
            Path resumerState = work.resolve("resumer-state");
            Agent first = stack.boot("f-resumer-1", resumerNode, work,
                    agentOptions("resumer", "--workers", "1", "--zero-unused"));
            await().atMost(AGENT_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() ->
                    !first.alive() || journaledChunks(resumerState) >= CHUNKS_BEFORE_KILL);
            assertThat(first.alive()).as("the first restore must still run when it is killed; log:\n%s", first.output())
                    .isTrue();
            first.kill();
            int durable = journaledChunks(resumerState);
            // A killed agent reports nothing: its part stays open (until the silence deadline) for the next boot.
            assertThat(target(sessionId, resumerNode).getString("state")).isIn("armed", "downloading");

            Agent second = stack.boot("f-resumer-2", resumerNode, work,
                    agentOptions("resumer", "--workers", "1", "--zero-unused"));
            second.awaitSuccess(AGENT_TIMEOUT);
            assertThat(second.output()).containsPattern("resumed at chunk (\\d+)");
            assertThat(resumedAt(second.output())).as("resumed where the journal ended").isEqualTo(durable);
            assertThat(target(sessionId, resumerNode).getString("state")).isEqualTo("completed");

            // A chunk of the root filesystem rots in staging; the next target to read it must fail, naming it.
            int corrupted = corruptLargestRootChunk(image);
            Agent third = stack.boot("f-victim", victimNode, work, agentOptions("victim"));
            assertThat(third.await(AGENT_TIMEOUT)).as("exit code; log:\n%s", third.output()).isEqualTo(EXIT_IMAGE_CORRUPT);
            assertThat(third.output()).contains("image_corrupt").contains("chunk " + corrupted + " ");

            stack.awaitState(sessionId, "completed", Duration.ofSeconds(60));
            JsonPath failed = target(sessionId, victimNode);
            assertThat(failed.getString("state")).isEqualTo("failed");
            assertThat(failed.getString("failure_reason")).contains("image_corrupt").contains("chunk " + corrupted + " ")
                    .contains("failed verification");
            assertThat(target(sessionId, resumerNode).getString("state")).isEqualTo("completed");
            stack.awaitStagingDeleted(sessionId);
            assertThat(Files.exists(image)).as("staging directory removed over NFS").isFalse();

            // The resumed target holds the source's files byte for byte.
            Host.run("e2fsck", "-fn", resumer.partition(2));
            Host.run("fsck.fat", "-n", resumer.partition(1));
            assertThat(FileTree.ext4(resumer.partition(2))).isEqualTo(sourceRoot);
        }
    }

    private static JsonPath target(String sessionId, String nodeId) {
        JsonPath session = stack.session(sessionId);
        return new JsonPath(session.prettify()).setRootPath("targets.find { it.node_id == '" + nodeId + "' }");
    }

    /** The chunks a restore journal in {@code stateDirectory} records as durable (0 while there is none). */
    private static int journaledChunks(Path stateDirectory) throws IOException {
        if (!Files.isDirectory(stateDirectory)) {
            return 0;
        }
        int next = 0;
        try (Stream<Path> files = Files.list(stateDirectory)) {
            for (Path journal : files.filter(file -> file.getFileName().toString().endsWith(".journal")).toList()) {
                for (String line : Files.readAllLines(journal)) {
                    if (line.matches("next \\d+")) {
                        next = Math.max(next, Integer.parseInt(line.substring(5)));
                    }
                }
            }
        }
        return next;
    }

    private static int resumedAt(String output) {
        return Integer.parseInt(output.replaceAll("(?s).*resumed at chunk (\\d+).*", "$1"));
    }

    /** Flips one byte in the middle of the largest frame of the root partition; answers that chunk's index. */
    private static int corruptLargestRootChunk(Path imageDirectory) throws IOException {
        JsonNode manifest = EventCodec.mapper().readTree(imageDirectory.resolve("manifest.json").toFile());
        JsonNode largest = null;
        for (JsonNode chunk : manifest.path("chunks")) {
            if (chunk.path("partition").asInt() == 2 && "data".equals(chunk.path("kind").asText())
                    && (largest == null || chunk.path("compressed_size").asLong() > largest.path("compressed_size").asLong())) {
                largest = chunk;
            }
        }
        assertThat(largest).as("a data chunk of the root partition").isNotNull();
        long position = largest.path("compressed_offset").asLong() + largest.path("compressed_size").asLong() / 2;
        try (FileChannel frames = FileChannel.open(imageDirectory.resolve("disk.img.zst"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            frames.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5a));
            one.rewind();
            frames.write(one, position);
            frames.force(false);
        }
        return largest.path("index").asInt();
    }

    private static List<String> agentOptions(String node, String... more) {
        List<String> options = new ArrayList<>(List.of("--staging-dir", exportDirectory.toString(),
                "--state-dir", work.resolve(node + "-state").toString()));
        if (!List.of(more).contains("--workers")) {
            options.addAll(List.of("--workers", "2"));
        }
        options.addAll(List.of(more));
        return options;
    }
}
