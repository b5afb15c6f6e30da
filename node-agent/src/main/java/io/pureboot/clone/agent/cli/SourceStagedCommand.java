package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.clone.SourceCapture;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.report.ProgressReporter;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.SourceComplete;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Captures this node's disk into the session's staging directory. */
@Command(name = AgentMode.Names.CLONE_SOURCE_STAGED, mixinStandardHelpOptions = true,
        description = "Capture the source disk into staging (NFS export or iSCSI LUN), shrinking filesystems first "
                + "when the session's resize mode is shrink_source.")
public final class SourceStagedCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (NodeRun run = new NodeRun(options)) {
            return run.reportingFailures(() -> {
                Instructions instructions = run.instructions(NodeRole.SOURCE);
                BlockDevice disk = run.devices().byStableId(instructions.diskId());
                Path directory = run.stagingDirectory(NodeRole.SOURCE);
                CaptureEngine.Options engine = new CaptureEngine.Options(ChunkCodec.zstdJni(options.zstdLevel()),
                        options.workers(), CaptureEngine.DEFAULT_READERS, CaptureEngine.DEFAULT_MERGE_GAP,
                        options.stopAfterChunks);
                SourceCapture.Options captureOptions = new SourceCapture.Options(
                        instructions.resizeMode() == ResizeMode.SHRINK_SOURCE, ChunkLayout.DEFAULT_CHUNK_SIZE, engine,
                        instructions.repairSource());
                SourceCapture.Result result;
                try (ProgressReporter reporter = ProgressReporter.every(Duration.ofSeconds(2),
                        run.client()::progressOnce)) {
                    result = new SourceCapture(run.devices(), run.filesystems(), run.cleanup()).capture(disk,
                            directory, captureOptions, reporter.phases(disk.sizeBytes()), reporter);
                }
                run.client().sourceComplete(new SourceComplete(result.manifest().imageBytes(),
                        result.manifestSha256(), result.repairs()));
                for (SourceRepair repair : result.repairs()) {
                    spec.commandLine().getOut().println("repaired the source as the session asked (repair_source): "
                            + SourceCapture.describe(repair));
                }
                spec.commandLine().getOut().println("captured " + disk.path() + " (" + disk.stableId() + ") into "
                        + directory + ": " + result.manifest().imageBytes() + " bytes, manifest sha256 "
                        + result.manifestSha256());
                return 0;
            });
        }
    }
}
