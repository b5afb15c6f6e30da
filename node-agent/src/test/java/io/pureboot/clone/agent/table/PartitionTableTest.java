package io.pureboot.clone.agent.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.events.node.PartitionTableType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT and MBR written and read in Java, cross-checked with sgdisk and sfdisk on plain files. */
class PartitionTableTest {

    private static final TableWriter WRITER = new TableWriter(CommandRunner.system());

    private static final long MIB = 1 << 20;
    private static final String LINUX = "0fc63daf-8483-4772-8e79-3d69d8477de4";
    private static final String ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";

    @TempDir
    Path directory;

    @Test
    void gptWrittenForANewSizeReadsBackAndSatisfiesSgdisk() throws IOException {
        Path disk = file("gpt.img", 96 * MIB);
        PartitionTable table = new PartitionTable(PartitionTableType.GPT, 512, "5b1c4d2e-0000-4000-8000-000000000001", 0,
                128, List.of(
                        new TablePartition(1, MIB, 32 * MIB, ESP, "11111111-2222-4333-8444-555555555555", "EFI system",
                                1, false, false),
                        new TablePartition(3, 33 * MIB, 40 * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "root",
                                0, false, false)));

        try (FileChannel channel = open(disk)) {
            WRITER.write(channel, disk, 96 * MIB, table);
            TableReader.Result read = TableReader.read(channel, "gpt.img", 96 * MIB, 512);
            assertThat(read.warnings()).isEmpty();
            assertThat(read.table()).isEqualTo(table);
        }
        assertThat(Sys.run("sgdisk", "-v", disk.toString()).stdout()).contains("No problems found");
        String listing = Sys.run("sgdisk", "-i", "3", disk.toString()).stdout();
        assertThat(listing).contains("First sector: 67584").contains("Partition name: 'root'")
                .contains("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE");
        assertThat(Sys.run("sgdisk", "-p", disk.toString()).stdout())
                .contains("5B1C4D2E-0000-4000-8000-000000000001");
    }

    @Test
    void readsWhatSgdiskWrites() throws IOException {
        Path disk = file("sgdisk.img", 64 * MIB);
        Sys.run("sgdisk", "-n1:1MiB:+8MiB", "-t1:ef00", "-c1:ESP", "-n2:0:0", "-t2:8300", "-A", "1:set:2",
                disk.toString());

        PartitionTable table = read(disk, 64 * MIB).table();

        assertThat(table.type()).isEqualTo(PartitionTableType.GPT);
        assertThat(table.partitions()).hasSize(2);
        assertThat(table.partition(1)).satisfies(p -> {
            assertThat(p.startBytes()).isEqualTo(MIB);
            assertThat(p.sizeBytes()).isEqualTo(8 * MIB);
            assertThat(p.typeId()).isEqualTo(ESP);
            assertThat(p.name()).isEqualTo("ESP");
            assertThat(p.attributes()).isEqualTo(4);
        });
        assertThat(table.partition(2).endBytes()).isEqualTo((64 * MIB / 512 - 33) * 512);
    }

    @Test
    void aDamagedPrimaryHeaderIsReportedAndTheBackupUsed() throws IOException {
        Path disk = file("damaged.img", 64 * MIB);
        Sys.run("sgdisk", "-n1:1MiB:+8MiB", disk.toString());
        long storedCrc = crcAt(disk, 512 + 16);
        flipByte(disk, 512 + 40);

        TableReader.Result result = read(disk, 64 * MIB);

        assertThat(result.table().partitions()).hasSize(1);
        assertThat(result.warnings()).singleElement().asString().startsWith(
                "damaged.img: partition table at byte offset 528: GPT header CRC32 mismatch: stored "
                        + String.format("0x%08x", storedCrc) + ", computed 0x")
                .endsWith("; using the backup GPT");
    }

    @Test
    void aDamagedEntryArrayInBothCopiesIsAnErrorNamingItsOffset() throws IOException {
        Path disk = file("entries.img", 64 * MIB);
        Sys.run("sgdisk", "-n1:1MiB:+8MiB", disk.toString());
        flipByte(disk, 1024 + 60);
        flipByte(disk, 64 * MIB - 33 * 512 + 60);

        assertThatThrownBy(() -> read(disk, 64 * MIB)).isInstanceOf(TableFormatException.class)
                .hasMessageStartingWith("entries.img: partition table at byte offset 1024: GPT entry array CRC32 "
                        + "mismatch: header says 0x");
    }

    @Test
    void mbrWithLogicalPartitionsIsParsedAndPrimaryOnesWritten() throws IOException {
        Path disk = file("mbr.img", 64 * MIB);
        Sys.run("sh", "-c", "printf 'label: dos\\nlabel-id: 0x1234abcd\\n,8MiB,83,*\\n,,5\\n,10MiB,82\\n,10MiB,83\\n'"
                + " | sfdisk -q " + disk);

        PartitionTable table = read(disk, 64 * MIB).table();

        assertThat(table.type()).isEqualTo(PartitionTableType.MBR);
        assertThat(table.mbrSignature()).isEqualTo(0x1234abcdL);
        assertThat(table.partitions()).extracting(TablePartition::number).containsExactly(1, 2, 5, 6);
        assertThat(table.partition(1).bootable()).isTrue();
        assertThat(table.partition(5)).satisfies(p -> {
            assertThat(p.logical()).isTrue();
            assertThat(p.typeId()).isEqualTo("0x82");
            assertThat(p.sizeBytes()).isEqualTo(10 * MIB);
        });

        Path copy = file("mbr-new.img", 32 * MIB);
        PartitionTable primaries = table.withPartitions(List.of(table.partition(1).movedTo(2 * MIB, 20 * MIB)));
        try (FileChannel channel = open(copy)) {
            WRITER.write(channel, copy, 32 * MIB, primaries);
        }
        String dump = Sys.run("sfdisk", "-d", copy.toString()).stdout();
        assertThat(dump).contains("label-id: 0x1234abcd").contains("start=        4096, size=       40960, type=83, "
                + "bootable");
    }

    @Test
    void writingOutsideTheUsableAreaIsRefused() throws IOException {
        Path disk = file("small.img", 16 * MIB);
        PartitionTable table = new PartitionTable(PartitionTableType.GPT, 512, "5b1c4d2e-0000-4000-8000-000000000001",
                0, 128, List.of(new TablePartition(1, MIB, 15 * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                        null, 0, false, false)));
        try (FileChannel channel = open(disk)) {
            assertThatThrownBy(() -> WRITER.write(channel, disk, 16 * MIB, table))
                    .hasMessage(disk + ": partition 1 (LBA 2048-32767) lies outside the usable LBAs 34-32734 of a "
                            + "16777216-byte disk");
        }
    }

    @Test
    void noSignatureMeansNoTable() throws IOException {
        assertThat(read(file("blank.img", MIB), MIB).table().type()).isEqualTo(PartitionTableType.NONE);
    }

    private Path file(String name, long size) throws IOException {
        Path path = directory.resolve(name);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        }
        return path;
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static TableReader.Result read(Path disk, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ)) {
            return TableReader.read(channel, disk.getFileName().toString(), size, 512);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int value = raf.read();
            raf.seek(offset);
            raf.write(value ^ 0xff);
        }
    }

    private static long crcAt(Path file, long offset) throws IOException {
        byte[] bytes = new byte[4];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            raf.readFully(bytes);
        }
        return (bytes[0] & 0xffL) | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16 | (bytes[3] & 0xffL) << 24;
    }

}
