package io.pureboot.clone.agent.disk;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds disks and their partitions through sysfs and /dev. Both roots are parameters so that tests can describe a
 * machine with a directory tree.
 */
public final class BlockDevices {

    private static final long SYSFS_SECTOR = 512;

    private final Path sysBlock;
    private final Path dev;

    public BlockDevices(Path sysBlock, Path dev) {
        this.sysBlock = requireNonNull(sysBlock, "sysBlock is null");
        this.dev = requireNonNull(dev, "dev is null");
    }

    public static BlockDevices system() {
        return new BlockDevices(Path.of("/sys/block"), Path.of("/dev"));
    }

    /** Every whole disk worth cloning: no ram, zram, empty loop or read-only optical devices. */
    public List<BlockDevice> disks() {
        List<BlockDevice> disks = new ArrayList<>();
        try (Stream<Path> entries = Files.list(sysBlock)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith("ram") || name.startsWith("zram") || name.startsWith("sr")
                        || name.startsWith("fd") || name.startsWith("dm-") || name.startsWith("md")) {
                    continue;
                }
                BlockDevice disk = describe(name);
                if (disk.sizeBytes() > 0) {
                    disks.add(disk);
                }
            }
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot list " + sysBlock + ": " + e.getMessage(), e);
        }
        return disks;
    }

    /** The disk a stable id names; fails naming the id when none or more than one matches. */
    public BlockDevice byStableId(String id) {
        requireNonNull(id, "id is null");
        List<BlockDevice> matches = disks().stream().filter(disk -> disk.matches(id)).toList();
        if (matches.isEmpty()) {
            throw new AgentException(FailureKind.DISK, "no disk has the stable id '" + id + "'");
        }
        if (matches.size() > 1) {
            throw new AgentException(FailureKind.DISK, "the stable id '" + id + "' matches several disks: "
                    + matches.stream().map(BlockDevice::name).toList());
        }
        return matches.get(0);
    }

    /** Describes one disk by its kernel name. */
    public BlockDevice describe(String name) {
        Path base = sysBlock.resolve(name);
        if (!Files.isDirectory(base)) {
            throw new AgentException(FailureKind.DISK, "no block device " + name + " in " + sysBlock);
        }
        long size = readLong(base.resolve("size")).orElse(0L) * SYSFS_SECTOR;
        int logical = (int) (long) readLong(base.resolve("queue/logical_block_size")).orElse(512L);
        int physical = (int) (long) readLong(base.resolve("queue/physical_block_size")).orElse((long) logical);
        String serial = firstText(base.resolve("serial"), base.resolve("device/serial")).orElse(null);
        String wwn = firstText(base.resolve("wwid"), base.resolve("device/wwid")).orElse(null);
        String model = readText(base.resolve("device/model")).orElse(null);
        String backing = readText(base.resolve("loop/backing_file")).orElse(null);
        return new BlockDevice(name, dev.resolve(name), size, logical, physical, serial, wwn, model, byIdNames(name),
                backing);
    }

    /** The partitions the kernel currently knows for {@code disk}, by number. */
    public List<PartitionDevice> partitions(BlockDevice disk) {
        Path base = sysBlock.resolve(disk.name());
        List<PartitionDevice> partitions = new ArrayList<>();
        try (Stream<Path> entries = Files.list(base)) {
            for (Path entry : entries.toList()) {
                Optional<Long> number = readLong(entry.resolve("partition"));
                if (number.isEmpty()) {
                    continue;
                }
                long start = readLong(entry.resolve("start")).orElse(0L) * SYSFS_SECTOR;
                long size = readLong(entry.resolve("size")).orElse(0L) * SYSFS_SECTOR;
                partitions.add(new PartitionDevice((int) (long) number.get(), dev.resolve(entry.getFileName().toString()),
                        start, size));
            }
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot list partitions of " + disk.name() + ": " + e.getMessage(),
                    e);
        }
        partitions.sort(Comparator.comparingInt(PartitionDevice::number));
        return partitions;
    }

    /** The device node of partition {@code number} of {@code disk}; fails when the kernel does not know it. */
    public PartitionDevice partition(BlockDevice disk, int number) {
        return partitions(disk).stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> new AgentException(FailureKind.DISK, disk.path() + ": the kernel has no partition "
                        + number + " (is the table re-read?)"));
    }

    private List<String> byIdNames(String name) {
        Path byId = dev.resolve("disk/by-id");
        if (!Files.isDirectory(byId)) {
            return List.of();
        }
        try (Stream<Path> links = Files.list(byId)) {
            return links.filter(Files::isSymbolicLink)
                    .filter(link -> pointsAt(link, name))
                    .map(link -> link.getFileName().toString())
                    .sorted(Comparator.comparing((String id) -> id.startsWith("wwn-") ? 0 : 1)
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean pointsAt(Path link, String name) {
        try {
            return Files.readSymbolicLink(link).getFileName().toString().equals(name);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> firstText(Path... candidates) {
        return Stream.of(candidates).map(BlockDevices::readText).flatMap(Optional::stream).findFirst();
    }

    private static Optional<String> readText(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> readLong(Path file) {
        return readText(file).map(Long::parseLong);
    }
}
