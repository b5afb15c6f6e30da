package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.disk.DeviceIo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The size a filesystem occupies inside its partition, read from its own superblock. After a shrink the partition is
 * larger than the filesystem; only the filesystem's extent holds data.
 */
public final class NativeSizes {

    private NativeSizes() {
    }

    public static Optional<Long> filesystemBytes(FilesystemType type, FileChannel channel, String device) {
        return switch (type) {
            case EXT2, EXT3, EXT4 -> ExtFilesystem.superblock(channel, device).map(ExtFilesystem.Superblock::sizeBytes);
            case VFAT -> FatFilesystem.bootSector(channel, device).map(FatFilesystem.BootSector::sizeBytes);
            case NTFS -> ntfs(channel, device);
            case XFS -> xfs(channel, device);
            case BTRFS -> btrfs(channel, device);
            case SWAP, OTHER -> Optional.empty();
        };
    }

    private static Optional<Long> ntfs(FileChannel channel, String device) {
        ByteBuffer boot = ByteBuffer.wrap(DeviceIo.read(channel, device, 0, 512)).order(ByteOrder.LITTLE_ENDIAN);
        if (!"NTFS    ".equals(new String(boot.array(), 3, 8, StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        int bytesPerSector = boot.getShort(0x0b) & 0xffff;
        // The backup boot sector sits in the sector after the counted ones.
        return Optional.of((boot.getLong(0x28) + 1) * bytesPerSector);
    }

    private static Optional<Long> xfs(FileChannel channel, String device) {
        ByteBuffer sb = ByteBuffer.wrap(DeviceIo.read(channel, device, 0, 512)).order(ByteOrder.BIG_ENDIAN);
        if (!"XFSB".equals(new String(sb.array(), 0, 4, StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(Integer.toUnsignedLong(sb.getInt(4)) * sb.getLong(8));
    }

    private static Optional<Long> btrfs(FileChannel channel, String device) {
        ByteBuffer sb = ByteBuffer.wrap(DeviceIo.read(channel, device, 0x10000, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        if (!"_BHRfS_M".equals(new String(sb.array(), 0x40, 8, StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        // dev_item.total_bytes: the size of this device as the filesystem uses it.
        return Optional.of(sb.getLong(0xc9 + 8));
    }
}
