package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.DeviceIo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Reads a FAT12/16/32 boot sector and the first FAT to find the clusters in use. The reserved sectors, the FATs and
 * (FAT12/16) the root directory are always in use.
 */
public final class FatFilesystem {

    /** The boot-sector facts the agent uses. */
    public record BootSector(int bytesPerSector, int sectorsPerCluster, long reservedSectors, int fatCount,
            long rootDirSectors, long fatSectors, long totalSectors) {

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

    public static Optional<BootSector> bootSector(FileChannel channel, String device) {
        ByteBuffer bs = ByteBuffer.wrap(DeviceIo.read(channel, device, 0, 512)).order(ByteOrder.LITTLE_ENDIAN);
        if ((bs.get(510) & 0xff) != 0x55 || (bs.get(511) & 0xff) != 0xaa) {
            return Optional.empty();
        }
        int bytesPerSector = bs.getShort(0x0b) & 0xffff;
        int sectorsPerCluster = bs.get(0x0d) & 0xff;
        if (Integer.bitCount(bytesPerSector) != 1 || bytesPerSector < 512 || bytesPerSector > 4096
                || Integer.bitCount(sectorsPerCluster) != 1) {
            return Optional.empty();
        }
        long reserved = bs.getShort(0x0e) & 0xffff;
        int fats = bs.get(0x10) & 0xff;
        long rootEntries = bs.getShort(0x11) & 0xffff;
        long total16 = bs.getShort(0x13) & 0xffff;
        long fatSize16 = bs.getShort(0x16) & 0xffff;
        long total = total16 != 0 ? total16 : Integer.toUnsignedLong(bs.getInt(0x20));
        long fatSize = fatSize16 != 0 ? fatSize16 : Integer.toUnsignedLong(bs.getInt(0x24));
        long rootDirSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        if (fats == 0 || fatSize == 0 || total == 0) {
            return Optional.empty();
        }
        return Optional.of(new BootSector(bytesPerSector, sectorsPerCluster, reserved, fats, rootDirSectors, fatSize,
                total));
    }

    /** The used byte ranges of the filesystem, relative to its first byte; empty when there is no FAT boot sector. */
    public static Optional<ExtentMap> usedMap(FileChannel channel, String device) {
        Optional<BootSector> found = bootSector(channel, device);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BootSector bs = found.get();
        long fatBytes = bs.fatSectors() * bs.bytesPerSector();
        if (fatBytes > 256L << 20) {
            throw new AgentException(FailureKind.FILESYSTEM, device + ": FAT of " + fatBytes + " bytes is too large");
        }
        byte[] fat = DeviceIo.read(channel, device, bs.reservedSectors() * bs.bytesPerSector(), (int) fatBytes);
        ByteBuffer table = ByteBuffer.wrap(fat).order(ByteOrder.LITTLE_ENDIAN);
        long clusterBytes = (long) bs.sectorsPerCluster() * bs.bytesPerSector();
        long dataStart = bs.dataStartSector() * bs.bytesPerSector();
        ExtentMap map = new ExtentMap().add(0, dataStart);
        int bits = bs.fatBits();
        long maxCluster = Math.min(bs.clusterCount() + 2, fatBytes * 8 / bits);
        for (long cluster = 2; cluster < maxCluster; cluster++) {
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
}
