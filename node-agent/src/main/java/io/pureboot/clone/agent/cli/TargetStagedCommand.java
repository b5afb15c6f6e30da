package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.clone.TargetRestore;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.report.ProgressReporter;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Restores the staged image onto this node's disk following its plan. */
@Command(name = AgentMode.Names.CLONE_TARGET_STAGED, mixinStandardHelpOptions = true,
        description = "Restore the staged image onto the target disk: new partition table from the plan, verified "
                + "chunks at their planned places, then filesystems grown and checked.")
public final class TargetStagedCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Mixin
    SwarmOptions swarmOptions;

    @Option(names = "--zero-unused", description = "Write zeros where the source's filesystems were free "
            + "(default: leave those blocks as they are).")
    boolean zeroUnused;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (NodeRun run = new NodeRun(options)) {
            return run.reportingFailures(() -> {
                Instructions instructions = run.instructions(NodeRole.TARGET);
                BlockDevice disk = run.devices().byStableId(instructions.diskId());
                int beforeStaging = run.cleanup().size();
                Path directory = run.stagingDirectory(NodeRole.TARGET);
                boolean swarming = swarmOptions.on(options, instructions);
                // In the swarm most chunks wait for a peer to have them: a wider window keeps the peers and the
                // staging server busy at once.
                RestoreEngine.Options engine = new RestoreEngine.Options(ChunkCodec.zstdJni(options.zstdLevel()),
                        swarming ? Math.max(SwarmOptions.WORKERS, options.workers()) : options.workers(),
                        zeroUnused ? RestoreEngine.UnusedPolicy.ZERO : RestoreEngine.UnusedPolicy.SKIP,
                        options.stopAfterChunks);
                TargetRestore.Result result;
                try (SwarmOptions.Swarm swarm = swarming ? swarmOptions.start(options, run,
                        instructions.sessionId().toString(), run.client().directCertificate(null), disk) : null) {
                    try (ProgressReporter reporter = ProgressReporter.every(Duration.ofSeconds(2),
                            run.client()::progressOnce)) {
                        // The staged manifest's SHA-256s are the ones every chunk from a peer is checked against.
                        result = new TargetRestore(run.devices(), run.filesystems(), run.runner()).restore(disk,
                                directory, instructions.plan(), new TargetRestore.Options(engine,
                                        options.stateDirectory()), reporter.phases(disk.sizeBytes()), reporter,
                                staged -> swarm == null ? staged : swarm.around(staged, ManifestChunk::sha256,
                                        engine.codec()));
                    }
                    run.client().complete();
                    if (swarm != null) {
                        // The others may still need what this target holds; the session says when they are done.
                        // It serves them from its own disk: the staging area (mount, iSCSI login) is let go first.
                        run.cleanup().releaseTo(beforeStaging);
                        swarm.linger();
                    }
                }
                spec.commandLine().getOut().println("restored " + directory + " onto " + disk.path() + " ("
                        + disk.stableId() + "): " + result.engine().bytesWritten() + " bytes written, "
                        + result.partitions().size() + " partitions" + resumed(result.engine()));
                return 0;
            });
        }
    }

    /** Says where a resumed restore took over, so an operator sees that the earlier run's work was kept. */
    private static String resumed(RestoreEngine.Result result) {
        return result.resumedFrom() == 0 ? "" : ", resumed at chunk " + result.resumedFrom();
    }
}
