package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A filesystem mounted on a fresh temporary directory for as long as a tool needs it (xfs_growfs and btrfs resize work
 * on mounted filesystems). Closing unmounts and removes the directory.
 */
public final class TemporaryMount implements AutoCloseable {

    private final CommandRunner runner;
    private final Path directory;
    private boolean mounted;

    private TemporaryMount(CommandRunner runner, Path directory) {
        this.runner = runner;
        this.directory = directory;
    }

    public static TemporaryMount mount(CommandRunner runner, Path device, String type, boolean readOnly) {
        Path directory;
        try {
            directory = Files.createTempDirectory("pureboot-mount");
        } catch (IOException e) {
            throw new AgentException(FailureKind.TOOL, "cannot create a mount point: " + e.getMessage(), e);
        }
        TemporaryMount mount = new TemporaryMount(runner, directory);
        try {
            List<String> command = new ArrayList<>(List.of("mount", "-t", type));
            if (readOnly) {
                command.addAll(List.of("-o", "ro"));
            }
            command.addAll(List.of(device.toString(), directory.toString()));
            runner.runChecked(FailureKind.FILESYSTEM, command);
            mount.mounted = true;
            return mount;
        } catch (RuntimeException e) {
            mount.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            if (mounted) {
                runner.runChecked(FailureKind.FILESYSTEM, List.of("umount", directory.toString()));
                mounted = false;
            }
        } finally {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                // a leftover empty directory under /tmp is harmless; the unmount above is what matters
            }
        }
    }
}
