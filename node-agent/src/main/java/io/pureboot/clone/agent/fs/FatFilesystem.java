package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.DeviceIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Reads a FAT12/16/32 boot sector and the first FAT to find the clusters in use. The reserved sectors, the FATs and
 * (FAT12/16) the root directory are always in use.
 *
 * <p>Every field is read unsigned and checked before it is used: a boot sector whose geometry is impossible or does not
 * fit the device, or a FAT too small for the clusters the filesystem counts (clusters it could not see would not be
 * copied), is a {@code filesystem} failure naming the field and its byte offset, never a read past the device.
 */
public final class FatFilesystem {

    static final int BYTES_PER_SECTOR = 0x0b;
    static final int SECTORS_PER_CLUSTER = 0x0d;
    static final int RESERVED_SECTORS = 0x0e;
    static final int FAT_COUNT = 0x10;
    static final int ROOT_ENTRIES = 0x11;
    static final int TOTAL_SECTORS_16 = 0x13;
    static final int FAT_SECTORS_16 = 0x16;
    static final int TOTAL_SECTORS_32 = 0x20;
    static final int FAT_SECTORS_32 = 0x24;
    /** A FAT32 FAT of 2^28 entries is 1 GiB; anything above this bound is not read into memory. */
    private static final long LARGEST_FAT_BYTES = 256L << 20;

    /**
     * The boot-sector facts the agent uses.
     *
     * @param totalSectorsOffset where the sector count was read (0x13, or 0x20 when that is 0)
     * @param fatSectorsOffset where the FAT size was read (0x16, or 0x24 on FAT32)
     */
    public record BootSector(int bytesPerSector, int sectorsPerCluster, long reservedSectors, int fatCount,
            long rootDirSectors, long fatSectors, long totalSectors, int totalSectorsOffset, int fatSectorsOffset) {

        long dataStartSector() {
            return reservedSectors + fatCount * fatSectors + rootDirSectors;
        }

        long clusterCount() {
            return (totalSectors - dataStartSector()) / sectorsPerCluster;
        }

        int fatBits() {
            long clusters = clusterCount();
            if (clusters < 4085) {
                return 12;
            }
            return clusters < 65525 ? 16 : 32;
        }

        public long sizeBytes() {
            return totalSectors * bytesPerSector;
        }
    }

    private FatFilesystem() {
    }

    /**
     * The boot sector; empty when sector 0 has no boot signature (55 aa) and so is no FAT boot sector. One with the
     * signature whose fields are impossible or do not fit the device is damage.
     */
    public static Optional<BootSector> bootSector(FileChannel channel, String device) {
        ByteBuffer bs = ByteBuffer.wrap(DeviceIo.read(channel, device, 0, 512)).order(ByteOrder.LITTLE_ENDIAN);
        if ((bs.get(510) & 0xff) != 0x55 || (bs.get(511) & 0xff) != 0xaa) {
            return Optional.empty();
        }
        int bytesPerSector = bs.getShort(BYTES_PER_SECTOR) & 0xffff;
        if (Integer.bitCount(bytesPerSector) != 1 || bytesPerSector < 512 || bytesPerSector > 4096) {
            throw damaged(device, BYTES_PER_SECTOR, "boot sector gives " + bytesPerSector + " bytes per sector "
                    + "(must be 512, 1024, 2048 or 4096)");
        }
        int sectorsPerCluster = bs.get(SECTORS_PER_CLUSTER) & 0xff;
        if (Integer.bitCount(sectorsPerCluster) != 1) {
            throw damaged(device, SECTORS_PER_CLUSTER, "boot sector gives " + sectorsPerCluster + " sectors per "
                    + "cluster (must be a power of two from 1 to 128)");
        }
        long reserved = bs.getShort(RESERVED_SECTORS) & 0xffff;
        if (reserved == 0) {
            throw damaged(device, RESERVED_SECTORS, "boot sector gives 0 reserved sectors (the boot sector itself is "
                    + "one)");
        }
        int fats = bs.get(FAT_COUNT) & 0xff;
        if (fats == 0) {
            throw damaged(device, FAT_COUNT, "boot sector gives 0 FATs");
        }
        long rootEntries = bs.getShort(ROOT_ENTRIES) & 0xffff;
        long total16 = bs.getShort(TOTAL_SECTORS_16) & 0xffff;
        long fatSize16 = bs.getShort(FAT_SECTORS_16) & 0xffff;
        int totalAt = total16 != 0 ? TOTAL_SECTORS_16 : TOTAL_SECTORS_32;
        int fatSizeAt = fatSize16 != 0 ? FAT_SECTORS_16 : FAT_SECTORS_32;
        long total = total16 != 0 ? total16 : Integer.toUnsignedLong(bs.getInt(TOTAL_SECTORS_32));
        long fatSize = fatSize16 != 0 ? fatSize16 : Integer.toUnsignedLong(bs.getInt(FAT_SECTORS_32));
        if (total == 0) {
            throw damaged(device, totalAt, "boot sector counts 0 sectors");
        }
        if (fatSize == 0) {
            throw damaged(device, fatSizeAt, "boot sector gives FATs of 0 sectors");
        }
        long rootDirSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        BootSector boot = new BootSector(bytesPerSector, sectorsPerCluster, reserved, fats, rootDirSectors, fatSize,
                total, totalAt, fatSizeAt);
        checkFits(channel, device, boot);
        return Optional.of(boot);
    }

    /** The filesystem lies inside the device, its metadata inside the filesystem, and its FAT can hold its clusters. */
    private static void checkFits(FileChannel channel, String device, BootSector boot) {
        long deviceBytes = size(channel, device);
        long deviceSectors = deviceBytes / boot.bytesPerSector();
        if (boot.totalSectors() > deviceSectors) {
            throw damaged(device, boot.totalSectorsOffset(), "boot sector counts " + boot.totalSectors() + " sectors of "
                    + boot.bytesPerSector() + " bytes, but the device holds " + deviceSectors);
        }
        long fatEnd = boot.reservedSectors() + boot.fatCount() * boot.fatSectors();
        if (fatEnd > boot.totalSectors()) {
            throw damaged(device, boot.fatSectorsOffset(), "the " + boot.fatCount() + " FATs of " + boot.fatSectors()
                    + " sectors after " + boot.reservedSectors() + " reserved sectors end at sector " + fatEnd
                    + ", past the filesystem's " + boot.totalSectors() + " sectors");
        }
        if (boot.dataStartSector() >= boot.totalSectors()) {
            throw damaged(device, ROOT_ENTRIES, "the root directory ends at sector " + boot.dataStartSector()
                    + ", leaving no data area in the filesystem's " + boot.totalSectors() + " sectors");
        }
        long fatBytes = boot.fatSectors() * boot.bytesPerSector();
        if (fatBytes > LARGEST_FAT_BYTES) {
            throw damaged(device, boot.fatSectorsOffset(), "boot sector gives a FAT of " + fatBytes + " bytes, more "
                    + "than any FAT32 needs");
        }
        long entries = fatBytes * 8 / boot.fatBits();
        if (boot.clusterCount() + 2 > entries) {
            throw damaged(device, boot.fatSectorsOffset(), "the FAT of " + fatBytes + " bytes holds "
                    + Math.max(0, entries - 2) + " clusters, but the filesystem counts " + boot.clusterCount()
                    + " (FAT" + boot.fatBits() + ")");
        }
    }

    /** The used byte ranges of the filesystem, relative to its first byte; empty when there is no FAT boot sector. */
    public static Optional<ExtentMap> usedMap(FileChannel channel, String device) {
        Optional<BootSector> found = bootSector(channel, device);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BootSector bs = found.get();
        int fatBytes = (int) (bs.fatSectors() * bs.bytesPerSector());
        byte[] fat = DeviceIo.read(channel, device, bs.reservedSectors() * bs.bytesPerSector(), fatBytes);
        ByteBuffer table = ByteBuffer.wrap(fat).order(ByteOrder.LITTLE_ENDIAN);
        long clusterBytes = (long) bs.sectorsPerCluster() * bs.bytesPerSector();
        long dataStart = bs.dataStartSector() * bs.bytesPerSector();
        ExtentMap map = new ExtentMap().add(0, dataStart);
        int bits = bs.fatBits();
        // checkFits made sure the FAT has an entry for every cluster the filesystem counts.
        long lastCluster = bs.clusterCount() + 2;
        for (long cluster = 2; cluster < lastCluster; cluster++) {
            if (entry(table, bits, cluster) != 0) {
                map.add(dataStart + (cluster - 2) * clusterBytes, clusterBytes);
            }
        }
        return Optional.of(map);
    }

    private static long entry(ByteBuffer table, int bits, long cluster) {
        return switch (bits) {
            case 32 -> table.getInt((int) (cluster * 4)) & 0x0fffffffL;
            case 16 -> table.getShort((int) (cluster * 2)) & 0xffffL;
            default -> {
                int at = (int) (cluster * 3 / 2);
                int pair = (table.get(at) & 0xff) | (table.get(at + 1) & 0xff) << 8;
                yield (cluster & 1) == 0 ? pair & 0xfff : pair >>> 4;
            }
        };
    }

    private static long size(FileChannel channel, String device) {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot size " + device + ": " + e.getMessage(), e);
        }
    }

    private static AgentException damaged(String device, long offset, String reason) {
        return new AgentException(FailureKind.FILESYSTEM, device + ": damaged FAT metadata at byte offset " + offset
                + ": " + reason);
    }
}
