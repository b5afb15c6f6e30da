package io.pureboot.clone.agent.fs;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Probing, used-block maps, minimum sizes, checks, shrinking and growing for each filesystem type. Maps of ext and FAT
 * are read natively; NTFS, XFS and btrfs maps come from partclone; everything that changes a filesystem goes through
 * the filesystem's own tool.
 */
public final class Filesystems {

    private static final Logger LOG = Logger.getLogger(Filesystems.class.getName());

    /** Swap keeps only its header page(s); mkswap rewrites the rest on the target. */
    static final long SWAP_HEADER_BYTES = 64 * 1024;
    private static final long MEBIBYTE = 1 << 20;
    private static final Pattern RESIZE2FS_MINIMUM = Pattern.compile("minimum size of the filesystem:\\s*(\\d+)");
    private static final Pattern NTFS_MINIMUM = Pattern.compile("You might resize at (\\d+) bytes");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d+)");

    private final CommandRunner runner;

    public Filesystems(CommandRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
    }

    /** The kernel refuses to resize a btrfs device below 256 MiB. */
    static final long BTRFS_SMALLEST = 256 * MEBIBYTE;

    /**
     * The shrink target for capture: the minimum plus max(5%, 16 MiB), rounded up to MiB (and for btrfs at least 256
     * MiB), never above the current size.
     */
    public static long shrinkTarget(FilesystemType type, long minimumBytes, long currentBytes) {
        long margin = Math.max(minimumBytes / 20, 16 * MEBIBYTE);
        long target = (minimumBytes + margin + MEBIBYTE - 1) / MEBIBYTE * MEBIBYTE;
        if (type == FilesystemType.BTRFS) {
            target = Math.max(target, BTRFS_SMALLEST);
        }
        return Math.min(target, currentBytes);
    }

    /**
     * The tools a restore runs to fit a filesystem of this type into its new partition ({@link #probe}, {@link #check}
     * with repair, {@link #grow}), so that a restore can find them all before its first write. Keep in step with the
     * commands below.
     */
    public static List<String> fitTools(FilesystemType type) {
        return switch (type) {
            case EXT2, EXT3, EXT4 -> List.of("blkid", "e2fsck", "resize2fs");
            case NTFS -> List.of("blkid", "ntfsinfo", "ntfsfix", "ntfsresize");
            case XFS -> List.of("blkid", "xfs_logprint", "xfs_repair", "xfs_growfs", "mount", "umount");
            case BTRFS -> List.of("blkid", "btrfs", "mount", "umount");
            case VFAT -> List.of("blkid", "fsck.fat");
            case SWAP -> List.of("mkswap");
            case OTHER -> List.of();
        };
    }

    public FilesystemFacts probe(Path device) {
        Blkid.Probe probe = Blkid.probe(runner, device);
        FilesystemType type = FilesystemType.fromBlkid(probe.type());
        Long size = null;
        String needsCheck = null;
        if (type != FilesystemType.OTHER && type != FilesystemType.SWAP) {
            try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
                size = NativeSizes.filesystemBytes(type, channel, device.toString()).orElse(null);
                needsCheck = switch (type) {
                    case EXT2, EXT3, EXT4 -> ExtFilesystem.superblock(channel, device.toString())
                            .flatMap(ExtFilesystem.Superblock::needsCheck).orElse(null);
                    case BTRFS -> UncleanState.btrfs(channel, device.toString()).orElse(null);
                    case NTFS -> UncleanState.ntfs(runner, device).orElse(null);
                    case XFS -> UncleanState.xfs(runner, device).orElse(null);
                    case VFAT, SWAP, OTHER -> null;
                };
            } catch (IOException e) {
                throw new AgentException(FailureKind.DISK, "cannot open " + device + ": " + e.getMessage(), e);
            }
        }
        return new FilesystemFacts(type, probe.type(), probe.label(), probe.uuid(), size, needsCheck);
    }

    /**
     * The used ranges relative to the partition start, limited to the filesystem's extent; empty when the filesystem
     * cannot be mapped (then every byte is read and zero runs are detected).
     */
    public Optional<ExtentMap> usedMap(FilesystemFacts facts, Path device) {
        if (facts.needsCheck() != null && facts.type().hasReplayableLog()) {
            // Blocks written by the transactions still in the journal (ext), log (XFS) or log tree (btrfs) are not in
            // the allocation maps yet: reading every byte keeps them, and the target replays the log over a complete
            // copy. (A dirty NTFS keeps its map: the flag asks for chkdsk, and ntfsresize itself sets it.)
            return Optional.empty();
        }
        Optional<ExtentMap> map = switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> withChannel(device, channel -> ExtFilesystem.usedMap(channel, device.toString()));
            case VFAT -> withChannel(device, channel -> FatFilesystem.usedMap(channel, device.toString()));
            case NTFS, XFS, BTRFS -> Optional.of(PartcloneDomain.usedMap(runner, facts.type(), device));
            case SWAP -> Optional.of(new ExtentMap().add(0, SWAP_HEADER_BYTES));
            case OTHER -> Optional.empty();
        };
        if (map.isPresent() && facts.filesystemBytes() != null) {
            return Optional.of(map.get().clippedTo(facts.filesystemBytes()));
        }
        return map;
    }

    /** The smallest size the filesystem can be shrunk to, as its tool reports it; null when it cannot shrink. */
    public Long minimumBytes(FilesystemFacts facts, Path device) {
        return switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> {
                CommandResult result = runner.runChecked(FailureKind.FILESYSTEM, List.of("resize2fs", "-P",
                        device.toString()));
                Matcher matcher = RESIZE2FS_MINIMUM.matcher(result.stdout() + result.stderr());
                if (!matcher.find()) {
                    throw new AgentException(FailureKind.TOOL, "resize2fs -P " + device + " printed no minimum size");
                }
                int blockSize = withChannel(device, channel -> ExtFilesystem.superblock(channel, device.toString()))
                        .map(ExtFilesystem.Superblock::blockSize).orElse(4096);
                yield Long.parseLong(matcher.group(1)) * blockSize;
            }
            case NTFS -> {
                CommandResult result = runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsresize", "--info",
                        "--force", "--no-action", device.toString()));
                Matcher matcher = NTFS_MINIMUM.matcher(result.stdout());
                if (!matcher.find()) {
                    throw new AgentException(FailureKind.TOOL, "ntfsresize --info " + device + " printed no minimum: "
                            + result.lastErrorLine());
                }
                yield Long.parseLong(matcher.group(1));
            }
            case BTRFS -> {
                try (TemporaryMount mount = TemporaryMount.mount(runner, device, "btrfs", false)) {
                    CommandResult result = runner.runChecked(FailureKind.FILESYSTEM, List.of("btrfs", "inspect-internal",
                            "min-dev-size", "--id", "1", mount.directory().toString()));
                    Matcher matcher = LEADING_NUMBER.matcher(result.stdout());
                    if (!matcher.find()) {
                        throw new AgentException(FailureKind.TOOL, "btrfs min-dev-size printed '" + result.stdout()
                                .strip() + "'");
                    }
                    yield Long.parseLong(matcher.group(1));
                }
            }
            case SWAP -> MEBIBYTE;
            case VFAT, XFS, OTHER -> null;
        };
    }

    /**
     * Checks the filesystem. With {@code repair}, safe repairs are allowed (needed before resize2fs); without, the check
     * only reads. Fails naming the tool and its message.
     */
    public void check(FilesystemFacts facts, Path device, boolean repair) {
        String path = device.toString();
        switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> {
                CommandResult result = runner.run(List.of("e2fsck", "-f", repair ? "-y" : "-n", path));
                // 0: clean; 1: errors corrected (only acceptable when repairing).
                if (result.exitCode() != 0 && !(repair && result.exitCode() == 1)) {
                    throw checkFailed(result);
                }
            }
            case NTFS -> {
                if (repair) {
                    runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsfix", "-d", path));
                }
                runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsresize", "--check", "--force", path));
            }
            case XFS -> {
                CommandResult result = runner.run(List.of("xfs_repair", "-n", path));
                if (!result.succeeded()) {
                    throw checkFailed(result);
                }
            }
            case BTRFS -> {
                CommandResult result = runner.run(List.of("btrfs", "check", "--readonly", path));
                if (!result.succeeded()) {
                    throw checkFailed(result);
                }
            }
            case VFAT -> {
                CommandResult result = runner.run(List.of("fsck.fat", repair ? "-a" : "-n", path));
                if (!result.succeeded()) {
                    throw checkFailed(result);
                }
            }
            case SWAP, OTHER -> {
                return;
            }
        }
    }

    /**
     * The read-only check a source gets before anything changes it: empty when the filesystem is clean, else what the
     * tool found (its report without the pass headers).
     */
    public Optional<String> findErrors(FilesystemFacts facts, Path device) {
        String path = device.toString();
        List<String> command = switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> List.of("e2fsck", "-f", "-n", path);
            case NTFS -> List.of("ntfsresize", "--check", "--no-action", "--force", path);
            case BTRFS -> List.of("btrfs", "check", "--readonly", path);
            case XFS -> List.of("xfs_repair", "-n", path);
            case VFAT -> List.of("fsck.fat", "-n", path);
            case SWAP, OTHER -> List.of();
        };
        if (command.isEmpty()) {
            return Optional.empty();
        }
        CommandResult result = runner.run(command);
        return result.succeeded() ? Optional.empty()
                : Optional.of("'" + result.commandLine() + "' exited with " + result.exitCode() + ": " + findings(result));
    }

    /** Repairs a source filesystem the session allowed to be repaired; returns what the tool did. */
    public FilesystemRepair repair(FilesystemFacts facts, Path device) {
        String path = device.toString();
        return switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> {
                CommandResult result = runner.run(List.of("e2fsck", "-f", "-y", path));
                // 1: errors corrected; 2: corrected, reboot advised (a mounted root; not the case here).
                if (result.exitCode() > 2) {
                    throw checkFailed(result);
                }
                yield repaired(result);
            }
            case NTFS -> repaired(runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsfix", "-d", path)));
            case BTRFS -> {
                // A log tree that needs replay is what every mount replays: that the agent does. Damage btrfs check
                // finds it leaves alone (btrfs check --repair can lose data).
                if (facts.needsCheck() != null && findErrors(facts, device).isEmpty()) {
                    replayLog(facts, device);
                    String summary = "log replayed by mounting it once: " + facts.needsCheck();
                    yield new FilesystemRepair("mount -t btrfs " + path, 0, summary.length()
                            > FilesystemRepair.MAX_SUMMARY ? summary.substring(0, FilesystemRepair.MAX_SUMMARY)
                            : summary);
                }
                throw new AgentException(FailureKind.FILESYSTEM, path + ": btrfs is not repaired by the agent (its "
                        + "repair tools can lose data): repair it by hand, then capture again");
            }
            case XFS, VFAT, SWAP, OTHER -> throw new AgentException(FailureKind.FILESYSTEM, path + ": "
                    + facts.type().name().toLowerCase(Locale.ROOT) + " is not repaired by the agent (its repair tools "
                    + "can lose data): repair it by hand, then capture again");
        };
    }

    private static FilesystemRepair repaired(CommandResult result) {
        return new FilesystemRepair(result.commandLine(), result.exitCode(), findings(result));
    }

    /**
     * What a check tool reported, without its banner and pass headers, on one line (at most
     * {@link FilesystemRepair#MAX_SUMMARY} characters).
     */
    static String findings(CommandResult result) {
        String text = (result.stdout() + "\n" + result.stderr()).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.matches("(?i)pass \\d.*|e2fsck \\d.*|ntfsresize v.*"
                        + "|checking .*|opening filesystem.*|\\[\\d/\\d\\].*|.*\\*\\*\\*\\*\\*.*"))
                .reduce((a, b) -> a + "; " + b).orElse(result.lastErrorLine());
        // Plain text for the node API and the audit: no tabs or other control characters, no half surrogate pair.
        text = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
        int max = FilesystemRepair.MAX_SUMMARY;
        if (text.length() <= max) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(max - 4)) ? max - 4 : max - 3;
        return text.substring(0, cut) + "...";
    }

    /** Shrinks the filesystem to {@code bytes} (which must be at least its minimum); the partition is not touched. */
    public void shrink(FilesystemFacts facts, Path device, long bytes) {
        String path = device.toString();
        switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> runner.runChecked(FailureKind.FILESYSTEM, List.of("resize2fs", path,
                    (bytes / 1024) + "K"));
            case NTFS -> runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsresize", "--force", "--size",
                    Long.toString(bytes), path));
            case BTRFS -> {
                try (TemporaryMount mount = TemporaryMount.mount(runner, device, "btrfs", false)) {
                    runner.runChecked(FailureKind.FILESYSTEM, List.of("btrfs", "filesystem", "resize", "1:" + bytes,
                            mount.directory().toString()));
                }
            }
            case SWAP -> {
                return;
            }
            case VFAT, XFS, OTHER -> throw new AgentException(FailureKind.FILESYSTEM, path + ": "
                    + facts.type().name().toLowerCase(Locale.ROOT) + " cannot be shrunk");
        }
    }

    /** Grows (or fits) the filesystem to fill its partition; swap is recreated keeping its UUID and label. */
    public void grow(FilesystemFacts facts, Path device) {
        String path = device.toString();
        switch (facts.type()) {
            case EXT2, EXT3, EXT4 -> runner.runChecked(FailureKind.FILESYSTEM, List.of("resize2fs", path));
            case NTFS -> runner.runChecked(FailureKind.FILESYSTEM, List.of("ntfsresize", "--force", path));
            case XFS -> {
                try (TemporaryMount mount = TemporaryMount.mount(runner, device, "xfs", false)) {
                    runner.runChecked(FailureKind.FILESYSTEM, List.of("xfs_growfs", mount.directory().toString()));
                }
            }
            case BTRFS -> {
                try (TemporaryMount mount = TemporaryMount.mount(runner, device, "btrfs", false)) {
                    runner.runChecked(FailureKind.FILESYSTEM, List.of("btrfs", "filesystem", "resize", "1:max",
                            mount.directory().toString()));
                }
            }
            case SWAP -> runner.runChecked(FailureKind.FILESYSTEM, mkswap(facts, device));
            case VFAT, OTHER -> {
                return;
            }
        }
    }

    /**
     * Replays the log of an XFS or btrfs that was not unmounted cleanly, by mounting it once (what the kernel does;
     * their repair tools refuse or discard an unreplayed log). Only for a filesystem the agent may change: a target.
     */
    public void replayLog(FilesystemFacts facts, Path device) {
        String type = switch (facts.type()) {
            case XFS -> "xfs";
            case BTRFS -> "btrfs";
            case EXT2, EXT3, EXT4, NTFS, VFAT, SWAP, OTHER -> throw new IllegalArgumentException(
                    "only XFS and btrfs logs are replayed by mounting, not " + facts.type());
        };
        try (TemporaryMount mount = TemporaryMount.mount(runner, device, type, false)) {
            LOG.fine(() -> device + ": log replayed by mounting it at " + mount.directory());
        }
    }

    static List<String> mkswap(FilesystemFacts facts, Path device) {
        List<String> command = new ArrayList<>(List.of("mkswap"));
        if (facts.uuid() != null) {
            command.addAll(List.of("-U", facts.uuid()));
        }
        if (facts.label() != null) {
            command.addAll(List.of("-L", facts.label()));
        }
        command.add(device.toString());
        return command;
    }

    private static AgentException checkFailed(CommandResult result) {
        return new AgentException(FailureKind.FILESYSTEM, "filesystem check '" + result.commandLine() + "' failed with "
                + result.exitCode() + ": " + result.lastErrorLine());
    }

    private interface ChannelFunction<T> {
        T apply(FileChannel channel);
    }

    private static <T> T withChannel(Path device, ChannelFunction<T> function) {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return function.apply(channel);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + device + ": " + e.getMessage(), e);
        }
    }
}
