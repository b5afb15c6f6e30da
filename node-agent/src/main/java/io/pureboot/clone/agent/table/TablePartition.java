package io.pureboot.clone.agent.table;

import static java.util.Objects.requireNonNull;

/**
 * One partition of a GPT or MBR table, in bytes.
 *
 * @param number the number the kernel gives it (GPT: entry index + 1; MBR: 1-4 primary, 5+ logical)
 * @param startBytes first byte on the disk
 * @param sizeBytes length in bytes
 * @param typeId GPT type GUID in lower case, or the MBR system id as {@code 0x83}
 * @param uniqueGuid GPT unique partition GUID (PARTUUID), or null for MBR
 * @param name GPT partition name, or null
 * @param attributes GPT attribute bits (0 for MBR)
 * @param bootable MBR active flag
 * @param logical MBR logical partition inside an extended one
 */
public record TablePartition(
        int number,
        long startBytes,
        long sizeBytes,
        String typeId,
        String uniqueGuid,
        String name,
        long attributes,
        boolean bootable,
        boolean logical) {

    public TablePartition {
        requireNonNull(typeId, "typeId is null");
        if (number < 1) {
            throw new IllegalArgumentException("partition number must be >= 1: " + number);
        }
        if (startBytes < 0 || sizeBytes <= 0) {
            throw new IllegalArgumentException("partition " + number + " has an invalid extent: start " + startBytes
                    + ", size " + sizeBytes);
        }
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }

    /** The same partition placed elsewhere, for a target disk's table. */
    public TablePartition movedTo(long newStartBytes, long newSizeBytes) {
        return new TablePartition(number, newStartBytes, newSizeBytes, typeId, uniqueGuid, name, attributes, bootable,
                logical);
    }
}
