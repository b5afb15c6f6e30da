package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.DeviceIo;
import io.pureboot.clone.agent.disk.MountTable;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.fs.FilesystemFacts;
import io.pureboot.clone.agent.fs.FilesystemType;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestContainer;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.image.RestoreJournal;
import io.pureboot.clone.agent.image.RestoreLayout;
import io.pureboot.clone.agent.image.TargetDisk;
import io.pureboot.clone.agent.image.StagedChunkSource;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.process.Tools;
import io.pureboot.clone.agent.table.PartitionTable;
import io.pureboot.clone.agent.table.TablePartition;
import io.pureboot.clone.agent.table.TableWriter;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.ResizePlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Restores a staged image onto a target disk following the target's plan: checks everything that can be known before
 * the first write (the plan against the image, the new table, the tools; see {@link #check}), writes
 * the verified chunks at their planned places (resuming after an interruption), writes a fresh partition table for
 * the target's real size, re-reads it, then grows or fits each filesystem into its new partition and checks it.
 */
public final class TargetRestore {

    private static final Logger LOG = Logger.getLogger(TargetRestore.class.getName());
    private static final long GROW_THRESHOLD = 1 << 20;

    /**
     * @param engine pipeline options
     * @param stateDirectory where the restore journal lives (on the node, not on staging)
     */
    public record Options(RestoreEngine.Options engine, Path stateDirectory) {
        public Options {
            requireNonNull(engine, "engine is null");
            requireNonNull(stateDirectory, "stateDirectory is null");
        }
    }

    /** What was done. */
    public record Result(RestoreEngine.Result engine, List<RestoreLayout.Target> partitions) {
        public Result {
            partitions = List.copyOf(partitions);
        }
    }

    private final BlockDevices devices;
    private final Filesystems filesystems;
    private final CommandRunner runner;
    private final Tools tools;
    private final TableWriter tableWriter;

    public TargetRestore(BlockDevices devices, Filesystems filesystems, CommandRunner runner) {
        this(devices, filesystems, runner, Tools.system());
    }

    /** @param tools where the tools the restore runs are looked for before anything is written */
    public TargetRestore(BlockDevices devices, Filesystems filesystems, CommandRunner runner, Tools tools) {
        this.devices = requireNonNull(devices, "devices is null");
        this.filesystems = requireNonNull(filesystems, "filesystems is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.tools = requireNonNull(tools, "tools is null");
        this.tableWriter = new TableWriter(runner);
    }

    /**
     * A restore checked in full before its first write: where every chunk goes and the table the target gets.
     *
     * @param layout the placements
     * @param table the target's new partition table (already accepted by {@link TableWriter#check})
     */
    record Checked(RestoreLayout layout, PartitionTable table) {
    }

    /** Restores the staged image in {@code directory}. */
    public Result restore(BlockDevice disk, Path directory, ResizePlan plan, Options options, Consumer<String> phases,
            ProgressListener progress) {
        return restore(disk, directory, plan, options, phases, progress, staged -> staged);
    }

    /**
     * As above, the chunks taken from what {@code around} makes of the staged image (the swarm's chunk source, which
     * asks the session's other targets first); what it makes is closed after the restore, the image after that.
     */
    public Result restore(BlockDevice disk, Path directory, ResizePlan plan, Options options, Consumer<String> phases,
            ProgressListener progress, Function<ChunkSource, ChunkSource> around) {
        MountTable.system().requireUnused(disk, devices.partitions(disk));
        Manifest manifest = Manifest.read(directory.resolve(Manifest.FILE_NAME));
        try (StagedChunkSource staged = StagedChunkSource.open(directory, manifest)) {
            ChunkSource chunks = around.apply(staged);
            try {
                return restore(disk, manifest, chunks, plan, options, phases, progress);
            } finally {
                if (chunks != staged) {
                    chunks.close();
                }
            }
        }
    }

    /**
     * Restores the image {@code manifest} describes, its frames fetched from {@code source} (staged file or a
     * direct-mode source).
     */
    public Result restore(BlockDevice disk, Manifest manifest, ChunkSource source, ResizePlan plan, Options options,
            Consumer<String> phases, ProgressListener progress) {
        MountTable.system().requireUnused(disk, devices.partitions(disk));
        Checked checked = check(disk, manifest, plan, true);
        RestoreLayout layout = checked.layout();
        String fingerprint = SourceCapture.sha256((SourceCapture.sha256(manifest.toJson()) + "|" + disk.stableId()
                + "|" + disk.sizeBytes() + "|" + layout.targets() + "|" + options.engine().unusedPolicy())
                .getBytes(StandardCharsets.UTF_8));
        Path journalFile = options.stateDirectory().resolve("restore-" + SourceCapture.sha256(disk.stableId()
                .getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".journal");
        phases.accept("downloading");
        RestoreEngine.Result written;
        try (RestoreJournal journal = RestoreJournal.open(journalFile, fingerprint);
                TargetDisk target = TargetDisk.open(disk.path())) {
            written = new RestoreEngine(options.engine()).restore(source, layout, target, journal, progress);
            phases.accept("partitioning");
            tableWriter.write(target.channel(), disk.path(), disk.sizeBytes(), checked.table());
            target.force(true);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot flush " + disk.path() + ": " + e.getMessage(), e);
        }
        rereadPartitions(disk, layout);
        phases.accept("resizing");
        for (RestoreLayout.Target partition : layout.targets()) {
            fitFilesystem(disk, manifest.partition(partition.number()), partition);
        }
        RestoreJournal.open(journalFile, fingerprint).delete();
        return new Result(written, layout.targets());
    }

    /** Partition mode: writes the planned table for the image onto the disk, without writing any data. */
    public List<RestoreLayout.Target> partitionOnly(BlockDevice disk, Path directory, ResizePlan plan) {
        MountTable.system().requireUnused(disk, devices.partitions(disk));
        Manifest manifest = Manifest.read(directory.resolve(Manifest.FILE_NAME));
        Checked checked = check(disk, manifest, plan, false);
        try (FileChannel target = FileChannel.open(disk.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            tableWriter.write(target, disk.path(), disk.sizeBytes(), checked.table());
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + disk.path() + ": " + e.getMessage(), e);
        }
        rereadPartitions(disk, checked.layout());
        return checked.layout().targets();
    }

    /**
     * Everything that can be known before the first write, checked: the sector sizes, the plan against the image (every
     * partition placed, large enough for its filesystem, inside the disk), the new table as the table writer would
     * write it (sfdisk --no-act for MBR), and every tool the restore will run. A refusal here leaves the target as it
     * was.
     */
    Checked check(BlockDevice disk, Manifest manifest, ResizePlan plan, boolean fitFilesystems) {
        checkSectorSizes(manifest, disk, plan);
        RestoreLayout layout = layout(manifest, disk, plan);
        PartitionTable table = newTable(manifest, layout, disk, plan);
        Set<String> needed = new TreeSet<>(List.of("partx"));
        needed.addAll(TableWriter.tools(table.type()));
        if (fitFilesystems) {
            for (RestoreLayout.Target target : layout.targets()) {
                needed.addAll(Filesystems.fitTools(FilesystemType.fromBlkid(manifest.partition(target.number())
                        .filesystem())));
            }
        }
        tools.requirePresent(needed, "restoring onto " + disk.path());
        tableWriter.check(disk.path(), disk.sizeBytes(), table);
        return new Checked(layout, table);
    }

    /**
     * Partition tables count in logical sectors and some filesystems (NTFS, FAT, XFS) record their sector size: an
     * image is restored onto a disk with the sector size it was captured from, and a plan is followed only on the
     * sector size it was made for.
     */
    private static void checkSectorSizes(Manifest manifest, BlockDevice disk, ResizePlan plan) {
        int target = disk.logicalSectorSize();
        if (manifest.table().type() != PartitionTableType.NONE && manifest.table().sectorSize() != target) {
            throw new AgentException(FailureKind.UNSUPPORTED, disk.path() + " has " + target + "-byte logical "
                    + "sectors and the image's " + manifest.table().type() + " table counts in "
                    + manifest.table().sectorSize() + "-byte ones: restoring across sector sizes is not supported");
        }
        if (plan != null && plan.logicalSectorSize() != target) {
            throw new AgentException(FailureKind.PLAN, "the plan was made for " + plan.logicalSectorSize()
                    + "-byte sectors and " + disk.path() + " has " + target + "-byte ones");
        }
    }

    /** The plan's partitions as restore targets, or the source's layout when there is no plan. */
    static RestoreLayout layout(Manifest manifest, BlockDevice disk, ResizePlan plan) {
        PartitionTableType type = manifest.table().type();
        if (plan != null) {
            if (!plan.feasible()) {
                throw new AgentException(FailureKind.PLAN, "the plan is marked infeasible: " + plan.errorMessage());
            }
            if (plan.tableType() != type && type != PartitionTableType.NONE) {
                throw new AgentException(FailureKind.UNSUPPORTED, "the plan asks for a " + plan.tableType()
                        + " table but the image has " + type + "; converting tables is not supported");
            }
        }
        List<RestoreLayout.Target> targets = new ArrayList<>();
        for (ManifestPartition partition : manifest.partitions()) {
            if (plan == null) {
                targets.add(new RestoreLayout.Target(partition.number(), partition.startBytes(), partition.sizeBytes()));
                continue;
            }
            PartitionPlan entry = planEntry(plan, partition.number());
            if (entry.action() == PartitionAction.DELETE || entry.newSizeBytes() == 0) {
                continue;
            }
            targets.add(new RestoreLayout.Target(partition.number(), entry.newStartBytes(), entry.newSizeBytes()));
        }
        int sectorSize = disk.logicalSectorSize();
        long usableStart;
        long usableEnd;
        switch (type) {
            case GPT -> {
                int entries = Math.max(128, manifest.table().gptEntryCount());
                usableStart = TableWriter.gptFirstUsableLba(sectorSize, entries) * sectorSize;
                usableEnd = (TableWriter.gptLastUsableLba(disk.sizeBytes(), sectorSize, entries) + 1) * sectorSize;
            }
            case MBR -> {
                usableStart = sectorSize;
                usableEnd = Math.min(disk.sizeBytes(), 0xffffffffL * sectorSize);
            }
            case NONE -> {
                usableStart = 0;
                usableEnd = disk.sizeBytes();
            }
            default -> throw new IllegalStateException("unknown table type " + type);
        }
        return RestoreLayout.create(manifest, targets, disk.sizeBytes(), sectorSize, usableStart, usableEnd);
    }

    private static PartitionPlan planEntry(ResizePlan plan, int number) {
        return plan.partitions().stream().filter(p -> p.partition() == number).findFirst()
                .orElseThrow(() -> new AgentException(FailureKind.PLAN, "the plan does not say what to do with "
                        + "partition " + number));
    }

    static PartitionTable newTable(Manifest manifest, RestoreLayout layout, BlockDevice disk, ResizePlan plan) {
        List<TablePartition> partitions = new ArrayList<>();
        for (RestoreLayout.Target target : layout.targets()) {
            ManifestPartition source = manifest.partition(target.number());
            partitions.add(new TablePartition(source.number(), target.startBytes(), target.sizeBytes(),
                    source.typeId(), source.uniqueGuid(), source.name(), source.attributes(), source.bootable(),
                    source.logical()));
        }
        ManifestContainer extended = manifest.table().extended();
        if (extended != null) {
            PartitionPlan entry = plan == null ? null : planEntry(plan, extended.number());
            boolean deleted = entry != null && (entry.action() == PartitionAction.DELETE || entry.newSizeBytes() == 0);
            if (deleted && partitions.stream().anyMatch(TablePartition::logical)) {
                throw new AgentException(FailureKind.PLAN, "plan cannot be carried out: it deletes extended "
                        + "partition " + extended.number() + " but keeps logical partitions inside it");
            }
            if (!deleted) {
                partitions.add(new TablePartition(extended.number(),
                        entry == null ? extended.startBytes() : entry.newStartBytes(),
                        entry == null ? extended.sizeBytes() : entry.newSizeBytes(), extended.typeId(), null, null, 0,
                        false, false));
            }
        }
        return new PartitionTable(manifest.table().type(), disk.logicalSectorSize(), manifest.table().diskGuid(),
                manifest.table().mbrSignature(), manifest.table().gptEntryCount(), partitions);
    }

    /**
     * Makes the kernel drop its old view of the disk's partitions and read the new table (partx works for loop devices
     * without partition scanning as well as for real disks), then checks each partition's extent. Where udev runs (the
     * boot image) it re-reads a disk's table by itself once the table's writer closes the disk, racing with partx: so
     * udev is let finish first, and a failed {@code partx -a} only counts when the kernel's view is then wrong.
     */
    private void rereadPartitions(BlockDevice disk, RestoreLayout layout) {
        boolean udev = Files.isExecutable(Path.of("/usr/bin/udevadm")) || Files.isExecutable(Path.of("/bin/udevadm"));
        if (udev) {
            runner.run(List.of("udevadm", "settle"));
        }
        runner.run(List.of("partx", "-d", disk.path().toString()));
        CommandResult added = runner.run(List.of("partx", "-a", disk.path().toString()));
        if (udev) {
            // Let udev create the partition nodes before they are used.
            runner.run(List.of("udevadm", "settle"));
        }
        String partxSaid = added.succeeded() ? "" : " (partx -a: " + added.lastErrorLine() + ")";
        for (RestoreLayout.Target target : layout.targets()) {
            PartitionDevice device = devices.partition(disk, target.number());
            if (device.startBytes() != target.startBytes() || device.sizeBytes() != target.sizeBytes()) {
                throw new AgentException(FailureKind.PARTITION_TABLE, disk.path() + ": after re-reading, the kernel "
                        + "sees partition " + target.number() + " at " + device.startBytes() + "+" + device.sizeBytes()
                        + ", expected " + target.startBytes() + "+" + target.sizeBytes() + partxSaid);
            }
        }
    }

    private void fitFilesystem(BlockDevice disk, ManifestPartition source, RestoreLayout.Target target) {
        PartitionDevice device = devices.partition(disk, target.number());
        FilesystemType type = FilesystemType.fromBlkid(source.filesystem());
        if (type == FilesystemType.SWAP) {
            filesystems.grow(new FilesystemFacts(type, source.filesystem(), source.label(), source.uuid(), null),
                    device.path());
            return;
        }
        if (type == FilesystemType.OTHER) {
            return;
        }
        if (type == FilesystemType.NTFS && target.startBytes() != source.startBytes()) {
            updateNtfsHiddenSectors(device.path(), target.startBytes() / 512);
        }
        FilesystemFacts probed = filesystems.probe(device.path());
        if (probed.type() != type) {
            throw new AgentException(FailureKind.FILESYSTEM, device.path() + ": expected " + source.filesystem()
                    + " after restore, found " + probed.blkidType());
        }
        if (probed.needsCheck() != null && (type == FilesystemType.XFS || type == FilesystemType.BTRFS)) {
            // Captured unclean and whole, so the log's blocks are here: the target is ours to change, and mounting it
            // once replays the log as the kernel would after a power cut (xfs_repair refuses an unreplayed log).
            String reason = probed.needsCheck();
            LOG.info(() -> device.path() + ": replaying the " + type + " log: " + reason);
            filesystems.replayLog(probed, device.path());
            probed = filesystems.probe(device.path());
        }
        FilesystemFacts facts = probed;
        // Filesystems end on their own block (or cluster) boundary, so a few KiB short of the partition is "full".
        boolean grow = type.canGrow() && facts.filesystemBytes() != null
                && target.sizeBytes() - facts.filesystemBytes() >= GROW_THRESHOLD;
        if (grow) {
            LOG.info(() -> device.path() + ": growing " + type + " from " + facts.filesystemBytes() + " to fill "
                    + target.sizeBytes() + " bytes");
            filesystems.check(facts, device.path(), true);
            filesystems.grow(facts, device.path());
        }
        filesystems.check(filesystems.probe(device.path()), device.path(), false);
    }

    /**
     * NTFS boot sectors record where the partition starts ("hidden sectors", offset 0x1C); Windows will not boot from a
     * moved partition whose boot sector still names the old start. Both the boot sector and its backup are updated.
     */
    private static void updateNtfsHiddenSectors(Path device, long startSector) {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] boot = DeviceIo.read(channel, device.toString(), 0, 512);
            ByteBuffer buffer = ByteBuffer.wrap(boot).order(ByteOrder.LITTLE_ENDIAN);
            int bytesPerSector = buffer.getShort(0x0b) & 0xffff;
            long backup = buffer.getLong(0x28) * bytesPerSector;
            buffer.putInt(0x1c, (int) startSector);
            DeviceIo.writeFully(channel, device.toString(), 0, boot, 0, 512);
            if (backup + 512 <= channel.size()) {
                byte[] copy = DeviceIo.read(channel, device.toString(), backup, 512);
                if (new String(copy, 3, 4, StandardCharsets.US_ASCII).equals("NTFS")) {
                    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(0x1c, (int) startSector);
                    DeviceIo.writeFully(channel, device.toString(), backup, copy, 0, 512);
                }
            }
            channel.force(true);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot update the NTFS boot sector of " + device + ": "
                    + e.getMessage(), e);
        }
    }
}
