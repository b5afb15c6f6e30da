package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.system.EventLedger.Written;
import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.FileTree;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: every service is safe with two replicas. Two instances each of storage-service, resize-planner-service
 * and clone-service, each service behind a balancer as behind a Kubernetes Service, run a staged clone through NFS
 * with the real agents on loop disks. One instance of each service gets SIGKILL in the middle of the upload and is
 * started again (as its Deployment would); the other instance of each gets SIGKILL in the middle of the download.
 * The clone completes, the targets hold the source's files, and the services' tables show no event lost (every
 * event written to an outbox was sent and reached the audit consumer, none parked) and none applied twice (each
 * decision about the session was written once). Needs root.
 */
class ReplicasKilledMidCloneE2EIT {

    private static final long MIB = 1L << 20;
    private static final long SOURCE_BYTES = 768 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(8);
    private static final int FIRST = 0;
    private static final int SECOND = 1;
    /** What each service decides once per staged session, by the type (and status or target) of its event. */
    private static final List<String> ONCE = List.of(
            "clone io.pureboot.clone-session.defined", "clone io.pureboot.clone-session.staging-requested",
            "clone io.pureboot.clone-session.source-completed", "clone io.pureboot.clone-session.completed",
            "storage io.pureboot.storage.staging-status-changed pending",
            "storage io.pureboot.storage.staging-status-changed provisioning",
            "storage io.pureboot.storage.staging-status-changed provisioned",
            "storage io.pureboot.storage.staging-status-changed uploading",
            "storage io.pureboot.storage.staging-status-changed ready",
            "storage io.pureboot.storage.staging-status-changed downloading",
            "storage io.pureboot.storage.staging-status-changed cleanup",
            "storage io.pureboot.storage.staging-status-changed deleted");

    @RegisterExtension
    static final CloneStack stack = CloneStack.replicated("e2e-replicas", 2);
    private static final Path work = stack.work();
    private static final Path exportDirectory = LocalStack.var().resolve("nfs/export");

    @Test
    void aStagedCloneCompletesThroughReplicasKilledDuringUploadAndDownload() throws Exception {
        long started = System.nanoTime();
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), SOURCE_BYTES, 32 * MIB, "/usr/share/doc");
             LoopDisk same = LoopDisk.create(work.resolve("same.img"), SOURCE_BYTES);
             LoopDisk large = LoopDisk.create(work.resolve("large.img"), SOURCE_BYTES * 2)) {
            String sourceRoot = FileTree.ext4(source.partition(2));
            String sourceEsp = FileTree.fat(source.partition(1));
            String backendId = stack.registerBackend(Map.of("name", "e2e-replicas-" + CloneStack.suffix(),
                    "backend_type", "nfs", "nfs_server", "127.0.0.1", "nfs_export", "/pureboot"));
            String sourceNode = stack.registerAndInventory("r-source", source, work);
            String sameNode = stack.registerAndInventory("r-same", same, work);
            String largeNode = stack.registerAndInventory("r-large", large, work);
            String sessionId = stack.defineSession(Map.of("name", "replicas " + CloneStack.suffix(),
                    "clone_mode", "staged", "source_node_id", sourceNode, "source_disk_id", source.stableId(),
                    "staging_backend_id", backendId, "resize_mode", "grow_target",
                    "targets", List.of(Map.of("node_id", sameNode, "disk_id", same.stableId()),
                            Map.of("node_id", largeNode, "disk_id", large.stableId()))));
            // The planner analyses by itself once it has the session and the inventories; the plans reach
            // clone-service through Kafka, and start is refused (422) until every target has its plan.
            CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
            stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(90));

            // One worker at a slow zstd level: the upload lasts long enough to be interrupted in its middle.
            Agent sourceAgent = stack.boot("r-source", sourceNode, work,
                    agentOptions("source", "--workers", "1", "--zstd-level", "15"));
            awaitProgress(sessionId, session -> "uploading".equals(session.getString("source.phase"))
                    && session.getLong("source.bytes_done") > 0, sourceAgent);
            stack.killReplicaOfEach(FIRST);
            assertThat(sourceAgent.alive()).as("the upload still runs when the replicas die; log:\n%s",
                    sourceAgent.output()).isTrue();
            long killedDuringUpload = System.nanoTime();
            stack.restartReplicaOfEach(FIRST);
            System.out.printf("first replicas killed mid-upload and ready again in %d s%n",
                    Duration.ofNanos(System.nanoTime() - killedDuringUpload).toSeconds());
            sourceAgent.awaitSuccess(AGENT_TIMEOUT);
            stack.awaitTargetsArmed(sessionId);

            Agent sameAgent = stack.boot("r-same", sameNode, work,
                    agentOptions("same", "--workers", "1", "--zero-unused"));
            Agent largeAgent = stack.boot("r-large", largeNode, work,
                    agentOptions("large", "--workers", "1", "--zero-unused"));
            awaitProgress(sessionId, session -> !session.getList(
                    "targets.findAll { it.phase == 'downloading' && it.bytes_done > 0 }").isEmpty(), largeAgent);
            stack.killReplicaOfEach(SECOND);
            assertThat(sameAgent.alive() || largeAgent.alive())
                    .as("a download still runs when the replicas die; logs:\n%s\n%s", sameAgent.output(), largeAgent.output())
                    .isTrue();
            sameAgent.awaitSuccess(AGENT_TIMEOUT);
            largeAgent.awaitSuccess(AGENT_TIMEOUT);

            stack.awaitState(sessionId, "completed", Duration.ofSeconds(120));
            assertThat(stack.session(sessionId).getList("targets.state", String.class)).containsOnly("completed");
            stack.awaitStagingDeleted(sessionId);
            assertThat(Files.exists(exportDirectory.resolve("pureboot-staging").resolve(sessionId)))
                    .as("staging directory removed over NFS").isFalse();

            for (LoopDisk target : List.of(same, large)) {
                Host.run("e2fsck", "-fn", target.partition(2));
                Host.run("fsck.fat", "-n", target.partition(1));
                assertThat(FileTree.ext4(target.partition(2))).as("root of %s", target.stableId()).isEqualTo(sourceRoot);
                assertThat(FileTree.fat(target.partition(1))).as("ESP of %s", target.stableId()).isEqualTo(sourceEsp);
            }
            Host.run("e2fsck", "-fn", source.partition(2));
            assertThat(FileTree.ext4(source.partition(2))).as("the source ends as it began").isEqualTo(sourceRoot);

            assertNoEventLostOrAppliedTwice(UUID.fromString(sessionId), List.of(sameNode, largeNode));
        } finally {
            System.out.printf("staged clone through killed replicas took %d s%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    /** Polls the session (through the balancer) until {@code reached}, failing if the agent ended first. */
    private static void awaitProgress(String sessionId, Predicate<JsonPath> reached, Agent agent) {
        await().atMost(AGENT_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(agent.alive()).as("agent still running; log:\n%s", agent.output()).isTrue();
            return reached.test(stack.session(sessionId));
        });
    }

    private static void assertNoEventLostOrAppliedTwice(UUID sessionId, List<String> targetNodes) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Written> written = EventLedger.outboxes(sessionId);
            assertThat(written).as("outbox rows not yet sent").allMatch(Written::sent);
            assertThat(EventLedger.audited(sessionId)).as("events received by the audit consumer")
                    .containsAll(written.stream().map(Written::id).toList());
        });
        List<Written> written = EventLedger.outboxes(sessionId);
        written.forEach(row -> System.out.printf("outbox %s %s %s %s%n", row.schema(), row.type(), row.detail(), row.id()));
        Map<String, Long> decisions = written.stream().collect(Collectors.groupingBy(
                row -> (row.schema() + " " + row.type() + " " + row.detail()).strip(), Collectors.counting()));
        List<String> expected = new ArrayList<>(ONCE);
        for (String node : targetNodes) {
            expected.add("planner io.pureboot.resize.plan-published " + node);
        }
        for (String decision : expected) {
            assertThat(decisions.get(decision)).as("times written: %s (all: %s)", decision, decisions).isEqualTo(1L);
        }
        assertThat(EventLedger.deadLetters(sessionId)).as("events parked by a consumer").isEmpty();
    }

    private static List<String> agentOptions(String node, String... more) {
        List<String> options = new ArrayList<>(List.of("--staging-dir", exportDirectory.toString(),
                "--state-dir", work.resolve(node + "-state").toString()));
        options.addAll(List.of(more));
        return options;
    }
}
