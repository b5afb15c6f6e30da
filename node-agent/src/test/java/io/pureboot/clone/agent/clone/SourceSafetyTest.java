package io.pureboot.clone.agent.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.DamagedFilesystems;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * shrink_source on a source whose ext4 block bitmap is damaged (a block of a file marked free, as e2fsck -n calls it):
 * the capture stops before changing anything, with e2fsck's findings, and the whole source disk is byte-for-byte as it
 * was; only with repair_source is it repaired (in phase repairing_source) and captured.
 */
class SourceSafetyTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void aDamagedSourceIsRefusedUnchangedAndRepairedOnlyWhenAsked() throws IOException {
        Sys.assumeRoot();
        Disk source = DamagedFilesystems.ext4WithDamagedBitmap(resources,
                resources.tempDirectory("pureboot-damaged"));
        String before = FileHashes.sha256(source.device());

        assertThatThrownBy(() -> capture(source, false, new ArrayList<>())).isInstanceOf(AgentException.class)
                .hasMessageStartingWith("the source has filesystem errors and was not changed (shrink_source repairs "
                        + "only when the session asks for repair_source): " + source.partition(1) + " (ext4): 'e2fsck "
                        + "-f -n " + source.partition(1) + "' exited with 4: ")
                .hasMessageContaining("Block bitmap differences")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
        assertThat(FileHashes.sha256(source.device())).isEqualTo(before);

        List<String> phases = new ArrayList<>();
        SourceCapture.Result repaired = capture(source, true, phases);

        assertThat(phases).containsSubsequence("repairing_source", "shrinking", "uploading", "growing_source");
        assertThat(repaired.manifest().partition(1).shrunk()).isTrue();
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", source.partition(1).toString()).exitCode()).isZero();
        // The tool's summary, for the source-complete report and so the audit: what it fixed and how it ended.
        assertThat(repaired.repairs()).singleElement().satisfies(repair -> {
            assertThat(repair.partition()).isEqualTo(1);
            assertThat(repair.tool()).isEqualTo("e2fsck -f -y " + source.partition(1));
            assertThat(repair.exitCode()).isEqualTo(1);
            assertThat(repair.summary()).contains("Block bitmap differences").contains("Fix? yes")
                    .doesNotContain("\n").hasSizeLessThanOrEqualTo(600);
        });
    }

    private SourceCapture.Result capture(Disk source, boolean repair, List<String> phases) throws IOException {
        CommandRunner runner = CommandRunner.system();
        Path staging = resources.tempDirectory("pureboot-damaged-staging");
        try (Cleanup cleanup = new Cleanup()) {
            return new SourceCapture(BlockDevices.system(), new Filesystems(runner), cleanup).capture(
                    source.blockDevice(), staging, new SourceCapture.Options(true, ChunkLayout.DEFAULT_CHUNK_SIZE,
                            CaptureEngine.Options.defaults(CloneFixture.CODEC), repair), phases::add,
                    ProgressListener.NONE);
        }
    }
}
