package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.FileTree;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.KafkaConsole;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.pureboot.clone.system.e2e.ProgressStream;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7 end to end: a staged clone across the three services, the real broker, PostgreSQL and
 * nfs-ganesha, with the real node agent on loop-device disks. One GPT source (ESP + ext4 with real
 * files + swap) is captured with shrink_source into an NFS staging directory and restored onto two
 * targets, one of about 60 % and one of about 150 % of its size. The session has the swarm option: the targets serve
 * each other the chunks they restored (over mutual TLS with certificates of the session, each chunk checked against
 * the staged manifest's SHA-256) and take from staging only what the other does not have yet. Needs root.
 */
class StagedCloneE2EIT {

    private static final long MIB = 1L << 20;
    private static final long SOURCE_BYTES = 2048 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern SWARM_SERVED = Pattern.compile("stopped serving the swarm after (\\d+) chunks");

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("e2e");
    private static final Path work = stack.work();
    private static final Path exportDirectory = LocalStack.var().resolve("nfs/export");

    @Test
    void oneSourceToTwoTargetsOfDifferentSizesThroughNfsStaging() throws Exception {
        long started = System.nanoTime();
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), SOURCE_BYTES, 256 * MIB,
                "/usr/share/doc", "/usr/lib/python3.11");
             LoopDisk small = LoopDisk.create(work.resolve("small.img"), SOURCE_BYTES * 6 / 10);
             LoopDisk large = LoopDisk.create(work.resolve("large.img"), SOURCE_BYTES * 3 / 2)) {
            String sourceRoot = FileTree.ext4(source.partition(2));
            String sourceEsp = FileTree.fat(source.partition(1));
            String sourceSwap = Host.run("blkid", "-o", "value", "-s", "UUID", source.partition(3)).strip();
            assertThat(FileTree.fileCount(sourceRoot)).as("real files on the source").isGreaterThan(1000);

            String backendId = stack.registerBackend(Map.of("name", "e2e-nfs-" + CloneStack.suffix(),
                    "backend_type", "nfs", "nfs_server", "127.0.0.1", "nfs_export", "/pureboot"));

            // Every node boots into inventory mode and its agent reports its real disk.
            String sourceNode = stack.registerAndInventory("source", source, work);
            String smallNode = stack.registerAndInventory("small", small, work);
            String largeNode = stack.registerAndInventory("large", large, work);

            Map<String, Object> definition = Map.of("name", "e2e " + CloneStack.suffix(), "clone_mode", "staged",
                    "source_node_id", sourceNode, "source_disk_id", source.stableId(), "staging_backend_id", backendId,
                    "resize_mode", "shrink_source", "swarm", true,
                    "targets", List.of(Map.of("node_id", smallNode, "disk_id", small.stableId()),
                            Map.of("node_id", largeNode, "disk_id", large.stableId())));
            String sessionId = stack.defineSession(definition);

            // The plans come from the inventories the agents reported: the real disk sizes and partitions.
            JsonPath analysis = CloneStack.untilStatus(200, () -> stack.plannerApi()
                    .post("/api/v1/clone-sessions/{id}/analyze", sessionId)).jsonPath();
            assertThat(analysis.getLong("source_disk_bytes")).isEqualTo(source.bytes());
            assertThat(analysis.getList("capture.filesystem", String.class)).containsExactly("vfat", "ext4", "swap");
            assertPlanFrom(analysis, smallNode, small);
            assertPlanFrom(analysis, largeNode, large);

            Path stagingDirectory = exportDirectory.resolve("pureboot-staging").resolve(sessionId);
            try (ProgressStream progress = ProgressStream.open(URI.create(stack.cloneUri()
                    + "/api/v1/clone-sessions/" + sessionId + "/progress"), CloneStack.ADMIN_KEY,
                    work.resolve("progress.sse"))) {
                // The plans reach clone-service through Kafka: start is refused (422) until every target has its plan.
            CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
                stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(90));
                assertThat(stagingDirectory).as("staging directory created over NFS").isDirectory();

                // A slower zstd level than the default 3 makes the upload last several progress intervals.
                Agent sourceAgent = stack.boot("source", sourceNode, work, agentOptions("source", "--zstd-level", "12"));
                sourceAgent.awaitSuccess(AGENT_TIMEOUT);
                assertThat(stagingDirectory.resolve("manifest.json")).isRegularFile();
                assertThat(stagingDirectory.resolve("disk.img.zst")).isRegularFile();

                stack.awaitTargetsArmed(sessionId);
                // Both on this host: each target's swarm chunk server on a free port.
                Agent smallAgent = stack.boot("small", smallNode, work, agentOptions("small", "--swarm-port", "0"));
                // The large target also zeroes what the source's filesystems left free: a longer download.
                Agent largeAgent = stack.boot("large", largeNode, work, agentOptions("large", "--zero-unused",
                        "--swarm-port", "0"));
                smallAgent.awaitSuccess(AGENT_TIMEOUT);
                largeAgent.awaitSuccess(AGENT_TIMEOUT);
                long servedByPeers = swarmServed(smallAgent) + swarmServed(largeAgent);
                System.out.printf("staged swarm: the targets served each other %d chunks%n", servedByPeers);
                assertThat(servedByPeers).as("chunks the targets served each other instead of staging").isPositive();

                stack.awaitState(sessionId, "completed", Duration.ofSeconds(60));
                stack.awaitStagingDeleted(sessionId);
                assertThat(Files.exists(stagingDirectory)).as("staging directory removed over NFS").isFalse();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> progress.updates()
                        .stream().anyMatch(update -> "done".equals(update.path("phase").asText())));
                assertProgressShown(progress.updates(), smallNode, largeNode);
            }

            // The targets pass fsck and hold every file of the source byte for byte.
            for (LoopDisk target : List.of(small, large)) {
                Host.run("e2fsck", "-fn", target.partition(2));
                Host.run("fsck.fat", "-n", target.partition(1));
                assertThat(FileTree.ext4(target.partition(2))).as("root of %s", target.stableId()).isEqualTo(sourceRoot);
                assertThat(FileTree.fat(target.partition(1))).as("ESP of %s", target.stableId()).isEqualTo(sourceEsp);
                assertThat(Host.run("blkid", "-o", "value", "-s", "TYPE", target.partition(3)).strip()).isEqualTo("swap");
                assertThat(Host.run("blkid", "-o", "value", "-s", "UUID", target.partition(3)).strip()).isEqualTo(sourceSwap);
                assertTableFollowsPlan(sessionId, target, target == small ? smallNode : largeNode);
            }
            // The source ends as it began.
            Host.run("e2fsck", "-fn", source.partition(2));
            assertThat(FileTree.ext4(source.partition(2))).isEqualTo(sourceRoot);

            assertAuditTimeline(sessionId, List.of(sourceNode, smallNode, largeNode));
            assertEventsOnKafka(sessionId, List.of(sourceNode, smallNode, largeNode));
        } finally {
            System.out.printf("staged clone end to end took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    private static void assertPlanFrom(JsonPath analysis, String nodeId, LoopDisk target) {
        String plan = "plans.find { it.target_node_id == '" + nodeId + "' }";
        assertThat(analysis.getBoolean(plan + ".feasible")).as("plan for %s feasible", target.stableId()).isTrue();
        assertThat(analysis.getLong(plan + ".target_disk_bytes")).isEqualTo(target.bytes());
        assertThat(analysis.getLong(plan + ".source_disk_bytes")).isEqualTo(SOURCE_BYTES);
        assertThat(analysis.getInt(plan + ".partitions.size()")).isEqualTo(3);
    }

    /** The target's partition table, read back with sfdisk, is the one its plan laid out. */
    private static void assertTableFollowsPlan(String sessionId, LoopDisk target, String nodeId) {
        JsonPath plan = stack.plannerApi().get("/api/v1/clone-sessions/{id}/plan?target={node}", sessionId, nodeId)
                .then().statusCode(200).extract().jsonPath();
        JsonPath table = JsonPath.from(Host.run("sfdisk", "-J", target.device()));
        List<Long> planned = new ArrayList<>();
        for (Map<String, Object> partition : plan.<Map<String, Object>>getList("partitions")) {
            planned.add(((Number) partition.get("new_start_bytes")).longValue() / 512);
            planned.add(((Number) partition.get("new_size_bytes")).longValue() / 512);
        }
        List<Long> actual = new ArrayList<>();
        for (Map<String, Object> partition : table.<Map<String, Object>>getList("partitiontable.partitions")) {
            actual.add(((Number) partition.get("start")).longValue());
            actual.add(((Number) partition.get("size")).longValue());
        }
        assertThat(actual).as("table of %s", target.stableId()).isEqualTo(planned);
        assertThat(table.getLong("partitiontable.lastlba")).isEqualTo(target.bytes() / 512 - 34);
    }

    /**
     * The console saw every phase in order, with byte counts that rose: the source's upload and the large
     * target's download last several progress intervals; the small target's download may end within one,
     * and is then seen once, finished (the agent reports a phase as it ends).
     */
    private static void assertProgressShown(List<JsonNode> updates, String smallNode, String largeNode) {
        List<String> phases = new ArrayList<>();
        for (JsonNode update : updates) {
            String phase = update.path("phase").asText();
            if (phases.isEmpty() || !phases.getLast().equals(phase)) {
                phases.add(phase);
            }
        }
        assertThat(phases).as("phases on the SSE stream").containsSubsequence(
                "provisioning", "uploading", "ready", "downloading", "cleanup", "done");
        assertThat(rising(updates, update -> "uploading".equals(update.path("source").path("phase").asText())
                ? update.path("source").path("bytes_done").asLong() : 0, "source uploading")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(rising(updates, update -> targetDownloaded(update, largeNode), "large target")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(rising(updates, update -> targetDownloaded(update, smallNode), "small target")).isNotEmpty();
    }

    private static long targetDownloaded(JsonNode update, String nodeId) {
        for (JsonNode target : update.path("targets")) {
            if (nodeId.equals(target.path("node_id").asText()) && "downloading".equals(target.path("phase").asText())) {
                return target.path("bytes_done").asLong();
            }
        }
        return 0;
    }

    /** The distinct non-zero byte counts in the order seen, which must never go down. */
    private static List<Long> rising(List<JsonNode> updates, java.util.function.ToLongFunction<JsonNode> bytes, String who) {
        List<Long> seen = updates.stream().map(bytes::applyAsLong).filter(value -> value > 0).distinct().toList();
        assertThat(seen).as("%s bytes_done on the stream", who).isSorted();
        return seen;
    }

    private static void assertAuditTimeline(String sessionId, List<String> nodes) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath audit = stack.admin().get("/api/v1/audit?session={id}", sessionId).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(audit.getList("type", String.class)).contains(
                    "io.pureboot.clone-session.defined", "io.pureboot.clone-session.staging-requested",
                    "io.pureboot.resize.plan-published", "io.pureboot.storage.staging-status-changed",
                    "io.pureboot.clone-session.source-completed", "io.pureboot.clone-session.completed");
            assertThat(audit.getList("findAll { it.type == 'io.pureboot.storage.staging-status-changed' }.data.status",
                    String.class)).containsSubsequence("pending", "provisioning", "provisioned", "uploading", "ready",
                    "downloading", "cleanup", "deleted");
            assertThat(audit.getList("findAll { it.type == 'io.pureboot.resize.plan-published' }.data.target_node_id",
                    String.class)).containsExactlyInAnyOrderElementsOf(nodes.subList(1, 3));
        });
    }

    private static void assertEventsOnKafka(String sessionId, List<String> nodes) {
        Path state = LocalStack.var();
        List<String> sessions = types(KafkaConsole.read(state, LocalStack.KAFKA_BOOTSTRAP, Topics.CLONE_SESSIONS), sessionId);
        assertThat(sessions).containsSubsequence("io.pureboot.clone-session.defined",
                "io.pureboot.clone-session.staging-requested", "io.pureboot.clone-session.source-completed",
                "io.pureboot.clone-session.completed");
        List<String> storageEvents = KafkaConsole.read(state, LocalStack.KAFKA_BOOTSTRAP, Topics.STORAGE).stream()
                .filter(line -> line.startsWith(sessionId + "\t"))
                .map(line -> json(line.substring(line.indexOf('\t') + 1)).path("data").path("status").asText()).toList();
        assertThat(storageEvents).as("staging statuses on %s", Topics.STORAGE).containsSubsequence(
                "pending", "provisioning", "provisioned", "uploading", "ready", "downloading", "cleanup", "deleted");
        assertThat(types(KafkaConsole.read(state, LocalStack.KAFKA_BOOTSTRAP, Topics.RESIZE_PLANS), sessionId))
                .containsExactly("io.pureboot.resize.plan-published", "io.pureboot.resize.plan-published");
        List<String> inventories = KafkaConsole.read(state, LocalStack.KAFKA_BOOTSTRAP, Topics.NODE_INVENTORY);
        for (String node : nodes) {
            assertThat(types(inventories, node)).as("inventory of %s", node).contains("io.pureboot.node.inventory-reported");
        }
    }

    private static List<String> types(List<String> records, String key) {
        return records.stream().filter(line -> line.startsWith(key + "\t"))
                .map(line -> json(line.substring(line.indexOf('\t') + 1)).path("type").asText())
                .toList();
    }

    private static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    /** The chunks a swarm target served its peer, as its log says when it stops serving. */
    private static long swarmServed(Agent agent) {
        Matcher matcher = SWARM_SERVED.matcher(agent.output());
        assertThat(matcher.find()).as("the swarm's end in\n%s", agent.output()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static List<String> agentOptions(String node, String... more) {
        List<String> options = new ArrayList<>(List.of("--staging-dir", exportDirectory.toString(),
                "--state-dir", work.resolve(node + "-state").toString(), "--workers", "2"));
        options.addAll(List.of(more));
        return options;
    }
}
