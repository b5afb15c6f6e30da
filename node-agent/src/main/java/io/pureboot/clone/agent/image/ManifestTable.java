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
 * @param extended the MBR extended partition holding the logical ones, or null (absent in manifests of older agents)
 */
public record ManifestTable(PartitionTableType type, int sectorSize, String diskGuid, long mbrSignature,
        int gptEntryCount, ManifestContainer extended) {

    public ManifestTable {
        requireNonNull(type, "type is null");
    }

    public ManifestTable(PartitionTableType type, int sectorSize, String diskGuid, long mbrSignature,
            int gptEntryCount) {
        this(type, sectorSize, diskGuid, mbrSignature, gptEntryCount, null);
    }
}
