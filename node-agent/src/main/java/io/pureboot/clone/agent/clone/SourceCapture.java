package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.MountTable;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.fs.FilesystemRepair;
import io.pureboot.clone.agent.fs.ExtentMap;
import io.pureboot.clone.agent.fs.FilesystemFacts;
import io.pureboot.clone.agent.fs.FilesystemType;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureChunk;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ChunkSpec;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ManifestContainer;
import io.pureboot.clone.agent.image.ManifestDisk;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.agent.image.ManifestTable;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.table.PartitionTable;
import io.pureboot.clone.agent.table.TablePartition;
import io.pureboot.clone.events.session.SourceRepair;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Captures a source disk into a staging directory. With shrink, each shrinkable filesystem is checked, shrunk to its
 * minimum plus a margin, checked again, captured, grown back and checked once more; any failed check stops before the
 * next step that changes the disk, and growing back is also registered with {@link Cleanup} so that a signal still
 * returns the source to its original state. The partition table is never written.
 */
public final class SourceCapture {

    private static final Logger LOG = Logger.getLogger(SourceCapture.class.getName());
    public static final String AGENT_NAME = "pureboot-node-agent 0.1.0";

    /**
     * @param shrink shrink filesystems for the capture (resize mode shrink_source)
     * @param chunkSize the image's chunk size
     * @param engine pipeline options
     * @param repairSource repair filesystem errors the read-only check finds instead of stopping (session option)
     */
    public record Options(boolean shrink, int chunkSize, CaptureEngine.Options engine, boolean repairSource) {
        public Options {
            requireNonNull(engine, "engine is null");
        }

        public Options(boolean shrink, int chunkSize, CaptureEngine.Options engine) {
            this(shrink, chunkSize, engine, false);
        }
    }

    /**
     * The captured image: its manifest, the manifest file's SHA-256, the pipeline's figures and the repairs made to the
     * source before it was captured (only with repair_source; reported to the clone-service for the audit).
     */
    public record Result(Manifest manifest, String manifestSha256, CaptureEngine.Result engine,
            List<SourceRepair> repairs) {
        public Result {
            repairs = List.copyOf(repairs);
        }
    }

    private final BlockDevices devices;
    private final Filesystems filesystems;
    private final Cleanup cleanup;

    public SourceCapture(BlockDevices devices, Filesystems filesystems, Cleanup cleanup) {
        this.devices = requireNonNull(devices, "devices is null");
        this.filesystems = requireNonNull(filesystems, "filesystems is null");
        this.cleanup = requireNonNull(cleanup, "cleanup is null");
    }

    private static final class Part {
        final TablePartition entry;
        final PartitionDevice device;
        FilesystemFacts facts;
        Long minimum;
        Optional<ExtentMap> used = Optional.empty();
        boolean shrunk;
        boolean grownBack;

        Part(TablePartition entry, PartitionDevice device, FilesystemFacts facts) {
            this.entry = entry;
            this.device = device;
            this.facts = facts;
        }
    }

    public Result capture(BlockDevice disk, Path directory, Options options, Consumer<String> phases,
            ProgressListener progress) {
        return withPreparedDisk(disk, options.shrink(), options.repairSource(), options.chunkSize(), phases,
                "uploading",
                prepared -> captureImage(disk, prepared, directory, options, progress));
    }

    /**
     * The source disk made ready to be read: its table, its partitions (shrunk when asked) with their facts and
     * block maps, and the chunks to read. Direct mode serves these chunks instead of writing them to staging.
     */
    public final class Prepared {
        private final BlockDevice disk;
        private final PartitionTable table;
        private final List<Part> parts;
        private final int chunkSize;
        private final List<CaptureChunk> chunks;
        private final List<SourceRepair> repairs;

        private Prepared(BlockDevice disk, PartitionTable table, List<Part> parts, int chunkSize,
                List<SourceRepair> repairs) {
            this.disk = disk;
            this.table = table;
            this.parts = parts;
            this.chunkSize = chunkSize;
            this.chunks = captureChunks(disk, parts, chunkSize);
            this.repairs = List.copyOf(repairs);
        }

        public BlockDevice disk() {
            return disk;
        }

        /** What was repaired on the source before it was prepared (repair_source only); empty when nothing was. */
        public List<SourceRepair> repairs() {
            return repairs;
        }

        /** What to read of each chunk, in disk order. */
        public List<CaptureChunk> chunks() {
            return chunks;
        }

        /** The manifest for these chunks. */
        public Manifest manifest(List<ManifestChunk> manifestChunks, long imageBytes, String compression, int level) {
            return SourceCapture.manifest(disk, table, parts, manifestChunks, imageBytes, compression, level,
                    chunkSize);
        }
    }

    /**
     * Prepares the disk (shrinking its filesystems first when {@code shrink}), runs {@code work} in phase
     * {@code phase}, then grows every shrunk filesystem back (also when {@code work} fails; and, for a signal, from the
     * cleanup stack).
     */
    public <T> T withPreparedDisk(BlockDevice disk, boolean shrink, boolean repairSource, int chunkSize,
            Consumer<String> phases, String phase, Function<Prepared, T> work) {
        MountTable.system().requireUnused(disk, devices.partitions(disk));
        PartitionTable table = DiskSession.readTable(disk);
        List<Part> parts = new ArrayList<>();
        for (TablePartition entry : DiskSession.dataPartitions(table)) {
            PartitionDevice device = DiskSession.kernelPartition(devices, disk, entry);
            parts.add(new Part(entry, device, filesystems.probe(device.path())));
        }
        // Before anything changes the source, and before resize2fs -P reads metadata a damaged filesystem would make
        // it misreport: every filesystem that may be shrunk is checked read-only.
        List<SourceRepair> repairs = shrink ? checkBeforeShrinking(parts, repairSource, phases) : List.of();
        try {
            return withCheckedParts(disk, table, parts, shrink, chunkSize, phases, phase, work, repairs);
        } catch (AgentException e) {
            if (repairs.isEmpty()) {
                throw e;
            }
            // The source was changed before this failure: the operator must hear of it with the failure.
            // Both parts bounded, so that the whole fits the node API's failure message (2000 characters).
            throw new AgentException(e.kind(), bounded(List.of(e.getMessage()), 1200) + " (before this the source "
                    + "was repaired as the session asked: " + bounded(repairs.stream().map(SourceCapture::describe)
                            .toList(), 700) + ")", e);
        }
    }

    private <T> T withCheckedParts(BlockDevice disk, PartitionTable table, List<Part> parts, boolean shrink,
            int chunkSize, Consumer<String> phases, String phase, Function<Prepared, T> work,
            List<SourceRepair> repairs) {
        for (Part part : parts) {
            if (part.facts.type() == FilesystemType.OTHER && part.facts.blkidType() != null) {
                // LVM members, BitLocker, LUKS and other containers: the agent cannot see or resize their contents.
                LOG.info(() -> part.device.path() + ": " + part.facts.blkidType() + " is copied raw, not resized");
            }
            // A filesystem that needs a check has no trustworthy minimum (resize2fs -P refuses it): it is not shrunk.
            if (part.facts.type().canShrink() && part.facts.type() != FilesystemType.SWAP
                    && part.facts.needsCheck() == null) {
                part.minimum = filesystems.minimumBytes(part.facts, part.device.path());
            }
        }
        try {
            if (shrink) {
                phases.accept("shrinking");
                shrinkAll(parts);
            }
            for (Part part : parts) {
                part.used = filesystems.usedMap(part.facts, part.device.path());
            }
            phases.accept(phase);
            T result = work.apply(new Prepared(disk, table, parts, chunkSize, repairs));
            if (shrink) {
                phases.accept("growing_source");
            }
            growBack(parts);
            return result;
        } finally {
            // On failure the grow-back still runs here (and, for signals, from Cleanup); it is idempotent.
            growBackQuietly(parts);
        }
    }

    /**
     * Checks every shrinkable filesystem read-only (e2fsck -fn, ntfsresize --check --no-action, btrfs check
     * --readonly). With errors the capture stops here, the source unchanged, naming what the tool found; only when the
     * session asked for the repair are they repaired first, in phase {@code repairing_source}, the tool's summary
     * logged and returned (the clone-service puts it in the audit).
     */
    private List<SourceRepair> checkBeforeShrinking(List<Part> parts, boolean repairSource,
            Consumer<String> phases) {
        List<Part> damaged = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        for (Part part : parts) {
            FilesystemType type = part.facts.type();
            if (!type.canShrink() || type == FilesystemType.SWAP) {
                continue;
            }
            Optional<String> errors = filesystems.findErrors(part.facts, part.device.path())
                    .or(() -> Optional.ofNullable(part.facts.needsCheck()));
            if (errors.isPresent()) {
                damaged.add(part);
                findings.add(part.device.path() + " (" + part.facts.blkidType() + "): " + errors.get());
            }
        }
        if (damaged.isEmpty()) {
            return List.of();
        }
        if (!repairSource) {
            throw new AgentException(FailureKind.FILESYSTEM, "the source has filesystem errors and was not changed "
                    + "(shrink_source repairs only when the session asks for repair_source): "
                    + String.join("; ", findings));
        }
        phases.accept("repairing_source");
        List<SourceRepair> repairs = new ArrayList<>();
        for (Part part : damaged) {
            FilesystemRepair repair = filesystems.repair(part.facts, part.device.path());
            LOG.warning(() -> part.device.path() + " (partition " + part.entry.number() + "): repaired as the session "
                    + "asked (repair_source): " + repair.describe());
            repairs.add(new SourceRepair(part.entry.number(), bounded(List.of(repair.tool()), SourceRepair.MAX_TOOL),
                    repair.exitCode(), repair.summary()));
            part.facts = filesystems.probe(part.device.path());
        }
        return List.copyOf(repairs);
    }

    /** One line for a log or a failure message: partition, tool, exit code and summary. */
    public static String describe(SourceRepair repair) {
        return "partition " + repair.partition() + ": '" + repair.tool() + "' exited with " + repair.exitCode() + ": "
                + repair.summary();
    }

    private static String bounded(List<String> texts, int max) {
        String text = String.join("; ", texts);
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private void shrinkAll(List<Part> parts) {
        for (Part part : parts) {
            FilesystemType type = part.facts.type();
            if (!type.canShrink() || type == FilesystemType.SWAP || part.minimum == null
                    || part.facts.filesystemBytes() == null) {
                continue;
            }
            long target = Filesystems.shrinkTarget(type, part.minimum, part.facts.filesystemBytes());
            if (target >= part.facts.filesystemBytes()) {
                continue;
            }
            filesystems.check(part.facts, part.device.path(), true);
            LOG.info(() -> part.device.path() + ": shrinking " + type + " from " + part.facts.filesystemBytes()
                    + " to " + target + " bytes for capture");
            part.shrunk = true;
            cleanup.push("grow " + part.device.path() + " back", () -> growBack(part));
            filesystems.shrink(part.facts, part.device.path(), target);
            part.facts = filesystems.probe(part.device.path());
            filesystems.check(part.facts, part.device.path(), false);
        }
    }

    private void growBack(List<Part> parts) {
        for (Part part : parts) {
            growBack(part);
        }
    }

    private synchronized void growBack(Part part) {
        if (!part.shrunk || part.grownBack) {
            return;
        }
        filesystems.grow(part.facts, part.device.path());
        part.grownBack = true;
        part.facts = filesystems.probe(part.device.path());
        filesystems.check(part.facts, part.device.path(), false);
    }

    private void growBackQuietly(List<Part> parts) {
        for (Part part : parts) {
            try {
                growBack(part);
            } catch (AgentException e) {
                LOG.severe(part.device.path() + " could not be grown back after the capture: " + e.getMessage());
            }
        }
    }

    private static List<CaptureChunk> captureChunks(BlockDevice disk, List<Part> parts, int chunkSize) {
        List<TablePartition> entries = parts.stream().map(p -> p.entry).toList();
        List<ChunkSpec> specs = ChunkLayout.plan(disk.sizeBytes(), entries, chunkSize);
        Map<Integer, Part> byNumber = new HashMap<>();
        parts.forEach(p -> byNumber.put(p.entry.number(), p));
        List<CaptureChunk> chunks = new ArrayList<>(specs.size());
        for (ChunkSpec spec : specs) {
            Part part = byNumber.get(spec.partition());
            if (part == null || part.used.isEmpty()) {
                chunks.add(CaptureChunk.all(spec));
            } else {
                chunks.add(CaptureChunk.fromMap(spec, part.used.get()));
            }
        }
        return List.copyOf(chunks);
    }

    private Result captureImage(BlockDevice disk, Prepared prepared, Path directory, Options options,
            ProgressListener progress) {
        CaptureEngine engine = new CaptureEngine(options.engine());
        CaptureEngine.Result captured;
        try (FileChannel source = FileChannel.open(disk.path(), StandardOpenOption.READ)) {
            captured = engine.capture(source, disk.path().toString(), disk.sizeBytes(), prepared.chunks(), directory,
                    progress);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + disk.path() + ": " + e.getMessage(), e);
        }
        Manifest manifest = prepared.manifest(captured.chunks(), captured.imageBytes(), Manifest.STAGED,
                options.engine().codec().level());
        manifest.validate();
        manifest.write(directory);
        return new Result(manifest, sha256(manifest.toJson()), captured, prepared.repairs());
    }

    private static Manifest manifest(BlockDevice disk, PartitionTable table, List<Part> parts,
            List<ManifestChunk> chunks, long imageBytes, String compression, int level, int chunkSize) {
        List<ManifestPartition> partitions = new ArrayList<>();
        for (Part part : parts) {
            TablePartition entry = part.entry;
            int first = -1;
            int count = 0;
            for (ManifestChunk chunk : chunks) {
                if (chunk.partition() == entry.number()) {
                    first = first < 0 ? chunk.index() : first;
                    count++;
                }
            }
            partitions.add(new ManifestPartition(entry.number(), entry.startBytes(), entry.sizeBytes(), entry.typeId(),
                    entry.uniqueGuid(), entry.name(), entry.attributes(), entry.bootable(), entry.logical(),
                    part.facts.blkidType(), part.facts.label(), part.facts.uuid(), part.facts.filesystemBytes(),
                    part.used.map(ExtentMap::usedBytes).orElse(null), part.minimum, part.shrunk, Math.max(first, 0),
                    count));
        }
        return new Manifest(Manifest.FORMAT_VERSION, AGENT_NAME, chunkSize, compression, level,
                new ManifestDisk(disk.stableId(), disk.serial(), disk.wwn(), disk.model(), disk.sizeBytes(),
                        disk.logicalSectorSize(), disk.physicalSectorSize()),
                new ManifestTable(table.type(), table.sectorSize(), table.diskGuid(), table.mbrSignature(),
                        table.gptEntryCount(), table.partitions().stream().filter(DiskSession::isExtendedContainer)
                                .findFirst().map(e -> new ManifestContainer(e.number(), e.typeId(), e.startBytes(),
                                        e.sizeBytes())).orElse(null)),
                partitions, chunks, imageBytes);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
