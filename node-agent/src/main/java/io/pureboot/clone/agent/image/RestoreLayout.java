package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each chunk of an image goes on one target disk. Partition chunks go to the partition's new start plus their
 * offset inside it (cut at the new end); the area before the first partition (boot code, then overwritten by the new
 * table) keeps its offset; other gaps, and partitions the plan deletes, are not written.
 *
 * <p>Creating a layout checks that the plan can be carried out: every partition inside the disk's usable area,
 * sector-aligned and not overlapping, each filesystem (or, with no filesystem map, each whole partition) no larger
 * than its new partition, and no chunk that holds data beyond a partition's new end.
 */
public final class RestoreLayout {

    /** Where partition entries start in sector 0: the boot code before it is kept. */
    private static final long TABLE_START = 440;

    /** Swap keeps only its header; mkswap recreates the rest at any size. */
    private static final long SWAP_REQUIRED_BYTES = 64 * 1024;

    /**
     * A partition's place on the target.
     *
     * @param number the source partition number (the target keeps it)
     * @param startBytes new start
     * @param sizeBytes new size
     */
    public record Target(int number, long startBytes, long sizeBytes) {
        public Target {
            if (number < 1 || startBytes < 0 || sizeBytes <= 0) {
                throw new IllegalArgumentException("invalid target extent for partition " + number + ": " + startBytes
                        + "+" + sizeBytes);
            }
        }

        public long endBytes() {
            return startBytes + sizeBytes;
        }
    }

    /**
     * Write {@code length} bytes of the chunk (a prefix when cut) at {@code targetOffset}, with the bytes
     * {@code [blankFrom, blankTo)} of the chunk replaced by zeros (the source's partition table, see below).
     */
    public record Placement(long targetOffset, int length, int blankFrom, int blankTo) {
        public Placement(long targetOffset, int length) {
            this(targetOffset, length, 0, 0);
        }
    }

    private final Manifest manifest;
    private final Map<Integer, Target> targets = new HashMap<>();
    private final long leadingGapLimit;
    private final long tableEnd;

    private RestoreLayout(Manifest manifest, List<Target> targets, long leadingGapLimit) {
        this.manifest = manifest;
        for (Target target : targets) {
            this.targets.put(target.number(), target);
        }
        this.leadingGapLimit = leadingGapLimit;
        this.tableEnd = sourceTableEnd(manifest);
    }

    /**
     * The end of the source's own table at the start of the disk (MBR sector; protective MBR, GPT header and entries).
     * Those bytes are restored as zeros: the target's new table is written over them at the end, and until then (or if
     * the restore fails) the target carries no stale table describing the source's layout. The boot code before byte
     * 440 and the rest of the gap (GRUB's core image on MBR disks) are restored.
     */
    private static long sourceTableEnd(Manifest manifest) {
        ManifestTable table = manifest.table();
        return switch (table.type()) {
            case GPT -> {
                long entryBytes = (long) Math.max(128, table.gptEntryCount()) * 128;
                yield (2 + (entryBytes + table.sectorSize() - 1) / table.sectorSize()) * table.sectorSize();
            }
            case MBR -> 512;
            case NONE -> 0;
        };
    }

    /**
     * Checks and builds the layout.
     *
     * @param targets new extents of the partitions to restore (partitions missing here are dropped)
     * @param targetDiskSize the target disk's size
     * @param sectorSize the target's logical sector size
     * @param usableStart first byte partitions may use (after the primary GPT)
     * @param usableEnd end of the bytes partitions may use (before the backup GPT)
     */
    public static RestoreLayout create(Manifest manifest, List<Target> targets, long targetDiskSize, int sectorSize,
            long usableStart, long usableEnd) {
        requireNonNull(manifest, "manifest is null");
        List<Target> sorted = targets.stream().sorted(Comparator.comparingLong(Target::startBytes)).toList();
        for (int i = 0; i < sorted.size(); i++) {
            Target target = sorted.get(i);
            ManifestPartition source = findPartition(manifest, target.number());
            if (target.startBytes() % sectorSize != 0 || target.sizeBytes() % sectorSize != 0) {
                throw plan("partition " + target.number() + " (start " + target.startBytes() + ", size "
                        + target.sizeBytes() + ") is not aligned to the target's " + sectorSize + "-byte sectors");
            }
            if (target.startBytes() < usableStart || target.endBytes() > usableEnd) {
                throw plan("partition " + target.number() + " (bytes " + target.startBytes() + "-" + target.endBytes()
                        + ") lies outside the target's usable area " + usableStart + "-" + usableEnd + " of a "
                        + targetDiskSize + "-byte disk");
            }
            if (i > 0 && target.startBytes() < sorted.get(i - 1).endBytes()) {
                throw plan("partitions " + sorted.get(i - 1).number() + " and " + target.number() + " overlap");
            }
            long required = requiredBytes(source);
            if (target.sizeBytes() < required) {
                throw plan("partition " + target.number() + " needs at least " + required + " bytes for its "
                        + (source.filesystem() == null ? "raw content" : source.filesystem() + " filesystem")
                        + ", the plan gives " + target.sizeBytes());
            }
            for (int c = 0; c < source.chunkCount(); c++) {
                ManifestChunk chunk = manifest.chunks().get(source.firstChunk() + c);
                if (chunk.kind() == ChunkKind.DATA && chunk.relativeOffset() >= target.sizeBytes()) {
                    throw plan("partition " + target.number() + ": chunk " + chunk.index() + " holds data at "
                            + chunk.relativeOffset() + " bytes into the partition, beyond its new size "
                            + target.sizeBytes());
                }
            }
        }
        long firstSourceStart = manifest.partitions().stream().mapToLong(ManifestPartition::startBytes).min()
                .orElse(manifest.disk().sizeBytes());
        long firstTargetStart = sorted.isEmpty() ? targetDiskSize : sorted.get(0).startBytes();
        long limit = Math.min(Math.min(firstSourceStart, firstTargetStart), targetDiskSize);
        if (manifest.partitions().isEmpty()) {
            long lastData = manifest.chunks().stream().filter(c -> c.kind() != ChunkKind.UNUSED)
                    .mapToLong(ManifestChunk::end).max().orElse(0);
            if (lastData > targetDiskSize) {
                throw plan("the image holds data up to byte " + lastData + ", beyond the target's end at "
                        + targetDiskSize);
            }
        }
        return new RestoreLayout(manifest, sorted, limit);
    }

    /** The bytes a partition's new size must hold: its filesystem, or everything when it has no filesystem map. */
    static long requiredBytes(ManifestPartition partition) {
        if ("swap".equals(partition.filesystem())) {
            return SWAP_REQUIRED_BYTES;
        }
        return partition.filesystemBytes() != null ? partition.filesystemBytes() : partition.sizeBytes();
    }

    private static ManifestPartition findPartition(Manifest manifest, int number) {
        return manifest.partitions().stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> plan("the plan names partition " + number + ", which the image does not have"));
    }

    public List<Target> targets() {
        return targets.values().stream().sorted(Comparator.comparingLong(Target::startBytes)).toList();
    }

    public Target target(int number) {
        return targets.get(number);
    }

    /** Where to write {@code chunk}, or null when it is not written on this target. */
    public Placement placement(ManifestChunk chunk) {
        if (chunk.partition() == 0) {
            if (chunk.offset() >= leadingGapLimit) {
                return null;
            }
            int length = (int) Math.min(chunk.length(), leadingGapLimit - chunk.offset());
            long blankFrom = Math.max(TABLE_START, chunk.offset()) - chunk.offset();
            long blankTo = Math.min(tableEnd, chunk.offset() + length) - chunk.offset();
            if (blankTo <= blankFrom) {
                return new Placement(chunk.offset(), length);
            }
            return new Placement(chunk.offset(), length, (int) blankFrom, (int) blankTo);
        }
        Target target = targets.get(chunk.partition());
        if (target == null || chunk.relativeOffset() >= target.sizeBytes()) {
            return null;
        }
        long length = Math.min(chunk.length(), target.sizeBytes() - chunk.relativeOffset());
        return new Placement(target.startBytes() + chunk.relativeOffset(), (int) length);
    }

    public Manifest manifest() {
        return manifest;
    }

    private static AgentException plan(String reason) {
        return new AgentException(FailureKind.PLAN, "plan cannot be carried out: " + reason);
    }
}
