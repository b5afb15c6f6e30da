package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.fs.ExtentMap;
import io.pureboot.clone.agent.fs.FilesystemFacts;
import io.pureboot.clone.agent.fs.FilesystemType;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.table.PartitionTable;
import io.pureboot.clone.agent.table.TablePartition;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** Describes the node's disks for the resize planner: geometry, table, and per-partition filesystem facts. */
public final class Inventory {

    private static final Logger LOG = Logger.getLogger(Inventory.class.getName());

    private final BlockDevices devices;
    private final Filesystems filesystems;

    public Inventory(BlockDevices devices, Filesystems filesystems) {
        this.devices = requireNonNull(devices, "devices is null");
        this.filesystems = requireNonNull(filesystems, "filesystems is null");
    }

    public List<DiskInventory> all() {
        return devices.disks().stream().map(this::describe).toList();
    }

    public DiskInventory describe(BlockDevice disk) {
        PartitionTable table = DiskSession.readTable(disk);
        List<PartitionInventory> partitions = new ArrayList<>();
        for (TablePartition partition : table.partitions()) {
            partitions.add(describe(disk, partition));
        }
        return new DiskInventory(disk.stableId(), disk.path().toString(), disk.serial(), disk.wwn(), disk.model(),
                disk.sizeBytes(), disk.logicalSectorSize(), disk.physicalSectorSize(), table.type(), partitions);
    }

    private PartitionInventory describe(BlockDevice disk, TablePartition partition) {
        FilesystemFacts facts = FilesystemFacts.unknown();
        Long used = null;
        Long minimum = null;
        if (!DiskSession.isExtendedContainer(partition)) {
            try {
                PartitionDevice device = DiskSession.kernelPartition(devices, disk, partition);
                facts = filesystems.probe(device.path());
                Optional<ExtentMap> map = filesystems.usedMap(facts, device.path());
                used = map.map(ExtentMap::usedBytes).orElse(null);
                if (facts.needsCheck() == null && facts.type().canShrink()) {
                    Sizing sizing = minimumOrNeedsCheck(facts, device);
                    minimum = sizing.minimum();
                    facts = sizing.needsCheck() == null ? facts : facts.withNeedsCheck(sizing.needsCheck());
                }
                if (facts.type() == FilesystemType.OTHER && facts.blkidType() != null) {
                    LOG.info(disk.path() + " partition " + partition.number() + ": " + facts.blkidType()
                            + " is copied raw, not resized");
                }
            } catch (AgentException e) {
                // One unreadable partition must not hide the others from the planner; it is reported as unknown.
                LOG.warning(disk.path() + " partition " + partition.number() + ": " + e.getMessage());
            }
        }
        if (facts.needsCheck() != null) {
            LOG.warning(disk.path() + " partition " + partition.number() + " needs a filesystem check: "
                    + facts.needsCheck());
        }
        boolean shrinkable = facts.type().canShrink() && minimum != null;
        boolean growable = facts.type().canGrow() && facts.needsCheck() == null;
        return new PartitionInventory(partition.number(), partition.startBytes(), partition.sizeBytes(),
                partition.typeId(), partition.name(), flags(partition), facts.blkidType(), facts.label(), facts.uuid(),
                used, minimum, shrinkable, growable, partition.logical(), facts.needsCheck());
    }

    /** The tool's minimum size, or (null and) why the filesystem must be checked before it can be sized. */
    private record Sizing(Long minimum, String needsCheck) {
    }

    /**
     * The filesystem tool's minimum size, or the tool's refusal when the filesystem must be checked first (resize2fs
     * -P asking for e2fsck, ntfsresize finding the volume unclean): a refusal is a fact about the disk, not a failure.
     */
    private Sizing minimumOrNeedsCheck(FilesystemFacts facts, PartitionDevice device) {
        try {
            return new Sizing(filesystems.minimumBytes(facts, device.path()), null);
        } catch (AgentException e) {
            if (e.kind() != FailureKind.FILESYSTEM) {
                throw e;
            }
            return new Sizing(null, "its tool cannot size it before a check: " + e.getMessage());
        }
    }

    static List<String> flags(TablePartition partition) {
        List<String> flags = new ArrayList<>();
        if (partition.bootable()) {
            flags.add("boot");
        }
        long attributes = partition.attributes();
        if ((attributes & 1L) != 0) {
            flags.add("required");
        }
        if ((attributes & 1L << 1) != 0) {
            flags.add("no_block_io");
        }
        if ((attributes & 1L << 2) != 0) {
            flags.add("legacy_boot");
        }
        if ((attributes & 1L << 60) != 0) {
            flags.add("read_only");
        }
        if ((attributes & 1L << 62) != 0) {
            flags.add("hidden");
        }
        if ((attributes & 1L << 63) != 0) {
            flags.add("no_automount");
        }
        return flags;
    }
}
