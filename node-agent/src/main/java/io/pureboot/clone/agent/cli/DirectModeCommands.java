package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Direct mode (source streams to targets over mutually authenticated TLS) needs per-session certificates the node API
 * does not hand out yet; until it does, both modes say so and exit with {@link FailureKind#UNSUPPORTED}.
 */
public final class DirectModeCommands {

    private DirectModeCommands() {
    }

    /** The direct-mode source. */
    @Command(name = "clone-source-direct", mixinStandardHelpOptions = true,
            description = "Stream the source disk to the session's targets over mutual TLS (not available yet).")
    public static final class Source implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() {
            throw unsupported("clone-source-direct");
        }
    }

    /** The direct-mode target. */
    @Command(name = "clone-target-direct", mixinStandardHelpOptions = true,
            description = "Receive the source's stream over mutual TLS and restore it (not available yet).")
    public static final class Target implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Override
        public Integer call() {
            throw unsupported("clone-target-direct");
        }
    }

    private static AgentException unsupported(String mode) {
        return new AgentException(FailureKind.UNSUPPORTED, mode + " is not available in this agent build: the node API "
                + "has no session certificates yet; use the staged modes");
    }
}
