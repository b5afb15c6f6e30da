package io.pureboot.clone.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The node agent's entry point: one subcommand per mode. Exit codes are documented in docs/node-agent.md: 0 success,
 * 2 usage, and one code per {@link io.pureboot.clone.agent.FailureKind}.
 */
@Command(name = "pureboot-agent", mixinStandardHelpOptions = true, version = "pureboot-agent 0.1.0",
        description = "PureBoot Clone node agent: inventory, capture, restore, resize, staging access, progress.",
        subcommands = {
            InventoryCommand.class,
            SourceStagedCommand.class,
            TargetStagedCommand.class,
            DirectModeCommands.Source.class,
            DirectModeCommands.Target.class,
            PartitionCommand.class
        })
public final class AgentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a mode is required");
    }

    /** A command line with the agent's failure handling, for main and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentCommand()).setExecutionExceptionHandler(new FailureHandler());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
