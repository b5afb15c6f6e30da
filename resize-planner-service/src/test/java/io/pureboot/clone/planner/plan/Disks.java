package io.pureboot.clone.planner.plan;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import java.util.List;

/** Partitions and disks as agents report them, for tests. Sizes in bytes. */
final class Disks {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    static final String ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
    static final String MSR = PartitionKind.MICROSOFT_RESERVED_GUID;
    static final String BASIC_DATA = "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7";
    static final String WINDOWS_RECOVERY = "de94bba4-06d1-4d40-a16a-bfd50179d6ac";
    static final String LINUX_DATA = "0fc63daf-8483-4772-8e79-3d69d8477de4";
    static final String LINUX_SWAP = "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f";
    static final String BIOS_BOOT = PartitionKind.BIOS_BOOT_GUID;

    private Disks() {
    }

    static PartitionInventory esp(int number, long start, long size) {
        return new PartitionInventory(number, start, size, ESP, "EFI system partition", List.of("esp"), "vfat",
                "SYSTEM", "4A1B-2C3D", 30 * MIB, null, false, false, false);
    }

    static PartitionInventory msr(int number, long start, long size) {
        return new PartitionInventory(number, start, size, MSR, "Microsoft reserved partition", List.of(), null, null,
                null, null, null, false, false, false);
    }

    static PartitionInventory ntfs(int number, long start, long size, String type, Long minimum) {
        return new PartitionInventory(number, start, size, type, "Basic data partition", List.of(), "ntfs", null,
                "01D9C0FFEE", minimum, minimum, minimum != null, true, false);
    }

    static PartitionInventory ext4(int number, long start, long size, Long minimum) {
        return new PartitionInventory(number, start, size, LINUX_DATA, null, List.of(), "ext4", null, null, minimum,
                minimum, minimum != null, true, false);
    }

    static PartitionInventory xfs(int number, long start, long size) {
        return new PartitionInventory(number, start, size, LINUX_DATA, null, List.of(), "xfs", "data", null, size / 2,
                null, false, true, false);
    }

    static PartitionInventory swap(int number, long start, long size) {
        return new PartitionInventory(number, start, size, LINUX_SWAP, null, List.of(), "swap", null, null, null,
                null, false, false, false);
    }

    static PartitionInventory biosBoot(int number, long start, long size) {
        return new PartitionInventory(number, start, size, BIOS_BOOT, null, List.of("bios_grub"), null, null, null,
                null, null, false, false, false);
    }

    static PartitionInventory mbr(int number, long start, long size, String id, String filesystem, Long minimum,
            boolean logical, String... flags) {
        boolean resizable = filesystem != null && !filesystem.equals("swap");
        return new PartitionInventory(number, start, size, id, null, List.of(flags), filesystem, null, null, minimum,
                minimum, minimum != null, resizable, logical);
    }

    static DiskInventory disk(String id, long size, PartitionTableType table, int sector,
            PartitionInventory... partitions) {
        return new DiskInventory(id, "/dev/sda", "SERIAL-" + id, null, "TEST DISK", size, sector, 4096, table,
                List.of(partitions));
    }
}
