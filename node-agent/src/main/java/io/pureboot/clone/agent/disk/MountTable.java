package io.pureboot.clone.agent.disk;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Refuses to touch a disk any of whose partitions is mounted (or used as swap): shrinking or overwriting a live
 * filesystem would destroy it. Reads /proc/self/mounts and /proc/swaps.
 */
public final class MountTable {

    private final Path mounts;
    private final Path swaps;

    public MountTable(Path mounts, Path swaps) {
        this.mounts = mounts;
        this.swaps = swaps;
    }

    public static MountTable system() {
        return new MountTable(Path.of("/proc/self/mounts"), Path.of("/proc/swaps"));
    }

    /** Fails naming the first partition of {@code disk} (or the disk itself) that is in use. */
    public void requireUnused(BlockDevice disk, List<PartitionDevice> partitions) {
        for (String line : lines(mounts)) {
            String[] fields = line.split(" ");
            if (fields.length >= 2 && belongs(fields[0], disk, partitions)) {
                throw new AgentException(FailureKind.DISK, disk.path() + " is in use: " + fields[0] + " is mounted on "
                        + fields[1].replace("\\040", " "));
            }
        }
        for (String line : lines(swaps)) {
            String device = line.split("\\s+")[0];
            if (belongs(device, disk, partitions)) {
                throw new AgentException(FailureKind.DISK, disk.path() + " is in use: " + device + " is active swap");
            }
        }
    }

    private static boolean belongs(String source, BlockDevice disk, List<PartitionDevice> partitions) {
        if (!source.startsWith("/")) {
            return false;
        }
        Path real = realPath(Path.of(source));
        if (real.equals(disk.path())) {
            return true;
        }
        return partitions.stream().anyMatch(partition -> partition.path().equals(real));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    private static List<String> lines(Path file) {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
