package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.DeviceIo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads an ext2/3/4 superblock, group descriptors and block bitmaps to find the blocks in use, without any tool.
 *
 * <p>Groups flagged BLOCK_UNINIT have no bitmap on disk; for them the used blocks are what the kernel would compute:
 * the superblock and descriptor backups the group carries and any group's bitmaps and inode table that lie inside it.
 * meta_bg filesystems are rare and lay descriptors out differently, so they are not mapped (the caller falls back to
 * reading everything and detecting zeros).
 */
public final class ExtFilesystem {

    private static final int SUPERBLOCK_OFFSET = 1024;
    private static final int EXT_MAGIC = 0xef53;
    private static final int INCOMPAT_RECOVER = 0x4;
    private static final int INCOMPAT_META_BG = 0x10;
    private static final int COMPAT_HAS_JOURNAL = 0x4;
    private static final int STATE_VALID = 0x1;
    private static final int STATE_ERROR = 0x2;
    private static final int INCOMPAT_64BIT = 0x80;
    private static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    private static final int RO_COMPAT_GDT_CSUM = 0x10;
    private static final int RO_COMPAT_METADATA_CSUM = 0x400;
    private static final int COMPAT_SPARSE_SUPER2 = 0x200;
    private static final int BG_BLOCK_UNINIT = 0x2;

    /** The superblock facts the agent uses. */
    public record Superblock(long blockCount, long freeBlocks, int blockSize, long firstDataBlock, long blocksPerGroup,
            long inodesPerGroup, int inodeSize, int descriptorSize, int reservedGdtBlocks, int featureCompat,
            int featureIncompat, int featureRoCompat, long backupGroup1, long backupGroup2, int state) {

        /**
         * Why the filesystem must be checked before its metadata can be trusted (its bitmaps, its minimum size), or
         * empty when it is clean: a journal that still needs recovery holds metadata the bitmaps do not have yet.
         */
        public Optional<String> needsCheck() {
            if ((featureIncompat & INCOMPAT_RECOVER) != 0) {
                return Optional.of("the ext journal needs recovery (needs_recovery is set: the filesystem was not "
                        + "unmounted cleanly, for example after a power cut)");
            }
            if ((state & STATE_ERROR) != 0) {
                return Optional.of("the ext superblock records errors (s_state has ERROR_FS): e2fsck must repair it");
            }
            if ((featureCompat & COMPAT_HAS_JOURNAL) == 0 && (state & STATE_VALID) == 0) {
                return Optional.of("the ext filesystem was not unmounted cleanly (s_state lacks VALID_FS)");
            }
            return Optional.empty();
        }

        public long sizeBytes() {
            return blockCount * blockSize;
        }

        public long usedBytes() {
            return (blockCount - freeBlocks) * blockSize;
        }

        long groupCount() {
            return (blockCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
        }
    }

    private record Group(long blockBitmap, long inodeBitmap, long inodeTable, int flags) {
    }

    private ExtFilesystem() {
    }

    /** The superblock, or empty when there is no ext superblock at byte 1024. */
    public static Optional<Superblock> superblock(FileChannel channel, String device) {
        byte[] bytes = DeviceIo.read(channel, device, SUPERBLOCK_OFFSET, 1024);
        ByteBuffer sb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((sb.getShort(0x38) & 0xffff) != EXT_MAGIC) {
            return Optional.empty();
        }
        int incompat = sb.getInt(0x60);
        boolean wide = (incompat & INCOMPAT_64BIT) != 0;
        long blocks = unsigned(sb.getInt(0x04)) | (wide ? unsigned(sb.getInt(0x150)) << 32 : 0);
        long free = unsigned(sb.getInt(0x0c)) | (wide ? unsigned(sb.getInt(0x158)) << 32 : 0);
        int logBlockSize = sb.getInt(0x18);
        if (logBlockSize < 0 || logBlockSize > 6) {
            throw new AgentException(FailureKind.FILESYSTEM, device + ": ext superblock at byte offset 1048 has an "
                    + "invalid block size exponent " + logBlockSize);
        }
        int descriptorSize = wide ? Math.max(32, sb.getShort(0xfe) & 0xffff) : 32;
        return Optional.of(new Superblock(blocks, free, 1024 << logBlockSize, unsigned(sb.getInt(0x14)),
                unsigned(sb.getInt(0x20)), unsigned(sb.getInt(0x28)), sb.getShort(0x58) & 0xffff, descriptorSize,
                sb.getShort(0xce) & 0xffff, sb.getInt(0x5c), incompat, sb.getInt(0x64), unsigned(sb.getInt(0x24c)),
                unsigned(sb.getInt(0x250)), sb.getShort(0x3a) & 0xffff));
    }

    /** The used byte ranges of the filesystem, relative to its first byte; empty when it cannot be mapped. */
    public static Optional<ExtentMap> usedMap(FileChannel channel, String device) {
        Optional<Superblock> found = superblock(channel, device);
        if (found.isEmpty() || (found.get().featureIncompat() & INCOMPAT_META_BG) != 0) {
            return Optional.empty();
        }
        Superblock sb = found.get();
        checkSuperblock(channel, device, sb);
        List<Group> groups = readGroups(channel, device, sb);
        boolean uninitMeaningful = (sb.featureRoCompat() & (RO_COMPAT_GDT_CSUM | RO_COMPAT_METADATA_CSUM)) != 0;
        long gdtBlocks = (groups.size() * (long) sb.descriptorSize() + sb.blockSize() - 1) / sb.blockSize();
        ExtentMap map = new ExtentMap();
        long blockSize = sb.blockSize();
        // The boot block(s) and the primary superblock are always kept (boot loaders may live in the first KiB).
        map.add(0, Math.max(2048, (sb.firstDataBlock() + 1) * blockSize));
        byte[] bitmap = new byte[sb.blockSize()];
        for (int g = 0; g < groups.size(); g++) {
            long first = sb.firstDataBlock() + g * sb.blocksPerGroup();
            long count = Math.min(sb.blocksPerGroup(), sb.blockCount() - first);
            Group group = groups.get(g);
            if (uninitMeaningful && (group.flags() & BG_BLOCK_UNINIT) != 0) {
                addUninitialisedGroup(map, sb, groups, g, first, count, gdtBlocks);
                continue;
            }
            DeviceIo.readFully(channel, device, group.blockBitmap() * blockSize, bitmap, 0, sb.blockSize());
            BitSet bits = BitSet.valueOf(bitmap);
            int used = bits.nextSetBit(0);
            while (used >= 0 && used < count) {
                int free = bits.nextClearBit(used);
                long end = Math.min(free, count);
                map.add((first + used) * blockSize, (end - used) * blockSize);
                used = free >= count ? -1 : bits.nextSetBit(free);
            }
        }
        return Optional.of(map);
    }

    /**
     * What the map is computed from must be possible: block counts as unsigned 64-bit values inside the device, groups
     * no larger than a bitmap block can describe. Damage is a {@code filesystem} failure naming the field and where it
     * lies, never a read past the device reported as a disk error.
     */
    private static void checkSuperblock(FileChannel channel, String device, Superblock sb) {
        if (sb.blocksPerGroup() <= 0 || sb.blocksPerGroup() > 8L * sb.blockSize()) {
            throw damaged(device, SUPERBLOCK_OFFSET + 0x20, "superblock has " + sb.blocksPerGroup()
                    + " blocks per group, impossible for " + sb.blockSize() + "-byte blocks");
        }
        long deviceBytes = size(channel, device);
        if (sb.blockCount() <= sb.firstDataBlock() || sb.blockCount() < 0
                || Long.compareUnsigned(sb.blockCount(), Long.divideUnsigned(deviceBytes, sb.blockSize())) > 0) {
            throw damaged(device, SUPERBLOCK_OFFSET + 0x04, "superblock counts " + Long.toUnsignedString(sb.blockCount())
                    + " blocks of " + sb.blockSize() + " bytes, but the device holds " + deviceBytes / sb.blockSize());
        }
        if (sb.descriptorSize() < 32 || sb.descriptorSize() > 1024 || Integer.bitCount(sb.descriptorSize()) != 1) {
            throw damaged(device, SUPERBLOCK_OFFSET + 0xfe, "superblock gives group descriptors of "
                    + sb.descriptorSize() + " bytes");
        }
    }

    private static long size(FileChannel channel, String device) {
        try {
            return channel.size();
        } catch (java.io.IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot size " + device + ": " + e.getMessage(), e);
        }
    }

    private static AgentException damaged(String device, long offset, String reason) {
        return new AgentException(FailureKind.FILESYSTEM, device + ": damaged ext metadata at byte offset " + offset
                + ": " + reason);
    }

    /** A block range a group descriptor names must lie inside the filesystem (unsigned comparison). */
    private static void checkRange(String device, long offset, int group, String what, long block, long blocks,
            Superblock sb) {
        boolean inside = block >= sb.firstDataBlock() && block > 0 && block < sb.blockCount()
                && blocks <= sb.blockCount() - block;
        if (!inside) {
            throw damaged(device, offset, "group descriptor " + group + " points its " + what + " at block "
                    + Long.toUnsignedString(block) + (blocks > 1 ? " (+" + blocks + ")" : "") + ", outside the "
                    + "filesystem's blocks " + sb.firstDataBlock() + "-" + (sb.blockCount() - 1));
        }
    }

    private static void addUninitialisedGroup(ExtentMap map, Superblock sb, List<Group> groups, int g, long first,
            long count, long gdtBlocks) {
        long end = first + count;
        List<long[]> ranges = new ArrayList<>();
        if (hasSuperblockBackup(sb, g)) {
            ranges.add(new long[] {first, 1 + gdtBlocks + sb.reservedGdtBlocks()});
        }
        long inodeTableBlocks = (sb.inodesPerGroup() * sb.inodeSize() + sb.blockSize() - 1) / sb.blockSize();
        for (Group other : groups) {
            addIfInside(ranges, other.blockBitmap(), 1, first, end);
            addIfInside(ranges, other.inodeBitmap(), 1, first, end);
            addIfInside(ranges, other.inodeTable(), inodeTableBlocks, first, end);
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] range : ranges) {
            long start = Math.max(range[0], map.lastEnd() / sb.blockSize());
            long stop = Math.min(range[0] + range[1], end);
            if (stop > start) {
                map.add(start * sb.blockSize(), (stop - start) * sb.blockSize());
            }
        }
    }

    private static void addIfInside(List<long[]> ranges, long start, long length, long groupStart, long groupEnd) {
        if (start < groupEnd && start + length > groupStart) {
            long from = Math.max(start, groupStart);
            ranges.add(new long[] {from, Math.min(start + length, groupEnd) - from});
        }
    }

    static boolean hasSuperblockBackup(Superblock sb, long group) {
        if (group == 0) {
            return true;
        }
        if ((sb.featureCompat() & COMPAT_SPARSE_SUPER2) != 0) {
            return group == sb.backupGroup1() || group == sb.backupGroup2();
        }
        if ((sb.featureRoCompat() & RO_COMPAT_SPARSE_SUPER) == 0) {
            return true;
        }
        return group == 1 || isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
    }

    private static boolean isPowerOf(long value, int base) {
        long power = base;
        while (power < value) {
            power *= base;
        }
        return power == value;
    }

    private static List<Group> readGroups(FileChannel channel, String device, Superblock sb) {
        long groupCount = sb.groupCount();
        long tableOffset = (sb.firstDataBlock() + 1) * sb.blockSize();
        long length = groupCount * sb.descriptorSize();
        if (length > Integer.MAX_VALUE || tableOffset + length > sb.sizeBytes()) {
            throw damaged(device, SUPERBLOCK_OFFSET + 0x04, "a group descriptor table of " + length + " bytes for "
                    + groupCount + " groups does not fit the filesystem");
        }
        ByteBuffer table = ByteBuffer.wrap(DeviceIo.read(channel, device, tableOffset, (int) length))
                .order(ByteOrder.LITTLE_ENDIAN);
        boolean wide = sb.descriptorSize() >= 64;
        List<Group> groups = new ArrayList<>((int) groupCount);
        for (int g = 0; g < groupCount; g++) {
            int at = g * sb.descriptorSize();
            long blockBitmap = unsigned(table.getInt(at)) | (wide ? unsigned(table.getInt(at + 0x20)) << 32 : 0);
            long inodeBitmap = unsigned(table.getInt(at + 4)) | (wide ? unsigned(table.getInt(at + 0x24)) << 32 : 0);
            long inodeTable = unsigned(table.getInt(at + 8)) | (wide ? unsigned(table.getInt(at + 0x28)) << 32 : 0);
            long inodeTableBlocks = (sb.inodesPerGroup() * sb.inodeSize() + sb.blockSize() - 1) / sb.blockSize();
            checkRange(device, tableOffset + at, g, "block bitmap", blockBitmap, 1, sb);
            checkRange(device, tableOffset + at + 4, g, "inode bitmap", inodeBitmap, 1, sb);
            checkRange(device, tableOffset + at + 8, g, "inode table", inodeTable, Math.max(1, inodeTableBlocks), sb);
            groups.add(new Group(blockBitmap, inodeBitmap, inodeTable, table.getShort(at + 0x12) & 0xffff));
        }
        return groups;
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }
}
