package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.PartitionTableType;

/**
 * The source's partition table header facts; the partitions themselves are in {@link ManifestPartition}.
 *
 * @param type GPT, MBR or NONE
 * @param sectorSize the sector size its LBAs count in
 * @param diskGuid GPT disk GUID, or null
 * @param mbrSignature MBR disk signature
 * @param gptEntryCount GPT entry slots
 */
public record ManifestTable(PartitionTableType type, int sectorSize, String diskGuid, long mbrSignature,
        int gptEntryCount) {

    public ManifestTable {
        requireNonNull(type, "type is null");
    }
}
