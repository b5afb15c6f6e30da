package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.clone.TargetRestore;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.RestoreLayout;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Writes the planned partition table onto the target disk without restoring data. */
@Command(name = AgentMode.Names.PARTITION, mixinStandardHelpOptions = true,
        description = "Write the target's planned partition table (GPT with its backup at the real end, or MBR) for "
                + "the staged image, without writing any data.")
public final class PartitionCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (NodeRun run = new NodeRun(options)) {
            return run.reportingFailures(() -> {
                Instructions instructions = run.instructions(NodeRole.TARGET);
                BlockDevice disk = run.devices().byStableId(instructions.diskId());
                Path directory = run.stagingDirectory(NodeRole.TARGET);
                List<RestoreLayout.Target> partitions = new TargetRestore(run.devices(), run.filesystems(),
                        run.runner()).partitionOnly(disk, directory, instructions.plan());
                run.client().complete();
                spec.commandLine().getOut().println("partitioned " + disk.path() + ": " + partitions);
                return 0;
            });
        }
    }
}
