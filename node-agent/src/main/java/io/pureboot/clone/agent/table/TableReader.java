package io.pureboot.clone.agent.table;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.events.node.PartitionTableType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Parses GPT (primary and backup header, both CRCs of each) and MBR (primary and logical partitions) in Java, so that
 * the agent trusts no tool's interpretation of a damaged table. Errors name the byte offset and the reason.
 */
public final class TableReader {

    /** The parsed table and anything wrong that did not stop parsing (a damaged backup GPT, for example). */
    public record Result(PartitionTable table, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    static final String EFI_SIGNATURE = "EFI PART";
    private static final int MBR_SIGNATURE_OFFSET = 510;
    private static final int MBR_ENTRIES_OFFSET = 446;
    private static final int MAX_GPT_ENTRY_BYTES = 1 << 20;
    private static final int MAX_LOGICAL_PARTITIONS = 128;

    private final FileChannel channel;
    private final String device;
    private final long diskSize;
    private final int sectorSize;
    private final List<String> warnings = new ArrayList<>();

    private TableReader(FileChannel channel, String device, long diskSize, int sectorSize) {
        this.channel = channel;
        this.device = device;
        this.diskSize = diskSize;
        this.sectorSize = sectorSize;
    }

    /** Reads the table of the disk behind {@code channel}; {@code device} names it in errors. */
    public static Result read(FileChannel channel, String device, long diskSize, int sectorSize) {
        TableReader reader = new TableReader(channel, device, diskSize, sectorSize);
        PartitionTable table = reader.parse();
        return new Result(table, reader.warnings);
    }

    private PartitionTable parse() {
        if (diskSize < 2L * sectorSize) {
            return PartitionTable.none(sectorSize);
        }
        byte[] mbr = readBytes(0, 512);
        if ((mbr[MBR_SIGNATURE_OFFSET] & 0xff) != 0x55 || (mbr[MBR_SIGNATURE_OFFSET + 1] & 0xff) != 0xaa) {
            return PartitionTable.none(sectorSize);
        }
        for (int i = 0; i < 4; i++) {
            if ((mbr[MBR_ENTRIES_OFFSET + 16 * i + 4] & 0xff) == 0xee) {
                return parseGpt(mbr);
            }
        }
        return parseMbr(mbr);
    }

    private PartitionTable parseGpt(byte[] mbr) {
        long lastLba = diskSize / sectorSize - 1;
        Header primary = null;
        TableFormatException primaryError = null;
        try {
            primary = readHeader(1);
        } catch (TableFormatException e) {
            primaryError = e;
        }
        long backupLba = primary != null ? primary.alternateLba : lastLba;
        Header backup = null;
        try {
            backup = readHeader(backupLba);
            if (backupLba != lastLba) {
                warnings.add(device + ": backup GPT header is at LBA " + backupLba + ", not at the disk's last LBA "
                        + lastLba);
            }
        } catch (TableFormatException e) {
            if (primary == null) {
                throw primaryError;
            }
            warnings.add(e.getMessage());
        }
        if (primary == null) {
            warnings.add(primaryError.getMessage() + "; using the backup GPT");
        }
        Header header = primary != null ? primary : backup;
        List<TablePartition> partitions = readEntries(header);
        return new PartitionTable(PartitionTableType.GPT, sectorSize, header.diskGuid, littleEndianInt(mbr, 440),
                header.entryCount, partitions);
    }

    private record Header(long offset, long myLba, long alternateLba, long firstUsableLba, long lastUsableLba,
            String diskGuid, long entriesLba, int entryCount, int entrySize, long entriesCrc) {
    }

    private Header readHeader(long lba) {
        long offset = lba * sectorSize;
        if (offset + sectorSize > diskSize) {
            throw new TableFormatException(device, offset, "GPT header lies beyond the end of the disk (" + diskSize
                    + " bytes)");
        }
        byte[] bytes = readBytes(offset, sectorSize);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        String signature = new String(bytes, 0, 8, StandardCharsets.US_ASCII);
        if (!EFI_SIGNATURE.equals(signature)) {
            throw new TableFormatException(device, offset, "no GPT header signature 'EFI PART'");
        }
        int headerSize = buffer.getInt(12);
        if (headerSize < 92 || headerSize > sectorSize) {
            throw new TableFormatException(device, offset + 12, "GPT header size " + headerSize + " is out of range");
        }
        long storedCrc = Integer.toUnsignedLong(buffer.getInt(16));
        byte[] copy = bytes.clone();
        copy[16] = 0;
        copy[17] = 0;
        copy[18] = 0;
        copy[19] = 0;
        long actualCrc = crc32(copy, 0, headerSize);
        if (storedCrc != actualCrc) {
            throw new TableFormatException(device, offset + 16, "GPT header CRC32 mismatch: stored "
                    + hex32(storedCrc) + ", computed " + hex32(actualCrc));
        }
        long myLba = buffer.getLong(24);
        if (myLba != lba) {
            throw new TableFormatException(device, offset + 24, "GPT header says it is at LBA " + myLba
                    + " but was read at LBA " + lba);
        }
        int entryCount = buffer.getInt(80);
        int entrySize = buffer.getInt(84);
        if (entrySize < 128 || entrySize % 128 != 0 || entryCount < 0
                || (long) entryCount * entrySize > MAX_GPT_ENTRY_BYTES) {
            throw new TableFormatException(device, offset + 80, "GPT entry array of " + entryCount + " entries of "
                    + entrySize + " bytes is not supported");
        }
        Header header = new Header(offset, myLba, buffer.getLong(32), buffer.getLong(40), buffer.getLong(48),
                Guid.read(bytes, 56), buffer.getLong(72), entryCount, entrySize,
                Integer.toUnsignedLong(buffer.getInt(88)));
        long entriesOffset = header.entriesLba * sectorSize;
        int entriesLength = entryCount * entrySize;
        if (entriesOffset < 0 || entriesOffset + entriesLength > diskSize) {
            throw new TableFormatException(device, offset + 72, "GPT entry array at LBA " + header.entriesLba
                    + " lies beyond the end of the disk");
        }
        long entriesCrc = crc32(readBytes(entriesOffset, entriesLength), 0, entriesLength);
        if (entriesCrc != header.entriesCrc) {
            throw new TableFormatException(device, entriesOffset, "GPT entry array CRC32 mismatch: header says "
                    + hex32(header.entriesCrc) + ", computed " + hex32(entriesCrc));
        }
        return header;
    }

    private List<TablePartition> readEntries(Header header) {
        long entriesOffset = header.entriesLba * sectorSize;
        byte[] entries = readBytes(entriesOffset, header.entryCount * header.entrySize);
        ByteBuffer buffer = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        List<TablePartition> partitions = new ArrayList<>();
        for (int i = 0; i < header.entryCount; i++) {
            int at = i * header.entrySize;
            if (Guid.isZero(entries, at)) {
                continue;
            }
            long first = buffer.getLong(at + 32);
            long last = buffer.getLong(at + 40);
            if (first > last || first < header.firstUsableLba || last > header.lastUsableLba) {
                throw new TableFormatException(device, entriesOffset + at + 32, "GPT entry " + (i + 1) + " spans LBA "
                        + first + "-" + last + ", outside the usable LBAs " + header.firstUsableLba + "-"
                        + header.lastUsableLba);
            }
            String name = new String(entries, at + 56, 72, StandardCharsets.UTF_16LE);
            int end = name.indexOf('\0');
            name = end < 0 ? name : name.substring(0, end);
            partitions.add(new TablePartition(i + 1, first * sectorSize, (last - first + 1) * sectorSize,
                    Guid.read(entries, at), Guid.read(entries, at + 16), name.isEmpty() ? null : name,
                    buffer.getLong(at + 48), false, false));
        }
        return partitions;
    }

    private PartitionTable parseMbr(byte[] mbr) {
        List<TablePartition> partitions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int at = MBR_ENTRIES_OFFSET + 16 * i;
            int type = mbr[at + 4] & 0xff;
            long start = littleEndianInt(mbr, at + 8);
            long sectors = littleEndianInt(mbr, at + 12);
            if (type == 0 || sectors == 0) {
                continue;
            }
            checkExtent(at, start, sectors, 0);
            partitions.add(new TablePartition(i + 1, start * sectorSize, sectors * sectorSize, typeId(type), null, null,
                    0, (mbr[at] & 0xff) == 0x80, false));
            if (isExtended(type)) {
                readLogicalPartitions(start, partitions);
            }
        }
        return new PartitionTable(PartitionTableType.MBR, sectorSize, null, littleEndianInt(mbr, 440), 0, partitions);
    }

    private void readLogicalPartitions(long extendedStart, List<TablePartition> partitions) {
        long ebrLba = extendedStart;
        int number = 5;
        while (true) {
            if (number - 5 >= MAX_LOGICAL_PARTITIONS) {
                throw new TableFormatException(device, ebrLba * sectorSize, "more than " + MAX_LOGICAL_PARTITIONS
                        + " logical partitions: the EBR chain loops");
            }
            long ebrOffset = ebrLba * sectorSize;
            byte[] ebr = readBytes(ebrOffset, 512);
            if ((ebr[MBR_SIGNATURE_OFFSET] & 0xff) != 0x55 || (ebr[MBR_SIGNATURE_OFFSET + 1] & 0xff) != 0xaa) {
                throw new TableFormatException(device, ebrOffset + MBR_SIGNATURE_OFFSET, "EBR has no 0x55AA signature");
            }
            int type = ebr[MBR_ENTRIES_OFFSET + 4] & 0xff;
            long start = littleEndianInt(ebr, MBR_ENTRIES_OFFSET + 8);
            long sectors = littleEndianInt(ebr, MBR_ENTRIES_OFFSET + 12);
            if (type != 0 && sectors != 0) {
                checkExtent(ebrOffset + MBR_ENTRIES_OFFSET, start, sectors, ebrLba);
                partitions.add(new TablePartition(number, (ebrLba + start) * sectorSize, sectors * sectorSize,
                        typeId(type), null, null, 0, (ebr[MBR_ENTRIES_OFFSET] & 0xff) == 0x80, true));
                number++;
            }
            long next = littleEndianInt(ebr, MBR_ENTRIES_OFFSET + 16 + 8);
            if ((ebr[MBR_ENTRIES_OFFSET + 16 + 4] & 0xff) == 0 || next == 0) {
                return;
            }
            ebrLba = extendedStart + next;
        }
    }

    private void checkExtent(long entryOffset, long start, long sectors, long base) {
        long endByte = (base + start + sectors) * sectorSize;
        if (endByte > diskSize) {
            throw new TableFormatException(device, entryOffset + 8, "MBR entry ends at byte " + endByte
                    + ", beyond the end of the disk (" + diskSize + " bytes)");
        }
    }

    static boolean isExtended(int type) {
        return type == 0x05 || type == 0x0f || type == 0x85;
    }

    static String typeId(int type) {
        return "0x" + HexFormat.of().toHexDigits((byte) type);
    }

    private byte[] readBytes(long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, offset + buffer.position());
                if (read < 0) {
                    throw new TableFormatException(device, offset + buffer.position(), "unexpected end of the disk");
                }
            }
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, device + ": cannot read " + length + " bytes at offset " + offset
                    + ": " + e.getMessage(), e);
        }
        return buffer.array();
    }

    static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static long littleEndianInt(byte[] bytes, int offset) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    private static String hex32(long value) {
        return String.format("0x%08x", value);
    }
}
