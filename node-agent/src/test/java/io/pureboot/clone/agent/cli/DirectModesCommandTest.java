package io.pureboot.clone.agent.cli;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.NodeApiAnswers;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestCertificates;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeRole;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The direct modes end to end through the command line: source and target agents at once, the node API on a fake
 * server handing out certificates of a test CA, real loop disks, mutual TLS on 127.0.0.1.
 */
class DirectModesCommandTest {

    private static final UUID SESSION = UUID.fromString("9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    private static final UUID TARGET_NODE = UUID.fromString("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    /**
     * With the session's swarm option on, the same target runs the swarm without any flag or kernel argument: it
     * starts its chunk server and posts it before restoring, and stops serving once the session no longer needs it.
     */
    @ParameterizedTest(name = "session swarm {0}")
    @ValueSource(booleans = {false, true})
    void sourceServesATargetThroughTheNodeApi(boolean sessionSwarm) throws Exception {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-cli-direct");
        Disk source = TestDisks.blank(resources, directory, "source.img", 200 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:+150MiB", "-t1:8300", "-n2:0:+16MiB", "-t2:8200");
        Sys.run("mkfs.ext4", "-q", "-F", "-L", "data", source.partition(1).toString());
        Path mounted = resources.mount(source.partition(1));
        FileHashes.copySample(mounted, 20 * MIB, "/usr/share/doc");
        resources.unmount(mounted);
        Sys.run("mkswap", "-L", "swp", source.partition(2).toString());
        Map<String, String> hashes = TestDisks.mountedHashes(resources, source.partition(1), "-o", "ro");
        Disk target = TestDisks.blank(resources, directory, "target.img", 300 * MIB);
        TestCertificates ca = TestCertificates.newCa(resources.tempDirectory("pureboot-ca"), "cli-ca");

        try (FakeNodeApi api = new FakeNodeApi()) {
            api.answer("src", NodeApiCall.INSTRUCTIONS, NodeApiAnswers.instructions(SESSION,
                    AgentMode.CLONE_SOURCE_DIRECT, "loop:" + source.file(), null));
            api.respond("src", NodeApiCall.DIRECT_CERTIFICATE, NodeApiAnswers.certificate(ca,
                    new PeerIdentity(SESSION.toString(), "source", "src"), "127.0.0.1"));
            api.answer("src", NodeApiCall.DIRECT, NodeApiAnswers.direct(SESSION, NodeRole.SOURCE, null, 0,
                    List.of(TARGET_NODE)));
            api.answer("/api/v1/node/direct/listening", 204, "");
            api.answer("/api/v1/node/complete", 204, "");
            api.answer("t1", NodeApiCall.INSTRUCTIONS, NodeApiAnswers.withSwarm(NodeApiAnswers.instructions(SESSION,
                    AgentMode.CLONE_TARGET_DIRECT, "loop:" + target.file(), null), sessionSwarm));
            api.respond("t1", NodeApiCall.DIRECT_CERTIFICATE, NodeApiAnswers.certificate(ca,
                    new PeerIdentity(SESSION.toString(), "target", TARGET_NODE.toString()), null));

            // Its own thread: the agent runs commands through the common pool, which a blocked source would starve.
            ExecutorService sourceThread = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "direct-source-agent");
                thread.setDaemon(true);
                return thread;
            });
            CompletableFuture<StagedModesCommandTest.Run> sourceRun = CompletableFuture.supplyAsync(() ->
                    StagedModesCommandTest.execute("clone-source-direct", "--server", api.uri().toString(), "--token",
                            "src", "--cmdline", "/nonexistent", "--direct-port", "0"), sourceThread);
            JsonNode listening = awaitListening(api, sourceRun);
            assertThat(listening.get("address").asText()).isEqualTo("127.0.0.1");
            int sourcePort = listening.get("port").asInt();
            api.answer("/api/v1/node/direct/swarm", 204, "");
            // As clone-service: the source is needed until the target completed.
            api.respond("t1", NodeApiCall.DIRECT, body -> new DirectInfo(SESSION, NodeRole.TARGET,
                    new DirectInfo.Endpoint("127.0.0.1", sourcePort), List.of(),
                    api.requests("t1", "/api/v1/node/complete").isEmpty(), List.of()));

            StagedModesCommandTest.Run targetRun = StagedModesCommandTest.execute("clone-target-direct", "--server",
                    api.uri().toString(), "--token", "t1", "--cmdline", "/nonexistent", "--state-dir",
                    directory.resolve("state").toString());

            assertThat(targetRun.exitCode()).as(targetRun.err()).isZero();
            StagedModesCommandTest.Run served = sourceRun.get(120, TimeUnit.SECONDS);
            sourceThread.shutdown();
            assertThat(served.exitCode()).as(served.err()).isZero();
            assertThat(served.out()).contains("to 1 of 1 targets");
            assertThat(api.requests("src", "/api/v1/node/direct/certificate")).singleElement()
                    .satisfies(request -> assertThat(request.body()).startsWith("{\"address\":\"127.0.0.1\",\"csr_pem\":"
                            + "\"-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE"));
            assertThat(api.requests("t1", "/api/v1/node/complete")).hasSize(1);
            assertThat(api.requests("t1", "/api/v1/node/direct/swarm")).as("the target's chunk server")
                    .hasSize(sessionSwarm ? 1 : 0);
            assertThat(api.requests("src", "/api/v1/node/complete")).hasSize(1);
            assertThat(api.requests("/api/v1/node/failed")).isEmpty();
            assertThat(api.requests("t1", "/api/v1/node/progress")).isNotEmpty()
                    .anySatisfy(request -> assertThat(request.body()).contains("\"phase\":\"downloading\""));
            assertThat(TestDisks.mountedHashes(resources, target.partition(1), "-o", "ro")).isEqualTo(hashes);
            assertThat(TestDisks.blkid(target.partition(2), "LABEL")).isEqualTo("swp");
        }
    }

    @Test
    void theSessionTurnsTheSwarmOnAndTheAgentsSettingOverridesIt() {
        assertThat(SwarmOptions.on(null, true)).isTrue();
        assertThat(SwarmOptions.on(null, false)).isFalse();
        assertThat(SwarmOptions.on("1", false)).isTrue();
        assertThat(SwarmOptions.on("true", false)).isTrue();
        assertThat(SwarmOptions.on("0", true)).isFalse();
        assertThat(SwarmOptions.on(" false ", true)).isFalse();
        assertThatThrownBy(() -> SwarmOptions.on("maybe", true))
                .hasMessage("invalid swarm 'maybe': 1 or 0 (true or false)");
    }

    @Test
    void aSourceAddressThatIsNotAnIpIsAConfigurationError() {
        StagedModesCommandTest.Run run = StagedModesCommandTest.execute("clone-source-direct", "--server",
                "http://127.0.0.1:9/", "--token", "t", "--cmdline", "/nonexistent", "--direct-address", "source.example");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("pureboot-agent: configuration: invalid direct_address 'source.example': an IP "
                + "address literal is required\n");
    }

    private static JsonNode awaitListening(FakeNodeApi api, CompletableFuture<StagedModesCommandTest.Run> source)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (api.requests("/api/v1/node/direct/listening").isEmpty()) {
            if (source.isDone()) {
                throw new AssertionError("the source ended before listening: " + source.join().err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the source did not listen within 120 s");
            }
            Thread.sleep(100);
        }
        return EventCodec.mapper().readTree(api.requests("/api/v1/node/direct/listening").get(0).body());
    }
}
