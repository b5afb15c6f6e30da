package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

/**
 * One source partition: its table entry, its filesystem facts and where its chunks are.
 *
 * @param number partition number
 * @param startBytes start on the source disk
 * @param sizeBytes size on the source disk
 * @param typeId GPT type GUID or MBR system id ({@code 0x83})
 * @param uniqueGuid GPT PARTUUID, or null
 * @param name GPT name, or null
 * @param attributes GPT attribute bits
 * @param bootable MBR active flag
 * @param logical MBR logical partition
 * @param filesystem blkid TYPE, or null
 * @param label filesystem label, or null
 * @param uuid filesystem UUID, or null
 * @param filesystemBytes bytes of the partition that the captured filesystem spans (less than the size when it was
 *     shrunk for capture); null when unknown (then every byte of the partition is data)
 * @param usedBytes bytes in use, or null
 * @param minimumSizeBytes the filesystem's minimum size, or null when it cannot shrink
 * @param shrunk whether the filesystem was shrunk for capture (and grown back afterwards)
 * @param firstChunk index of its first chunk
 * @param chunkCount number of its chunks
 */
public record ManifestPartition(
        int number,
        long startBytes,
        long sizeBytes,
        String typeId,
        String uniqueGuid,
        String name,
        long attributes,
        boolean bootable,
        boolean logical,
        String filesystem,
        String label,
        String uuid,
        Long filesystemBytes,
        Long usedBytes,
        Long minimumSizeBytes,
        boolean shrunk,
        int firstChunk,
        int chunkCount) {

    public ManifestPartition {
        requireNonNull(typeId, "typeId is null");
        if (number < 1 || startBytes < 0 || sizeBytes <= 0 || firstChunk < 0 || chunkCount < 0) {
            throw new IllegalArgumentException("partition " + number + " has an invalid extent or chunk range");
        }
        if (filesystemBytes != null && filesystemBytes > sizeBytes) {
            throw new IllegalArgumentException("partition " + number + ": filesystem of " + filesystemBytes
                    + " bytes is larger than the partition (" + sizeBytes + ")");
        }
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }
}
