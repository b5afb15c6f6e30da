package io.pureboot.clone.agent.table;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.events.node.PartitionTableType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes a partition table for a disk of a given size, after checking it: {@link #check} runs every check without
 * writing anything, so a restore can refuse a table before its first write.
 *
 * <p>GPT (protective MBR, primary header and entries, backup entries and header at the real end of the disk, all CRCs)
 * is written in Java rather than through sgdisk because the target keeps the source's disk GUID, partition GUIDs, names
 * and attribute bits exactly (fstab and boot loaders refer to PARTUUIDs), the layout comes from the plan byte for byte
 * with no tool re-aligning it, and the same code that parses tables checks what was written. The tests cross-check the
 * result with {@code sgdisk --verify} and {@code sfdisk --json}.
 *
 * <p>MBR goes through sfdisk: an MBR carries nothing sfdisk cannot reproduce exactly (the disk signature, system ids,
 * boot flags, sector-exact starts and sizes from a script), and with logical partitions the table is a chain of
 * extended boot records that libfdisk lays out and checks (containment, a sector for each EBR, 32-bit limits) with the
 * same code operators use; {@code sfdisk --no-act} runs all of it without writing, which is the check before the
 * first write. {@link MbrLayout} adds the rules sfdisk would bend (numbering, EBR room) and names the partition.
 *
 * <p>The first 440 bytes of sector 0 (boot code) are kept as they are on the disk (sfdisk keeps them too).
 */
public final class TableWriter {

    static final int GPT_ENTRY_SIZE = 128;
    static final int GPT_HEADER_SIZE = 92;
    private static final int BOOT_CODE_BYTES = 440;
    private static final List<String> SFDISK_OPTIONS = List.of("--no-reread", "--no-tell-kernel", "--wipe", "never",
            "--wipe-partitions", "never", "--quiet");

    private final CommandRunner runner;

    public TableWriter(CommandRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
    }

    /** The first LBA a partition may use on a GPT disk with this sector size and entry count. */
    public static long gptFirstUsableLba(int sectorSize, int entryCount) {
        return 2 + entrySectors(sectorSize, entryCount);
    }

    /** The last LBA a partition may use on a GPT disk of this size. */
    public static long gptLastUsableLba(long diskSize, int sectorSize, int entryCount) {
        return diskSize / sectorSize - 2 - entrySectors(sectorSize, entryCount);
    }

    /** The tools writing a table of this type runs. */
    public static List<String> tools(PartitionTableType type) {
        return type == PartitionTableType.MBR ? List.of("sfdisk") : List.of();
    }

    /** Checks that {@code table} can be written on {@code device}, writing nothing; fails as writing would. */
    public void check(Path device, long diskSize, PartitionTable table) {
        switch (table.type()) {
            case GPT -> checkGpt(device.toString(), diskSize, table);
            case MBR -> {
                MbrLayout.check(device.toString(), diskSize, table);
                sfdisk(device, table, true);
            }
            case NONE -> {
                return;
            }
        }
    }

    /** Writes {@code table} to {@code device} (open as {@code channel}) and forces it to stable storage. */
    public void write(FileChannel channel, Path device, long diskSize, PartitionTable table) {
        try {
            switch (table.type()) {
                case GPT -> writeGpt(channel, device.toString(), diskSize, table);
                case MBR -> {
                    MbrLayout.check(device.toString(), diskSize, table);
                    // Whatever this channel wrote before must be on the device before sfdisk writes over it.
                    channel.force(true);
                    sfdisk(device, table, false);
                }
                case NONE -> {
                    return;
                }
            }
            channel.force(true);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, device + ": cannot write the partition table: " + e.getMessage(),
                    e);
        }
    }

    private void sfdisk(Path device, PartitionTable table, boolean dryRun) {
        List<String> command = new ArrayList<>(List.of("sfdisk"));
        if (dryRun) {
            command.add("--no-act");
        }
        command.addAll(SFDISK_OPTIONS);
        command.add(device.toString());
        CommandResult result = runner.run(command, MbrLayout.script("pureboot", table));
        if (!result.succeeded()) {
            throw new AgentException(FailureKind.PARTITION_TABLE, device + ": sfdisk " + (dryRun ? "refuses" : "failed "
                    + "to write") + " the MBR (exit " + result.exitCode() + "): " + sfdiskReason(result));
        }
    }

    /** sfdisk ends its complaints with "Leaving."; the line that says what is wrong comes before. */
    private static String sfdiskReason(CommandResult result) {
        String text = result.stderr() + "\n" + result.stdout();
        return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.equals("Leaving."))
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("fail")
                        || line.toLowerCase(Locale.ROOT).contains("error")
                        || line.toLowerCase(Locale.ROOT).contains("out of range"))
                .findFirst().orElse(result.lastErrorLine());
    }

    private static void checkGpt(String device, long diskSize, PartitionTable table) {
        int sectorSize = table.sectorSize();
        int entryCount = Math.max(128, table.gptEntryCount());
        long firstUsable = gptFirstUsableLba(sectorSize, entryCount);
        long lastUsable = gptLastUsableLba(diskSize, sectorSize, entryCount);
        checkNoOverlap(device, table.partitions());
        checkGuid(device, "the disk GUID", table.diskGuid());
        for (TablePartition partition : table.partitions()) {
            if (partition.number() > entryCount) {
                throw new AgentException(FailureKind.PARTITION_TABLE, device + ": partition " + partition.number()
                        + " has no GPT entry slot (the table has " + entryCount + ")");
            }
            checkAligned(device, partition, sectorSize);
            long first = partition.startBytes() / sectorSize;
            long last = partition.endBytes() / sectorSize - 1;
            if (first < firstUsable || last > lastUsable) {
                throw new AgentException(FailureKind.PARTITION_TABLE, device + ": partition " + partition.number()
                        + " (LBA " + first + "-" + last + ") lies outside the usable LBAs " + firstUsable + "-"
                        + lastUsable + " of a " + diskSize + "-byte disk");
            }
            checkGuid(device, "partition " + partition.number() + "'s type", partition.typeId());
            checkGuid(device, "partition " + partition.number() + "'s unique GUID", partition.uniqueGuid());
        }
    }

    private static void checkGuid(String device, String what, String guid) {
        try {
            UUID.fromString(requireNonNull(guid, "missing"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AgentException(FailureKind.PARTITION_TABLE, device + ": " + what + " '" + guid
                    + "' is not a GUID", e);
        }
    }

    private static void writeGpt(FileChannel channel, String device, long diskSize, PartitionTable table)
            throws IOException {
        int sectorSize = table.sectorSize();
        int entryCount = Math.max(128, table.gptEntryCount());
        long lastLba = diskSize / sectorSize - 1;
        long firstUsable = gptFirstUsableLba(sectorSize, entryCount);
        long lastUsable = gptLastUsableLba(diskSize, sectorSize, entryCount);
        byte[] entries = new byte[entryCount * GPT_ENTRY_SIZE];
        ByteBuffer entryBuffer = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        checkGpt(device, diskSize, table);
        for (TablePartition partition : table.partitions()) {
            long first = partition.startBytes() / sectorSize;
            long last = partition.endBytes() / sectorSize - 1;
            int at = (partition.number() - 1) * GPT_ENTRY_SIZE;
            Guid.write(partition.typeId(), entries, at);
            Guid.write(partition.uniqueGuid(), entries, at + 16);
            entryBuffer.putLong(at + 32, first);
            entryBuffer.putLong(at + 40, last);
            entryBuffer.putLong(at + 48, partition.attributes());
            if (partition.name() != null) {
                byte[] name = partition.name().getBytes(StandardCharsets.UTF_16LE);
                System.arraycopy(name, 0, entries, at + 56, Math.min(name.length, 72));
            }
        }
        long entriesCrc = TableReader.crc32(entries, 0, entries.length);
        long backupEntriesLba = lastLba - entrySectors(sectorSize, entryCount);

        byte[] sectorZero = readSector(channel, 0, 512);
        byte[] protective = new byte[512];
        System.arraycopy(sectorZero, 0, protective, 0, BOOT_CODE_BYTES);
        ByteBuffer mbr = ByteBuffer.wrap(protective).order(ByteOrder.LITTLE_ENDIAN);
        mbr.putInt(440, (int) table.mbrSignature());
        int entry = 446;
        protective[entry + 1] = 0x00;
        protective[entry + 2] = 0x02;
        protective[entry + 3] = 0x00;
        protective[entry + 4] = (byte) 0xee;
        protective[entry + 5] = (byte) 0xff;
        protective[entry + 6] = (byte) 0xff;
        protective[entry + 7] = (byte) 0xff;
        mbr.putInt(entry + 8, 1);
        mbr.putInt(entry + 12, (int) Math.min(lastLba, 0xffffffffL));
        protective[510] = 0x55;
        protective[511] = (byte) 0xaa;

        byte[] primary = header(table, sectorSize, 1, lastLba, firstUsable, lastUsable, 2, entryCount, entriesCrc);
        byte[] backup = header(table, sectorSize, lastLba, 1, firstUsable, lastUsable, backupEntriesLba, entryCount,
                entriesCrc);
        writeFully(channel, protective, 0);
        writeFully(channel, primary, sectorSize);
        writeFully(channel, entries, 2L * sectorSize);
        writeFully(channel, entries, backupEntriesLba * sectorSize);
        writeFully(channel, backup, lastLba * sectorSize);
    }

    private static byte[] header(PartitionTable table, int sectorSize, long myLba, long alternateLba, long firstUsable,
            long lastUsable, long entriesLba, int entryCount, long entriesCrc) {
        byte[] bytes = new byte[sectorSize];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(TableReader.EFI_SIGNATURE.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 8);
        buffer.putInt(8, 0x00010000);
        buffer.putInt(12, GPT_HEADER_SIZE);
        buffer.putLong(24, myLba);
        buffer.putLong(32, alternateLba);
        buffer.putLong(40, firstUsable);
        buffer.putLong(48, lastUsable);
        Guid.write(table.diskGuid(), bytes, 56);
        buffer.putLong(72, entriesLba);
        buffer.putInt(80, entryCount);
        buffer.putInt(84, GPT_ENTRY_SIZE);
        buffer.putInt(88, (int) entriesCrc);
        buffer.putInt(16, (int) TableReader.crc32(bytes, 0, GPT_HEADER_SIZE));
        return bytes;
    }

    private static void checkAligned(String device, TablePartition partition, int sectorSize) {
        if (partition.startBytes() % sectorSize != 0 || partition.sizeBytes() % sectorSize != 0) {
            throw new AgentException(FailureKind.PARTITION_TABLE, device + ": partition " + partition.number()
                    + " is not a whole number of " + sectorSize + "-byte sectors");
        }
    }

    private static void checkNoOverlap(String device, List<TablePartition> partitions) {
        for (int i = 1; i < partitions.size(); i++) {
            TablePartition previous = partitions.get(i - 1);
            TablePartition current = partitions.get(i);
            if (current.startBytes() < previous.endBytes()) {
                throw new AgentException(FailureKind.PARTITION_TABLE, device + ": partitions " + previous.number()
                        + " and " + current.number() + " overlap");
            }
        }
    }

    private static long entrySectors(int sectorSize, int entryCount) {
        return ((long) entryCount * GPT_ENTRY_SIZE + sectorSize - 1) / sectorSize;
    }

    private static byte[] readSector(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
            // positional reads until the sector is complete or the end is reached
        }
        return buffer.array();
    }

    private static void writeFully(FileChannel channel, byte[] bytes, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
    }
}
