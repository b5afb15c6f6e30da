package io.pureboot.clone.agent.table;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules an MBR table must follow before it is written, and the sfdisk script that writes it.
 *
 * <p>Primary partitions and the extended container take slots 1-4. Logical partitions are numbered 5, 6, ... in the
 * order of the chain of extended boot records (EBRs), which this layout keeps in disk order; each EBR takes one sector
 * before its logical partition (the first at the container's start), so a logical partition must start at least one
 * sector after the container's start or the previous logical partition's end. Every LBA and sector count fits 32
 * bits.
 */
final class MbrLayout {

    private static final long MAX_SECTORS = 0xffffffffL;

    private MbrLayout() {
    }

    /** Checks {@code table} for a disk of {@code diskSize} bytes; fails naming the partition and the rule. */
    static void check(String device, long diskSize, PartitionTable table) {
        int sector = table.sectorSize();
        List<TablePartition> primaries = new ArrayList<>();
        List<TablePartition> logicals = new ArrayList<>();
        TablePartition container = null;
        Set<Integer> numbers = new HashSet<>();
        for (TablePartition partition : table.partitions()) {
            if (!numbers.add(partition.number())) {
                throw invalid(device, "partition " + partition.number() + " is listed twice");
            }
            if (partition.startBytes() % sector != 0 || partition.sizeBytes() % sector != 0) {
                throw invalid(device, "partition " + partition.number() + " is not a whole number of " + sector
                        + "-byte sectors");
            }
            if (partition.endBytes() > diskSize || partition.endBytes() / sector > MAX_SECTORS) {
                throw invalid(device, "partition " + partition.number() + " ends at byte " + partition.endBytes()
                        + ", beyond " + (partition.endBytes() > diskSize ? "the end of the " + diskSize + "-byte disk"
                                : "the last sector an MBR can address (2^32 - 1)"));
            }
            if (partition.startBytes() < sector) {
                throw invalid(device, "partition " + partition.number() + " starts in the MBR's own sector");
            }
            if (partition.logical()) {
                logicals.add(partition);
                continue;
            }
            if (partition.number() > 4) {
                throw invalid(device, "primary partition " + partition.number() + " has no slot: primary and "
                        + "extended partitions are numbered 1-4");
            }
            if (TableReader.isExtended(systemId(partition))) {
                if (container != null) {
                    throw invalid(device, "partitions " + container.number() + " and " + partition.number()
                            + " are both extended: an MBR has one extended partition");
                }
                container = partition;
            }
            primaries.add(partition);
        }
        checkNoOverlap(device, primaries);
        if (logicals.isEmpty()) {
            return;
        }
        if (container == null) {
            throw invalid(device, "logical partition " + logicals.get(0).number() + " has no extended partition to "
                    + "live in");
        }
        long ebrRoomStart = container.startBytes();
        int expectedNumber = 5;
        for (TablePartition logical : logicals) {
            if (logical.number() != expectedNumber) {
                throw invalid(device, "logical partition " + logical.number() + " is number " + expectedNumber
                        + " in disk order: logical partitions are numbered by their place in the EBR chain");
            }
            if (logical.startBytes() - sector < ebrRoomStart) {
                throw invalid(device, "logical partition " + logical.number() + " starts at byte "
                        + logical.startBytes() + ", leaving no sector for its extended boot record after byte "
                        + ebrRoomStart);
            }
            if (logical.endBytes() > container.endBytes()) {
                throw invalid(device, "logical partition " + logical.number() + " ends at byte " + logical.endBytes()
                        + ", past the end of extended partition " + container.number() + " at "
                        + container.endBytes());
            }
            ebrRoomStart = logical.endBytes();
            expectedNumber++;
        }
    }

    /**
     * The sfdisk script for {@code table}. Lines are named {@code <prefix><number>}, which makes sfdisk give each
     * partition that number (an unused primary slot stays empty); sizes are in sectors, so nothing is re-aligned.
     */
    static String script(String namePrefix, PartitionTable table) {
        StringBuilder script = new StringBuilder();
        script.append("label: dos\n");
        script.append(String.format(Locale.ROOT, "label-id: 0x%08x\n", table.mbrSignature()));
        script.append("unit: sectors\n");
        script.append("sector-size: ").append(table.sectorSize()).append("\n\n");
        List<TablePartition> ordered = new ArrayList<>(table.partitions().stream().filter(p -> !p.logical()).toList());
        ordered.addAll(table.partitions().stream().filter(TablePartition::logical).toList());
        for (TablePartition partition : ordered) {
            script.append(namePrefix).append(partition.number()).append(" : start=")
                    .append(partition.startBytes() / table.sectorSize()).append(", size=")
                    .append(partition.sizeBytes() / table.sectorSize()).append(", type=")
                    .append(String.format(Locale.ROOT, "%x", systemId(partition)));
            if (partition.bootable()) {
                script.append(", bootable");
            }
            script.append('\n');
        }
        return script.toString();
    }

    static int systemId(TablePartition partition) {
        String type = partition.typeId().toLowerCase(Locale.ROOT);
        try {
            int id = Integer.parseInt(type.startsWith("0x") ? type.substring(2) : type, 16);
            if (id <= 0 || id > 0xff) {
                throw new NumberFormatException("out of range");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new AgentException(FailureKind.PARTITION_TABLE, "partition " + partition.number() + " has type '"
                    + partition.typeId() + "', not an MBR system id", e);
        }
    }

    private static void checkNoOverlap(String device, List<TablePartition> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).startBytes() < sorted.get(i - 1).endBytes()) {
                throw invalid(device, "partitions " + sorted.get(i - 1).number() + " and " + sorted.get(i).number()
                        + " overlap");
            }
        }
    }

    private static AgentException invalid(String device, String reason) {
        return new AgentException(FailureKind.PARTITION_TABLE, device + ": the MBR cannot be written: " + reason);
    }
}
