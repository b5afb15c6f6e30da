package io.pureboot.clone.agent.disk;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A partition the kernel knows, with its device node.
 *
 * @param number the partition number
 * @param path the device node (/dev/sda1, /dev/loop3p1)
 * @param startBytes first byte on the disk
 * @param sizeBytes length in bytes
 */
public record PartitionDevice(int number, Path path, long startBytes, long sizeBytes) {

    public PartitionDevice {
        requireNonNull(path, "path is null");
    }
}
