package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.system.e2e.Agent;
import io.pureboot.clone.system.e2e.Host;
import io.pureboot.clone.system.e2e.LoopDisk;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The swarm end to end (issue 17), with the real services and real agents on loop disks: a direct session with its
 * {@code swarm} option on (no agent flag, no kernel argument), one source and three target agents, plus a fourth
 * target that lies ({@link HostilePeer}: real session credentials, every chunk claimed and served as other bytes with
 * their own hash). Every real target must drop the liar at its first chunk, report it (the session's audit shows
 * it), and still finish; one target is killed (SIGKILL) mid-restore (a fifth of its bytes reported, a journal point
 * made) and, booted again, resumes from its journal; every target ends with partitions byte-identical to the
 * source's. Needs root.
 */
class SwarmCloneE2EIT {

    private static final long MIB = 1L << 20;
    private static final long DISK_BYTES = 512 * MIB;
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration MIDWAY_WAIT = Duration.ofMinutes(3);
    private static final Pattern BYTES_WRITTEN = Pattern.compile(": (\\d+) bytes written");

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("e2e-swarm");
    private static final Path work = stack.work();

    @Test
    void targetsServeEachOtherCatchALiarAndResumeAfterAKill() throws Exception {
        List<Agent> agents = new ArrayList<>();
        try (LoopDisk source = LoopDisk.source(work.resolve("source.img"), DISK_BYTES, 32 * MIB, "/usr/share/doc");
             LoopDisk first = LoopDisk.create(work.resolve("t1.img"), DISK_BYTES);
             LoopDisk second = LoopDisk.create(work.resolve("t2.img"), DISK_BYTES);
             LoopDisk victim = LoopDisk.create(work.resolve("t3.img"), DISK_BYTES);
             LoopDisk liarDisk = LoopDisk.create(work.resolve("liar.img"), DISK_BYTES)) {
            try {
                swarmClone(source, List.of(first, second, victim), liarDisk, agents);
            } finally {
                // Before the disks are detached: no agent may hold one.
                for (Agent agent : agents) {
                    if (agent.alive()) {
                        agent.kill();
                    }
                }
            }
        }
    }

    private static void swarmClone(LoopDisk source, List<LoopDisk> targets, LoopDisk liarDisk, List<Agent> agents)
            throws Exception {
        // Incompressible data, so the restore lasts long enough (several journal points) to be killed mid-way.
        addRandomData(source, 96);
        String sourceNode = stack.registerAndInventory("w-source", source, work);
        List<String> targetNodes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            targetNodes.add(stack.registerAndInventory("w-t" + (i + 1), targets.get(i), work));
        }
        String liarNode = stack.registerAndInventory("w-liar", liarDisk, work);
        List<Map<String, Object>> definedTargets = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            definedTargets.add(Map.of("node_id", targetNodes.get(i), "disk_id", targets.get(i).stableId()));
        }
        definedTargets.add(Map.of("node_id", liarNode, "disk_id", liarDisk.stableId()));
        String sessionId = stack.defineSession(Map.of("name", "swarm " + CloneStack.suffix(),
                "clone_mode", "direct", "source_node_id", sourceNode, "source_disk_id", source.stableId(),
                "swarm", true, "targets", definedTargets));
        assertThat(stack.session(sessionId).getBoolean("swarm")).isTrue();
        CloneStack.untilStatus(200, () -> stack.plannerApi().post("/api/v1/clone-sessions/{id}/analyze",
                sessionId));
        CloneStack.untilStatus(200, () -> stack.admin().post("/api/v1/clone-sessions/{id}/start", sessionId));
        stack.awaitState(sessionId, "source_armed", Duration.ofSeconds(60));

        Agent sourceAgent = start(agents, "w-source", sourceNode, "source", "--direct-address", "127.0.0.1",
                "--direct-port", "0");
        stack.awaitTargetsArmed(sessionId);
        long started = System.nanoTime();
        try (HostilePeer liar = HostilePeer.start(stack, liarNode, work)) {
            // No --swarm: the session's option alone makes the targets serve each other (each on a free port).
            Agent firstAgent = start(agents, "w-t1", targetNodes.get(0), "t1", "--swarm-port", "0");
            Agent secondAgent = start(agents, "w-t2", targetNodes.get(1), "t2", "--swarm-port", "0");
            Agent victimAgent = start(agents, "w-t3", targetNodes.get(2), "t3", "--swarm-port", "0");

            int killedAt = awaitMidway(sessionId, targetNodes.get(2), work.resolve("t3-state"), victimAgent);
            // The others may already have finished (the victim starts last): they keep serving while the session
            // runs, so the resumed target can still fetch from them.
            victimAgent.kill();
            Agent victimAgain = start(agents, "w-t3-again", targetNodes.get(2), "t3", "--swarm-port", "0");

            await().atMost(AGENT_TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonPath session = stack.session(sessionId);
                for (String node : targetNodes) {
                    assertThat(session.getString("targets.find { it.node_id == '" + node + "' }.state"))
                            .as("target %s", node).isEqualTo("completed");
                }
            });
            assertThat(liar.chunksServed()).as("chunks the liar served").isGreaterThanOrEqualTo(3);
            // The real targets keep serving while the session runs: the liar's part must end for it to end.
            liar.fail("the hostile peer of the swarm test stops");
            firstAgent.awaitSuccess(AGENT_TIMEOUT);
            secondAgent.awaitSuccess(AGENT_TIMEOUT);
            victimAgain.awaitSuccess(AGENT_TIMEOUT);
            sourceAgent.awaitSuccess(AGENT_TIMEOUT);
            System.out.printf("swarm e2e: 3 targets restored in %.1f s (killed one after journal point %d)%n",
                    (System.nanoTime() - started) / 1e9, killedAt);

            // Resumed, not restarted: the second run wrote less than a whole restore did.
            long whole = bytesWritten(firstAgent);
            assertThat(bytesWritten(victimAgain)).as("bytes the resumed target wrote").isPositive()
                    .isLessThan(whole);
        }
        stack.awaitState(sessionId, "completed", Duration.ofSeconds(60));

        // Each real target dropped the liar for a chunk whose SHA-256 was not the source's, and said so.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> drops = stack.admin().get("/api/v1/audit?session={id}", sessionId).then()
                    .statusCode(200).extract().jsonPath().getList("findAll { it.type == '"
                            + EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED.name() + "' }.data");
            for (String node : targetNodes) {
                assertThat(drops).as("drops reported by %s", node).anySatisfy(drop -> {
                    assertThat(drop).containsEntry("target_node_id", node).containsEntry("peer_node_id", liarNode);
                    assertThat(drop.get("chunk")).isNotNull();
                    assertThat((String) drop.get("reason")).contains("with SHA-256");
                });
            }
        });

        // (c) every target's partitions are the source's, byte for byte.
        for (int partition = 1; partition <= 3; partition++) {
            String expected = sha256(source.partition(partition));
            for (LoopDisk target : targets) {
                assertThat(sha256(target.partition(partition)))
                        .as("partition %d of %s", partition, target.stableId()).isEqualTo(expected);
            }
        }
    }

    private static Agent start(List<Agent> agents, String name, String nodeId, String state, String... more)
            throws IOException {
        List<String> options = new ArrayList<>(List.of("--state-dir", work.resolve(state + "-state").toString()));
        options.addAll(List.of(more));
        Agent agent = stack.boot(name, nodeId, work, options);
        agents.add(agent);
        return agent;
    }

    /**
     * Waits until the target is mid-way (it reported at least a fifth of its bytes) and has journaled (made durable) a
     * point past its first chunk, so that a resume has something to skip; answers that point.
     */
    private static int awaitMidway(String sessionId, String nodeId, Path stateDirectory, Agent agent)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + MIDWAY_WAIT.toNanos();
        String target = "targets.find { it.node_id == '" + nodeId + "' }";
        while (System.nanoTime() < deadline) {
            if (!agent.alive()) {
                throw new AssertionError("the target ended before it was killed; log:\n" + agent.output());
            }
            OptionalInt next = journalNext(stateDirectory);
            JsonPath session = stack.session(sessionId);
            long done = session.getLong(target + ".bytes_done");
            long total = session.getLong(target + ".bytes_total");
            if (next.isPresent() && next.getAsInt() > 0 && total > 0 && done * 5 >= total && done < total) {
                return next.getAsInt();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the target was not mid-way with a journal point within " + MIDWAY_WAIT + "; log:\n"
                + agent.output());
    }

    private static OptionalInt journalNext(Path stateDirectory) throws IOException {
        if (!Files.isDirectory(stateDirectory)) {
            return OptionalInt.empty();
        }
        try (Stream<Path> files = Files.list(stateDirectory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".journal")).toList()) {
                return Files.readAllLines(file).stream().filter(line -> line.startsWith("next "))
                        .mapToInt(line -> Integer.parseInt(line.substring(5).strip())).max();
            }
        }
        return OptionalInt.empty();
    }

    private static long bytesWritten(Agent agent) {
        Matcher matcher = BYTES_WRITTEN.matcher(agent.output());
        assertThat(matcher.find()).as("bytes written in\n%s", agent.output()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static void addRandomData(LoopDisk disk, int mebibytes) throws IOException {
        Path mount = Files.createTempDirectory("pureboot-e2e-swarm");
        Host.run("mount", disk.partition(2), mount.toString());
        try {
            Host.sh("head -c " + mebibytes * MIB + " /dev/urandom > " + mount + "/data/more-random.bin");
        } finally {
            Host.run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static String sha256(String device) {
        return Host.run("sha256sum", device).split("\\s+")[0];
    }
}
