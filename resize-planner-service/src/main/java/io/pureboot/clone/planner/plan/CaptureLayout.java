package io.pureboot.clone.planner.plan;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The source disk as the image holds it: one per session, the layout every target plan starts from.
 * With {@code shrink_source} each shrinkable filesystem is captured at its minimum plus a margin,
 * and that captured size is the least any target may give it.
 *
 * @param sourceDiskId stable id of the source disk
 * @param sourceDiskBytes size of the source disk
 * @param logicalSectorSize the source's logical sector size
 * @param tableType the source's partition table
 * @param resizeMode the session's resize mode
 * @param alignmentBytes the alignment of moved starts and shrunk sizes
 * @param margins the margins shrunk filesystems keep
 * @param partitions the partitions in disk order
 */
public record CaptureLayout(
        String sourceDiskId,
        long sourceDiskBytes,
        int logicalSectorSize,
        PartitionTableType tableType,
        ResizeMode resizeMode,
        long alignmentBytes,
        Margins margins,
        List<PartitionLimits> partitions) {

    static final String FIRST_PARTITION_REASON = "the first partition keeps its start: boot code may live in "
            + "the gap before it (GRUB's core image on MBR disks) and legacy NTFS boot sectors record it";
    static final String BIOS_BOOT_REASON = "BIOS boot partition: GRUB's boot code in the MBR points at its sectors";
    private static final String MODE_NONE_REASON = "resize mode none copies partitions as they are";

    public CaptureLayout {
        requireNonNull(sourceDiskId, "sourceDiskId is null");
        requireNonNull(tableType, "tableType is null");
        requireNonNull(resizeMode, "resizeMode is null");
        requireNonNull(margins, "margins is null");
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    /**
     * The capture layout of a source disk.
     *
     * @throws IllegalArgumentException when the inventory is inconsistent (overlaps, partial sectors,
     *     partitions past the disk), naming the partition and the value
     */
    public static CaptureLayout of(DiskInventory source, ResizeMode resizeMode, Margins margins, long alignmentBytes) {
        if (alignmentBytes <= 0 || alignmentBytes % source.logicalSectorSize() != 0) {
            throw new IllegalArgumentException("alignment " + alignmentBytes + " is not a multiple of the "
                    + source.logicalSectorSize() + "-byte sector");
        }
        // Disk order; an extended partition sorts before the first logical partition that starts with it.
        List<PartitionInventory> ordered = source.partitions().stream()
                .sorted(Comparator.comparingLong(PartitionInventory::startBytes)
                        .thenComparing(PartitionInventory::logical))
                .toList();
        checkConsistent(source, ordered);
        List<PartitionLimits> limits = new ArrayList<>();
        for (PartitionInventory partition : ordered) {
            String pinned = limits.isEmpty() ? FIRST_PARTITION_REASON : null;
            limits.add(limits(partition, pinned, resizeMode, margins, alignmentBytes));
        }
        return new CaptureLayout(source.stableId(), source.sizeBytes(), source.logicalSectorSize(), source.tableType(),
                resizeMode, alignmentBytes, margins, limits);
    }

    /** True when the source has MBR logical partitions (planned like primaries, inside their extended partition). */
    public boolean hasLogicalPartitions() {
        return partitions.stream().anyMatch(PartitionLimits::logical);
    }

    /** The number of the extended partition holding the logical ones, or null. */
    public Integer extendedPartitionNumber() {
        return partitions.stream().filter(p -> p.kind() == PartitionKind.EXTENDED).map(PartitionLimits::number)
                .findFirst().orElse(null);
    }

    /** The partition with this number, or null. */
    public PartitionLimits partition(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst().orElse(null);
    }

    public List<Integer> numbers() {
        return partitions.stream().map(PartitionLimits::number).sorted().toList();
    }

    public DiskGeometry sourceGeometry() {
        return DiskGeometry.of(tableType, sourceDiskBytes, logicalSectorSize);
    }

    private static void checkConsistent(DiskInventory source, List<PartitionInventory> ordered) {
        if (source.tableType() == PartitionTableType.NONE && !ordered.isEmpty()) {
            throw new IllegalArgumentException("disk " + source.stableId() + " has no partition table but lists "
                    + ordered.size() + " partitions");
        }
        int sector = source.logicalSectorSize();
        Set<Integer> numbers = new HashSet<>();
        for (PartitionInventory partition : ordered) {
            String name = "partition " + partition.number() + " of disk " + source.stableId();
            if (!numbers.add(partition.number())) {
                throw new IllegalArgumentException(name + " is listed twice");
            }
            if (partition.startBytes() % sector != 0 || partition.sizeBytes() % sector != 0) {
                throw new IllegalArgumentException(name + " is not made of whole " + sector + "-byte sectors: start "
                        + partition.startBytes() + ", size " + partition.sizeBytes());
            }
            if (partition.endBytes() > source.sizeBytes()) {
                throw new IllegalArgumentException(name + " ends at " + partition.endBytes()
                        + ", past the end of the disk at " + source.sizeBytes());
            }
        }
        List<PartitionInventory> primaries = ordered.stream().filter(p -> !p.logical()).toList();
        List<PartitionInventory> logicals = ordered.stream().filter(PartitionInventory::logical).toList();
        checkNoOverlap(source, primaries);
        checkNoOverlap(source, logicals);
        for (PartitionInventory logical : logicals) {
            boolean contained = primaries.stream().anyMatch(p -> PartitionKind.of(p.typeId(), p.filesystem())
                    == PartitionKind.EXTENDED && p.startBytes() <= logical.startBytes()
                    && logical.endBytes() <= p.endBytes());
            if (!contained) {
                throw new IllegalArgumentException("logical partition " + logical.number() + " of disk "
                        + source.stableId() + " lies outside every extended partition");
            }
        }
    }

    private static void checkNoOverlap(DiskInventory source, List<PartitionInventory> ordered) {
        for (int i = 1; i < ordered.size(); i++) {
            PartitionInventory previous = ordered.get(i - 1);
            PartitionInventory partition = ordered.get(i);
            if (partition.startBytes() < previous.endBytes()) {
                throw new IllegalArgumentException("partition " + partition.number() + " of disk " + source.stableId()
                        + " overlaps partition " + previous.number() + " by "
                        + (previous.endBytes() - partition.startBytes()) + " bytes");
            }
        }
    }

    private static PartitionLimits limits(PartitionInventory partition, String pinned, ResizeMode mode,
            Margins margins, long alignment) {
        PartitionKind kind = PartitionKind.of(partition.typeId(), partition.filesystem());
        return switch (kind) {
            case BIOS_BOOT -> fixed(partition, kind, BIOS_BOOT_REASON, BIOS_BOOT_REASON);
            case MICROSOFT_RESERVED -> fixed(partition, kind,
                    "Microsoft reserved partition: Windows expects it as it was created", pinned);
            case EXTENDED -> fixed(partition, kind, "extended partition: the container of the logical partitions, "
                    + "placed around them (its start and size follow from theirs)", pinned);
            case ENCRYPTED -> fixed(partition, kind, "encrypted ("
                    + (partition.filesystem() == null ? "by its partition type" : partition.filesystem())
                    + "): the agent cannot see inside, so it is copied raw, not resized", pinned);
            case UNKNOWN -> fixed(partition, kind, "unknown filesystem: copied raw, never resized", pinned);
            case OTHER_FILESYSTEM -> fixed(partition, kind, isLvmMember(partition)
                    ? "LVM physical volume (" + partition.filesystem() + "): copied raw, not resized (the node agent "
                            + "does not resize LVM volumes)"
                    : partition.filesystem() + " is copied as it is: the node agent resizes only ext2/3/4, NTFS, "
                            + "btrfs, XFS (grow only) and swap", pinned);
            case SWAP -> mode == ResizeMode.NONE
                    ? fixed(partition, kind, MODE_NONE_REASON, pinned)
                    // Swap holds nothing worth keeping: the agent recreates it at the planned size.
                    : limits(partition, kind, partition.sizeBytes(), Math.min(partition.sizeBytes(), alignment), true,
                            "swap is recreated at any size, down to " + Bytes.describe(alignment), null, pinned);
            case EXT, NTFS, BTRFS, XFS -> partition.needsCheck() != null
                    ? fixed(partition, kind, needsCheckReason(partition, kind, mode), pinned)
                    : filesystemLimits(partition, kind, mode, margins, alignment, pinned);
        };
    }

    private static boolean isLvmMember(PartitionInventory partition) {
        return "lvm2_member".equalsIgnoreCase(partition.filesystem());
    }

    /**
     * A filesystem the agent found unclean has no minimum anyone can trust (resize2fs -P refuses an ext journal that
     * needs recovery): it is planned at its full size, never resized, and the reason says what to do, which depends on
     * what the source agent does with it under shrink_source: it repairs ext and NTFS only when asked, replays a btrfs
     * log (by mounting it) only when asked, and never shrinks XFS (so leaves it as it is; the target replays its log).
     */
    static String needsCheckReason(PartitionInventory partition, PartitionKind kind, ResizeMode mode) {
        String reason = partition.filesystem() + " needs a filesystem check before it can be sized ("
                + partition.needsCheck() + "): its minimum size is unknown, so it is copied at its full size and "
                + "not resized";
        if (mode != ResizeMode.SHRINK_SOURCE) {
            return reason;
        }
        String byHand = "checked and repaired by hand and the node reports its disks again";
        return switch (kind) {
            case EXT, NTFS -> reason + "; shrink_source stops on it before changing the source unless the session "
                    + "asks for repair_source (or it is " + byHand + ")";
            case BTRFS -> reason + "; shrink_source stops on it before changing the source unless the session asks "
                    + "for repair_source, which replays a btrfs log by mounting it once (other btrfs damage the agent "
                    + "does not repair: it must be " + byHand + ")";
            case XFS -> reason + "; shrink_source leaves it as it is (XFS is never shrunk) and the target replays its "
                    + "log";
            case BIOS_BOOT, MICROSOFT_RESERVED, EXTENDED, ENCRYPTED, UNKNOWN, SWAP, OTHER_FILESYSTEM -> reason;
        };
    }

    private static PartitionLimits filesystemLimits(PartitionInventory partition, PartitionKind kind, ResizeMode mode,
            Margins margins, long alignment, String pinned) {
        String filesystem = partition.filesystem();
        long size = partition.sizeBytes();
        boolean canGrow = partition.canGrow() && mode != ResizeMode.NONE;
        String growReason = canGrow ? null : mode == ResizeMode.NONE ? MODE_NONE_REASON
                : "the node agent reported that this " + filesystem + " filesystem cannot grow";
        boolean canShrink = kind != PartitionKind.XFS && partition.canShrink() && partition.minimumSizeBytes() != null;
        String madeOf = null;
        if (mode == ResizeMode.SHRINK_SOURCE && canShrink) {
            long minimum = partition.minimumSizeBytes();
            long margin = margins.marginFor(minimum);
            long shrunk = Bytes.alignUp(minimum + margin, alignment);
            madeOf = "filesystem minimum " + Bytes.describe(minimum) + " plus a margin of " + Bytes.describe(margin);
            if (shrunk < size) {
                return limits(partition, kind, shrunk, shrunk, canGrow, "its captured size: " + madeOf, growReason,
                        pinned);
            }
        }
        String shrinkReason = switch (mode) {
            case NONE -> MODE_NONE_REASON;
            case GROW_TARGET -> "resize mode grow_target captures filesystems whole: they may grow, never shrink";
            case SHRINK_SOURCE -> kind == PartitionKind.XFS ? "xfs filesystems cannot shrink"
                    : madeOf == null ? "the node agent reported that this " + filesystem + " filesystem cannot shrink"
                    : filesystem + " cannot shrink: its " + madeOf + " is not below its size";
        };
        String fixed = growReason == null || growReason.equals(shrinkReason) ? shrinkReason
                : shrinkReason + "; " + growReason;
        return limits(partition, kind, size, size, canGrow, shrinkReason, fixed, pinned);
    }

    private static PartitionLimits fixed(PartitionInventory partition, PartitionKind kind, String reason,
            String pinned) {
        return limits(partition, kind, partition.sizeBytes(), partition.sizeBytes(), false, reason, reason, pinned);
    }

    private static PartitionLimits limits(PartitionInventory partition, PartitionKind kind, long capture, long minimum,
            boolean canGrow, String minimumReason, String fixedReason, String pinned) {
        return new PartitionLimits(partition.number(), partition.typeId(), partition.filesystem(), kind,
                partition.logical(), partition.startBytes(), partition.sizeBytes(), capture, minimum,
                canGrow ? null : partition.sizeBytes(), minimumReason, fixedReason, pinned, partition.needsCheck());
    }
}
