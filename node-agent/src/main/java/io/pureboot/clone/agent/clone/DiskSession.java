package io.pureboot.clone.agent.clone;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.table.PartitionTable;
import io.pureboot.clone.agent.table.TablePartition;
import io.pureboot.clone.agent.table.TableReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Logger;

/** Reading a disk's table and matching it with the partitions the kernel knows. */
final class DiskSession {

    private static final Logger LOG = Logger.getLogger(DiskSession.class.getName());

    private DiskSession() {
    }

    static PartitionTable readTable(BlockDevice disk) {
        try (FileChannel channel = FileChannel.open(disk.path(), StandardOpenOption.READ)) {
            TableReader.Result result = TableReader.read(channel, disk.path().toString(), disk.sizeBytes(),
                    disk.logicalSectorSize());
            result.warnings().forEach(LOG::warning);
            return result.table();
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + disk.path() + ": " + e.getMessage(), e);
        }
    }

    /** Partitions that hold data: an MBR extended container only holds the EBR chain. */
    static List<TablePartition> dataPartitions(PartitionTable table) {
        return table.partitions().stream().filter(p -> !isExtendedContainer(p)).toList();
    }

    static boolean isExtendedContainer(TablePartition partition) {
        return "0x05".equals(partition.typeId()) || "0x0f".equals(partition.typeId())
                || "0x85".equals(partition.typeId());
    }

    /** The kernel's node for a table partition, checking that the kernel sees the same extent. */
    static PartitionDevice kernelPartition(BlockDevices devices, BlockDevice disk, TablePartition partition) {
        PartitionDevice device = devices.partition(disk, partition.number());
        if (device.startBytes() != partition.startBytes() || device.sizeBytes() != partition.sizeBytes()) {
            throw new AgentException(FailureKind.DISK, disk.path() + ": the kernel's partition " + partition.number()
                    + " (" + device.startBytes() + "+" + device.sizeBytes() + ") differs from the table ("
                    + partition.startBytes() + "+" + partition.sizeBytes() + "); re-read the partition table");
        }
        return device;
    }
}
