package io.pureboot.clone.agent.cli;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.testing.DamagedFilesystems;
import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.NodeApiAnswers;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeApiJson;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.SourceComplete;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The staged modes end to end through the command line: settings from a kernel command line file, the node API on a
 * fake server, staging pre-mounted, real loop disks.
 */
class StagedModesCommandTest {

    private static final UUID SESSION = UUID.fromString("5e0c2b7a-1f3d-4a6b-8c9d-0e1f2a3b4c5d");

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void sourceThenTargetThroughTheNodeApi() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-cli");
        Disk source = TestDisks.blank(resources, directory, "source.img", 200 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:+150MiB", "-t1:8300", "-n2:0:+16MiB", "-t2:8200");
        Sys.run("mkfs.ext4", "-q", "-F", "-L", "data", source.partition(1).toString());
        Path mounted = resources.mount(source.partition(1));
        FileHashes.copySample(mounted, 20 * MIB, "/usr/share/doc");
        resources.unmount(mounted);
        Sys.run("mkswap", "-L", "swp", source.partition(2).toString());
        Map<String, String> hashes = TestDisks.mountedHashes(resources, source.partition(1), "-o", "ro");
        Disk target = TestDisks.blank(resources, directory, "target.img", 200 * MIB);
        Path staging = resources.tempDirectory("pureboot-staging");
        Path cmdline = directory.resolve("cmdline");

        try (FakeNodeApi api = new FakeNodeApi()) {
            Files.writeString(cmdline, "BOOT_IMAGE=/vmlinuz quiet pureboot.server=" + api.uri()
                    + " pureboot.token=\"tok en\" pureboot.staging_dir=" + staging + " pureboot.state_dir="
                    + directory.resolve("state") + "\n");
            api.answer(NodeApiCall.STAGING, NodeApiAnswers.nfs("session-7", false));
            api.answer(NodeApiCall.INSTRUCTIONS, NodeApiAnswers.instructions(SESSION, AgentMode.CLONE_SOURCE_STAGED,
                    "loop:" + source.file(), null));

            Run sourceRun = execute("clone-source-staged", "--cmdline", cmdline.toString());

            assertThat(sourceRun.exitCode()).as(sourceRun.err()).isZero();
            Path image = staging.resolve("session-7");
            String manifestSha = FileHashes.sha256(image.resolve(Manifest.FILE_NAME));
            long imageBytes = Files.size(image.resolve(Manifest.IMAGE_FILE_NAME));
            assertThat(api.requests("/api/v1/node/source-complete")).singleElement().satisfies(request -> {
                assertThat(request.authorization()).isEqualTo("Bearer tok en");
                assertThat(request.body()).isEqualTo("{\"image_size_bytes\":" + imageBytes + ",\"manifest_sha256\":\""
                        + manifestSha + "\",\"repairs\":[]}");
            });
            assertThat(api.requests("/api/v1/node/progress")).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.body()).contains("\"phase\":\"uploading\""));

            api.answer(NodeApiCall.INSTRUCTIONS, NodeApiAnswers.instructions(SESSION, AgentMode.CLONE_TARGET_STAGED,
                    "loop:" + target.file(), null));
            Run targetRun = execute("clone-target-staged", "--cmdline", cmdline.toString());

            assertThat(targetRun.exitCode()).as(targetRun.err()).isZero();
            assertThat(api.requests("/api/v1/node/complete")).hasSize(1);
            assertThat(TestDisks.mountedHashes(resources, target.partition(1), "-o", "ro")).isEqualTo(hashes);
            assertThat(TestDisks.blkid(target.partition(2), "LABEL")).isEqualTo("swp");
            assertThat(api.requests("/api/v1/node/failed")).isEmpty();
        }
    }

    @Test
    void aSourceRepairedAsTheSessionAskedSaysSoInItsOutputAndItsReport() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-cli-repair");
        Disk source = DamagedFilesystems.ext4WithDamagedBitmap(resources, directory);
        Path staging = resources.tempDirectory("pureboot-staging");
        try (FakeNodeApi api = new FakeNodeApi()) {
            api.answer(NodeApiCall.STAGING, NodeApiAnswers.nfs("session-9", false));
            api.answer(NodeApiCall.INSTRUCTIONS, new Instructions(SESSION, AgentMode.CLONE_SOURCE_STAGED,
                    NodeRole.SOURCE, "loop:" + source.file(), ResizeMode.SHRINK_SOURCE, null, null, true, false));

            Run run = execute("clone-source-staged", "--server", api.uri().toString(), "--token", "t", "--cmdline",
                    "/nonexistent", "--staging-dir", staging.toString(), "--state-dir", directory.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            String tool = "e2fsck -f -y " + source.partition(1);
            assertThat(run.out()).contains("repaired the source as the session asked (repair_source): partition 1: '"
                    + tool + "' exited with 1: ").contains("Block bitmap differences");
            assertThat(api.requests("/api/v1/node/progress")).anySatisfy(request -> assertThat(request.body())
                    .contains("\"phase\":\"repairing_source\""));
            SourceComplete report = NodeApiJson.mapper().readValue(api.requests("/api/v1/node/source-complete")
                    .getFirst().body(), SourceComplete.class);
            assertThat(report.repairs()).singleElement().satisfies(repair -> {
                assertThat(repair.partition()).isEqualTo(1);
                assertThat(repair.tool()).isEqualTo(tool);
                assertThat(repair.exitCode()).isEqualTo(1);
                assertThat(repair.summary()).contains("Block bitmap differences");
            });
            assertThat(api.requests("/api/v1/node/failed")).isEmpty();
        }
    }

    @Test
    void aCorruptManifestFailsWithItsExitCodeAndIsReported() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-cli");
        Path staging = resources.tempDirectory("pureboot-staging");
        Path session = Files.createDirectories(staging.resolve("session-8"));
        Files.writeString(session.resolve(Manifest.FILE_NAME), "{}");
        Disk target = TestDisks.blank(resources, directory, "target.img", 64 * MIB);
        try (FakeNodeApi api = new FakeNodeApi()) {
            api.answer(NodeApiCall.STAGING, NodeApiAnswers.nfs("session-8", true));
            api.answer(NodeApiCall.INSTRUCTIONS, NodeApiAnswers.instructions(SESSION, AgentMode.CLONE_TARGET_STAGED,
                    "loop:" + target.file(), new ResizePlan(1, 1, ResizeMode.NONE, PartitionTableType.GPT, 1048576,
                            List.of(), false, "partition 2 needs 5 GB")));

            Run run = execute("clone-target-staged", "--server", api.uri().toString(), "--token", "t", "--cmdline",
                    "/nonexistent", "--staging-dir", staging.toString(), "--state-dir", directory.toString());

            assertThat(run.exitCode()).isEqualTo(8);
            assertThat(run.err()).startsWith("pureboot-agent: image_corrupt: ")
                    .contains("manifest.json: not a valid manifest").endsWith("\n");
            assertThat(run.err().strip()).doesNotContain("\n");
            assertThat(api.requests("/api/v1/node/failed")).singleElement()
                    .satisfies(request -> assertThat(request.body()).startsWith("{\"code\":\"image_corrupt\""));
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AgentCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
