package io.pureboot.clone.agent.bench;

import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.clone.SourceCapture;
import io.pureboot.clone.agent.clone.TargetRestore;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkKind;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The capture/restore benchmark of docs/benchmarks.md (run by node-agent/bench/run.sh as root): builds a 4 GiB GPT
 * disk (FAT32 ESP and an ext4 root holding about 2 GB of binaries, libraries and text, plus deleted data in its free
 * blocks), then times, in one run, capture and restore by the agent (SHA-256 verification on) and by
 * {@code dd | gzip -6}, {@code dd | zstd -T0 -3} and {@code partclone | zstd -T0 -3}. The page cache is dropped before
 * every timed step so that each one reads the disk. Finally it compares the chunk codecs on the disk's own data.
 */
public final class Benchmark {

    private static final long MIB = 1 << 20;
    private static final long DISK_BYTES = 4096 * MIB;

    private final Path work;
    private final long contentBytes;
    private final long deletedBytes;
    private final CommandRunner runner = CommandRunner.system();
    private final PrintStream out = System.out;
    private final List<Row> rows = new ArrayList<>();

    /**
     * One method's figures; {@code checkSeconds} is the part of the restore spent checking filesystems. For the
     * agent, the limits of its capture and restore on this machine measured in the same round ({@link Limits#NONE}
     * for the other methods).
     */
    private record Row(String method, double captureSeconds, double restoreSeconds, long imageBytes,
            double checkSeconds, Limits captureLimits, Limits restoreLimits) {
        Row(String method, double captureSeconds, double restoreSeconds, long imageBytes) {
            this(method, captureSeconds, restoreSeconds, imageBytes, 0, Limits.NONE, Limits.NONE);
        }
    }

    /**
     * The disk's sequential rates as the agent meets them: a loop device over a file in the work directory (the same
     * filesystem as the benchmark's disks), 4 MiB direct I/O, the write made durable (fsync) and the read from a
     * dropped cache; and the machine's busy CPU-seconds per byte while it moved them (the loop device's copies run on
     * the same cores as the agent).
     */
    private record DiskRates(double readBytesPerSecond, double writeBytesPerSecond, double readCpuPerByte,
            double writeCpuPerByte) {
    }

    /** How much the disk-rate measurement writes and reads back. */
    private static final long RATE_BYTES = 1024 * MIB;

    private Benchmark(Path work, long contentBytes, long deletedBytes) {
        this.work = work;
        this.contentBytes = contentBytes;
        this.deletedBytes = deletedBytes;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/var/tmp/pureboot-bench");
        long content = args.length > 1 ? Long.parseLong(args[1]) * MIB : 2000 * MIB;
        long deleted = args.length > 2 ? Long.parseLong(args[2]) * MIB : 600 * MIB;
        new Benchmark(work, content, deleted).run();
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        try (Cleanup cleanup = new Cleanup()) {
            cleanup.push("remove the benchmark's directories", () -> {
                deleteTree(work.resolve("agent-state"));
                deleteTree(work.resolve("mnt"));
            });
            Runtime.getRuntime().addShutdownHook(new Thread(cleanup::close));
            String source = buildSource(cleanup);
            BlockDevice sourceDisk = BlockDevices.system().describe(source.substring("/dev/".length()));
            out.printf(Locale.ROOT, "source: %s, %d MiB, %d cores%n", source, DISK_BYTES / MIB,
                    Runtime.getRuntime().availableProcessors());
            List<byte[]> sample = CodecComparison.sample(Path.of(source + "p2"));
            CpuFloor fast = cpuFloor(ChunkCodec.zstdJni(1), sample);
            CpuFloor standard = cpuFloor(ChunkCodec.zstdJni(3), sample);
            // The machine is shared: the agent and dd | zstd, which the targets compare, run REPEAT times in turn and
            // their medians are reported.
            List<Row> agentFast = new ArrayList<>();
            List<Row> agentDefault = new ArrayList<>();
            List<Row> zstd = new ArrayList<>();
            for (int i = 0; i < REPEAT; i++) {
                // The disk is shared with other machines and its rate moves: measured again in every round.
                DiskRates rates = measureDiskRates(cleanup);
                agentFast.add(measureAgent(cleanup, sourceDisk, fast, rates));
                agentDefault.add(measureAgent(cleanup, sourceDisk, standard, rates));
                zstd.add(measurePipeline(cleanup, source, "dd | zstd -T0 -3", "img.zst",
                        "dd if=%s bs=4M status=none | zstd -q -T0 -3 -o %s",
                        "zstd -q -dc %s | dd of=%s bs=4M status=none conv=fsync"));
            }
            rows.add(median(agentFast));
            rows.add(median(agentDefault));
            rows.add(median(zstd));
            rows.add(measurePartclone(cleanup, source));
            rows.add(measurePipeline(cleanup, source, "dd | gzip -6", "img.gz",
                    "dd if=%s bs=4M status=none | gzip -6 > %s",
                    "gzip -dc %s | dd of=%s bs=4M status=none conv=fsync"));
            report();
            new CodecComparison(out).run(sample);
        }
    }

    /** The 4 GiB source: GPT, 256 MiB FAT32 ESP with a few files, ext4 root with real files and deleted data. */
    private String buildSource(Cleanup cleanup) throws IOException {
        Path file = work.resolve("source.img");
        Files.deleteIfExists(file);
        cleanup.push("delete " + file, () -> Files.deleteIfExists(file));
        sh("truncate -s " + DISK_BYTES + " " + file);
        String device = attach(cleanup, file);
        sh("sgdisk -n1:1MiB:+256MiB -t1:ef00 -c1:ESP -n2:0:0 -t2:8300 -c2:root " + device + " >/dev/null");
        sh("partx -a " + device);
        sh("mkfs.vfat -F 32 -n ESP " + device + "p1 >/dev/null");
        sh("mmd -i " + device + "p1 ::/EFI ::/EFI/BOOT && mcopy -i " + device + "p1 /bin/ls ::/EFI/BOOT/BOOTX64.EFI");
        sh("mkfs.ext4 -q -F -L root " + device + "p2");
        Path mount = work.resolve("mnt");
        Files.createDirectories(mount);
        sh("mount " + device + "p2 " + mount);
        try {
            long copied = copyFiles(mount.resolve("data"), contentBytes, "/usr/bin", "/usr/lib", "/usr/share");
            // Deleted data last (written earlier, the content would reuse its blocks): real files written, synced
            // and removed, so free blocks hold old content as on a disk in use.
            copyFiles(mount.resolve("old"), deletedBytes, "/usr/share", "/usr/lib");
            sh("sync && rm -rf " + mount.resolve("old") + " && sync");
            out.printf(Locale.ROOT, "content: %d MiB of files, %d MiB deleted%n", copied / MIB, deletedBytes / MIB);
        } finally {
            sh("umount " + mount);
        }
        return device;
    }

    private static final int REPEAT = 3;

    private CpuFloor cpuFloor(ChunkCodec codec, List<byte[]> sample) throws Exception {
        CpuFloor floor = CpuFloor.measure(codec, sample);
        out.printf(Locale.ROOT, "  CPU floor, %s on %d cores: SHA-256 + compress %.0f MB/s, decompress + SHA-256"
                + " %.0f MB/s (%d MiB of the root filesystem's data)%n", codec.description(),
                Runtime.getRuntime().availableProcessors(), floor.captureBytesPerSecond() / 1e6,
                floor.restoreBytesPerSecond() / 1e6, sample.size() * (long) sample.get(0).length / MIB);
        return floor;
    }

    /** Each figure's median; a limit is the one of the round whose time is the median, so their ratio is that round's. */
    private static Row median(List<Row> runs) {
        List<Row> byCapture = runs.stream().sorted(Comparator.comparingDouble(Row::captureSeconds)).toList();
        List<Row> byRestore = runs.stream().sorted(Comparator.comparingDouble(Row::restoreSeconds)).toList();
        Row capture = byCapture.get(runs.size() / 2);
        Row restore = byRestore.get(runs.size() / 2);
        Row first = runs.get(0);
        return new Row(first.method() + " [median of " + runs.size() + "]", capture.captureSeconds(),
                restore.restoreSeconds(), first.imageBytes(), restore.checkSeconds(), capture.captureLimits(),
                restore.restoreLimits());
    }

    private DiskRates measureDiskRates(Cleanup cleanup) throws IOException {
        Path file = work.resolve("rate.img");
        Files.deleteIfExists(file);
        cleanup.push("delete " + file, () -> Files.deleteIfExists(file));
        sh("truncate -s " + RATE_BYTES + " " + file);
        String device = attach(cleanup, file);
        dropCaches();
        long start = System.nanoTime();
        double busy = busyCpuSeconds();
        sh("dd if=/dev/zero of=" + device + " bs=4M count=" + RATE_BYTES / (4 * MIB)
                + " oflag=direct conv=fsync status=none");
        double write = RATE_BYTES / seconds(start);
        double writeCpu = (busyCpuSeconds() - busy) / RATE_BYTES;
        dropCaches();
        start = System.nanoTime();
        busy = busyCpuSeconds();
        sh("dd if=" + device + " of=/dev/null bs=4M iflag=direct status=none");
        double read = RATE_BYTES / seconds(start);
        double readCpu = (busyCpuSeconds() - busy) / RATE_BYTES;
        detachAndDelete(cleanup, device);
        out.printf(Locale.ROOT, "  disk: sequential read %.0f MB/s, write %.0f MB/s (dd, 4 MiB direct I/O, %d MiB);"
                + " the machine busy %.2f CPU-s a GB read, %.2f a GB written%n", read / 1e6, write / 1e6,
                RATE_BYTES / MIB, readCpu * 1e9, writeCpu * 1e9);
        return new DiskRates(read, write, readCpu, writeCpu);
    }

    private Row measureAgent(Cleanup cleanup, BlockDevice source, CpuFloor floor, DiskRates rates)
            throws IOException {
        int level = floor.codec().level();
        Path staging = work.resolve("agent-image");
        deleteTree(staging);
        Files.createDirectories(staging);
        CaptureEngine.Options captureOptions = CaptureEngine.Options.defaults(ChunkCodec.zstdJni(level));
        dropCaches();
        long start = System.nanoTime();
        SourceCapture.Result captured;
        try (Cleanup shrinkCleanup = new Cleanup()) {
            captured = new SourceCapture(BlockDevices.system(), new Filesystems(runner), shrinkCleanup).capture(source,
                    staging, new SourceCapture.Options(false, ChunkLayout.DEFAULT_CHUNK_SIZE, captureOptions),
                    phase -> { }, ProgressListener.NONE);
        }
        double capture = seconds(start);
        // What the disk must move at least: the bytes the capture read, and the bytes a restore writes (data and zero
        // chunks; free ranges are skipped).
        long readBytes = captured.engine().bytesRead();
        long writtenBytes = captured.manifest().chunks().stream().filter(chunk -> chunk.kind() != ChunkKind.UNUSED)
                .mapToLong(ManifestChunk::length).sum();
        // What the CPU must do at least: hash and compress what was read; decompress and hash the data chunks.
        long dataBytes = captured.manifest().chunks().stream().filter(chunk -> chunk.kind() == ChunkKind.DATA)
                .mapToLong(ManifestChunk::length).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        Limits captureLimits = Limits.of(readBytes / rates.readBytesPerSecond(), floor.captureSeconds(readBytes),
                readBytes * rates.readCpuPerByte(), cores);
        Limits restoreLimits = Limits.of(writtenBytes / rates.writeBytesPerSecond(), floor.restoreSeconds(dataBytes),
                writtenBytes * rates.writeCpuPerByte(), cores);
        long imageBytes = Files.size(staging.resolve("disk.img.zst"));

        String target = freshTarget(cleanup, "agent-target.img");
        BlockDevice targetDisk = BlockDevices.system().describe(target.substring("/dev/".length()));
        Path state = work.resolve("agent-state");
        dropCaches();
        start = System.nanoTime();
        long[] resizingStarted = {0};
        new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner).restore(targetDisk, staging, null,
                new TargetRestore.Options(RestoreEngine.Options.defaults(ChunkCodec.zstdJni(level)), state), phase -> {
                    if (phase.equals("resizing")) {
                        resizingStarted[0] = System.nanoTime();
                    }
                }, ProgressListener.NONE);
        double restore = seconds(start);
        double check = seconds(resizingStarted[0]);
        verifyExt4(target);
        detachAndDelete(cleanup, target);
        deleteTree(staging);
        out.printf(Locale.ROOT, "  agent level %d: capture %.1f s (%d MiB read: %s), restore %.1f s (%d MiB written: %s),"
                        + " image %d MiB%n", level, capture, readBytes / MIB, against(capture, captureLimits), restore,
                writtenBytes / MIB, against(restore, restoreLimits), imageBytes / MIB);
        return new Row("agent, zstd-jni " + level + ", SHA-256 verified", capture, restore, imageBytes, check,
                captureLimits, restoreLimits);
    }

    private Row measurePipeline(Cleanup cleanup, String source, String name, String imageName, String captureCommand,
            String restoreCommand) throws IOException {
        Path image = work.resolve(imageName);
        Files.deleteIfExists(image);
        dropCaches();
        long start = System.nanoTime();
        sh("set -o pipefail; " + String.format(captureCommand, source, image));
        double capture = seconds(start);
        long imageBytes = Files.size(image);
        String target = freshTarget(cleanup, "pipeline-target.img");
        dropCaches();
        start = System.nanoTime();
        sh("set -o pipefail; " + String.format(restoreCommand, image, target));
        double restore = seconds(start);
        detachAndDelete(cleanup, target);
        Files.deleteIfExists(image);
        out.printf(Locale.ROOT, "  %s: capture %.1f s, restore %.1f s, image %d MiB%n", name, capture, restore,
                imageBytes / MIB);
        return new Row(name, capture, restore, imageBytes);
    }

    /** partclone per partition (the table saved with sgdisk), each stream through zstd -T0 -3. */
    private Row measurePartclone(Cleanup cleanup, String source) throws IOException {
        Path table = work.resolve("table.sgdisk");
        Path esp = work.resolve("p1.pc.zst");
        Path root = work.resolve("p2.pc.zst");
        // zstd -o will not overwrite what an interrupted run left behind.
        for (Path leftover : List.of(table, esp, root)) {
            Files.deleteIfExists(leftover);
        }
        dropCaches();
        long start = System.nanoTime();
        sh("set -o pipefail; sgdisk --backup=" + table + " " + source + " >/dev/null"
                + " && partclone.fat32 -q -c -s " + source + "p1 -o - -L /dev/null | zstd -q -T0 -3 -o " + esp
                + " && partclone.ext4 -q -c -s " + source + "p2 -o - -L /dev/null | zstd -q -T0 -3 -o " + root);
        double capture = seconds(start);
        long imageBytes = Files.size(table) + Files.size(esp) + Files.size(root);
        String target = freshTarget(cleanup, "partclone-target.img");
        dropCaches();
        start = System.nanoTime();
        // partclone -o creates a regular file where the partition node is missing: wait for both nodes first.
        sh("set -o pipefail; sgdisk --load-backup=" + table + " " + target + " >/dev/null && partx -a " + target
                + " && for i in $(seq 1 50); do [ -b " + target + "p2 ] && break; sleep 0.1; done"
                + " && [ -b " + target + "p1 ] && [ -b " + target + "p2 ]"
                + " && zstd -q -dc " + esp + " | partclone.fat32 -q -r -s - -o " + target + "p1 -L /dev/null"
                + " && zstd -q -dc " + root + " | partclone.ext4 -q -r -s - -o " + target + "p2 -L /dev/null"
                + " && sync");
        double restore = seconds(start);
        detachAndDelete(cleanup, target);
        Files.deleteIfExists(table);
        Files.deleteIfExists(esp);
        Files.deleteIfExists(root);
        return new Row("partclone | zstd -T0 -3", capture, restore, imageBytes);
    }

    private void report() {
        out.println();
        out.printf(Locale.ROOT, "%-56s %10s %10s %10s %14s %24s %24s%n", "method", "capture s", "restore s",
                "image MiB", "fs check s", "capture disk/CPU/both s", "restore disk/CPU/both s");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%-56s %10.1f %10.1f %10.1f %14.1f %24s %24s%n", row.method(),
                    row.captureSeconds(), row.restoreSeconds(), row.imageBytes() / (double) MIB, row.checkSeconds(),
                    limits(row.captureLimits()), limits(row.restoreLimits()));
        }
        Row zstd = rows.stream().filter(r -> r.method().startsWith("dd | zstd")).findFirst().orElseThrow();
        for (Row agent : rows.stream().filter(r -> r.method().startsWith("agent")).toList()) {
            out.println();
            out.println(agent.method() + ":");
            ratios(agent, zstd);
        }
    }

    private static String limits(Limits limits) {
        return limits.measured() ? String.format(Locale.ROOT, "%.1f / %.1f / %.1f", limits.disk(), limits.cpu(),
                limits.machine()) : "";
    }

    private static String against(double seconds, Limits limits) {
        return String.format(Locale.ROOT, "%.2fx the disk limit %.1f s, %.2fx disk and CPU together %.1f s (CPU alone"
                + " %.1f s)", seconds / limits.disk(), limits.disk(), seconds / limits.machine(), limits.machine(),
                limits.cpu());
    }

    private void ratios(Row agent, Row zstd) {
        out.printf(Locale.ROOT, "agent capture / disk limit      = %.2f (%.1f s against %.1f s; goal <= 1.10)%n",
                agent.captureSeconds() / agent.captureLimits().disk(), agent.captureSeconds(),
                agent.captureLimits().disk());
        out.printf(Locale.ROOT, "agent restore / disk limit      = %.2f (%.1f s against %.1f s; goal <= 1.10)%n",
                agent.restoreSeconds() / agent.restoreLimits().disk(), agent.restoreSeconds(),
                agent.restoreLimits().disk());
        out.printf(Locale.ROOT, "agent capture / disk+CPU limit  = %.2f (%.1f s against %s)%n",
                agent.captureSeconds() / agent.captureLimits().machine(), agent.captureSeconds(),
                described(agent.captureLimits()));
        out.printf(Locale.ROOT, "agent restore / disk+CPU limit  = %.2f (%.1f s against %s)%n",
                agent.restoreSeconds() / agent.restoreLimits().machine(), agent.restoreSeconds(),
                described(agent.restoreLimits()));
        out.printf(Locale.ROOT, "agent capture / dd|zstd capture = %.2f (target <= 0.50)%n",
                agent.captureSeconds() / zstd.captureSeconds());
        out.printf(Locale.ROOT, "agent restore / dd|zstd restore = %.2f (target <= 0.50; %.2f without the fs check "
                + "dd does not do)%n", agent.restoreSeconds() / zstd.restoreSeconds(),
                (agent.restoreSeconds() - agent.checkSeconds()) / zstd.restoreSeconds());
        out.printf(Locale.ROOT, "agent image / dd|zstd image     = %.3f (target <= 1.05)%n",
                agent.imageBytes() / (double) zstd.imageBytes());
    }

    private static String described(Limits limits) {
        return String.format(Locale.ROOT, "%.1f s: CPU alone %.1f s, with the disk's own CPU on the same cores;"
                + " disk alone %.1f s", limits.machine(), limits.cpu(), limits.disk());
    }

    /**
     * The machine's busy CPU-seconds since boot (all cores; idle and iowait excluded), from {@code /proc/stat}, whose
     * ticks are USER_HZ (100 a second on Linux whatever the kernel's HZ).
     */
    private static double busyCpuSeconds() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long ticks = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                ticks += Long.parseLong(fields[i]);
            }
        }
        return ticks / 100.0;
    }

    private void verifyExt4(String target) {
        sh("e2fsck -f -n " + target + "p2 >/dev/null");
    }

    private String attach(Cleanup cleanup, Path file) {
        String device = sh("losetup -f --show " + file).strip();
        cleanup.push("detach " + device, () -> {
            runner.run(List.of("partx", "-d", device));
            runner.run(List.of("losetup", "-d", device));
        });
        return device;
    }

    private String freshTarget(Cleanup cleanup, String name) throws IOException {
        Path file = work.resolve(name);
        Files.deleteIfExists(file);
        sh("truncate -s " + DISK_BYTES + " " + file);
        cleanup.push("delete " + file, () -> Files.deleteIfExists(file));
        return attach(cleanup, file);
    }

    /** Releases a target right away (each is up to 4 GiB of allocated blocks); the cleanup entries become no-ops. */
    private void detachAndDelete(Cleanup cleanup, String device) throws IOException {
        String backing = sh("losetup -n -O BACK-FILE " + device).strip();
        runner.run(List.of("partx", "-d", device));
        runner.run(List.of("losetup", "-d", device));
        Files.deleteIfExists(Path.of(backing));
    }

    private void dropCaches() {
        sh("sync && echo 3 > /proc/sys/vm/drop_caches");
    }

    private String sh(String command) {
        CommandResult result = runner.runChecked(FailureKind.TOOL, List.of("bash", "-c", command));
        return result.stdout();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long copyFiles(Path target, long budget, String... sources) throws IOException {
        long copied = 0;
        int index = 0;
        for (String source : sources) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(Path.of(source))) {
                files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            } catch (IOException e) {
                continue;
            }
            for (Path path : files) {
                long size;
                try {
                    size = Files.size(path);
                } catch (IOException e) {
                    continue;
                }
                if (size == 0 || size > 64 * MIB || copied + size > budget) {
                    continue;
                }
                Path destination = target.resolve(String.format(Locale.ROOT, "%04d", index / 500))
                        .resolve(index + "-" + path.getFileName());
                Files.createDirectories(destination.getParent());
                try {
                    Files.copy(path, destination);
                } catch (IOException e) {
                    continue;
                }
                copied += size;
                index++;
            }
            if (copied >= budget * 98 / 100) {
                break;
            }
        }
        return copied;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
