package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.pureboot.clone.events.session.CloneMode;

/**
 * What the agent runs: each name is at once the agent's command (picocli), the boot script's
 * {@code pureboot.mode} and the {@code mode} of the instructions.
 */
public enum AgentMode {
    INVENTORY(Names.INVENTORY),
    CLONE_SOURCE_STAGED(Names.CLONE_SOURCE_STAGED),
    CLONE_TARGET_STAGED(Names.CLONE_TARGET_STAGED),
    CLONE_SOURCE_DIRECT(Names.CLONE_SOURCE_DIRECT),
    CLONE_TARGET_DIRECT(Names.CLONE_TARGET_DIRECT),
    /** A target that only writes the planned partition table (no data). */
    PARTITION(Names.PARTITION);

    /** The command names as compile-time constants, so the agent's {@code @Command(name = ...)} uses them. */
    public static final class Names {
        public static final String INVENTORY = "inventory";
        public static final String CLONE_SOURCE_STAGED = "clone-source-staged";
        public static final String CLONE_TARGET_STAGED = "clone-target-staged";
        public static final String CLONE_SOURCE_DIRECT = "clone-source-direct";
        public static final String CLONE_TARGET_DIRECT = "clone-target-direct";
        public static final String PARTITION = "partition";

        private Names() {
        }
    }

    private final String command;

    AgentMode(String command) {
        this.command = command;
    }

    /** The command name, e.g. {@code clone-source-staged}. */
    @JsonValue
    public String command() {
        return command;
    }

    /** The mode a session's node runs in: its role and the session's clone mode. */
    public static AgentMode forClone(NodeRole role, CloneMode mode) {
        return switch (role) {
            case SOURCE -> switch (mode) {
                case STAGED -> CLONE_SOURCE_STAGED;
                case DIRECT -> CLONE_SOURCE_DIRECT;
            };
            case TARGET -> switch (mode) {
                case STAGED -> CLONE_TARGET_STAGED;
                case DIRECT -> CLONE_TARGET_DIRECT;
            };
            case INVENTORY -> INVENTORY;
        };
    }

    @JsonCreator
    public static AgentMode ofCommand(String command) {
        for (AgentMode mode : values()) {
            if (mode.command.equals(command)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown agent mode '" + command + "'");
    }

    @Override
    public String toString() {
        return command;
    }
}
