package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.disk.DeviceIo;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an NTFS, XFS or btrfs filesystem was left unclean, so that neither its metadata nor its tools' sizes can be
 * trusted before a check (the ext case is {@link ExtFilesystem.Superblock#needsCheck()}). Each answer reads only: the
 * btrfs superblock natively, NTFS through {@code ntfsinfo}, XFS through {@code xfs_logprint}.
 */
final class UncleanState {

    /** NTFS $Volume's VOLUME_INFORMATION flag: chkdsk must run (Windows does at its next boot). */
    static final int NTFS_VOLUME_IS_DIRTY = 0x0001;
    private static final Pattern NTFS_FLAGS = Pattern.compile("Volume Flags:\\s*0x([0-9a-fA-F]+)");
    private static final Pattern XFS_LOG_STATE = Pattern.compile("log tail: \\d+ head: \\d+ state: <(\\w+)>");
    private static final long BTRFS_SUPERBLOCK = 0x10000;
    private static final int BTRFS_LOG_ROOT = 0x60;

    private UncleanState() {
    }

    /** A btrfs whose superblock names a log tree: fsynced changes not yet committed, replayed at the next mount. */
    static Optional<String> btrfs(FileChannel channel, String device) {
        ByteBuffer sb = ByteBuffer.wrap(DeviceIo.read(channel, device, BTRFS_SUPERBLOCK, 4096))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (!"_BHRfS_M".equals(new String(sb.array(), 0x40, 8, StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long logRoot = sb.getLong(BTRFS_LOG_ROOT);
        if (logRoot == 0) {
            return Optional.empty();
        }
        return Optional.of("the btrfs log tree needs replay (log_root " + Long.toUnsignedString(logRoot) + " is set: "
                + "fsynced changes were not committed, for example after a power cut)");
    }

    /** An NTFS volume marked dirty, or one ntfsinfo cannot open even forced (its message says why). */
    static Optional<String> ntfs(CommandRunner runner, Path device) {
        CommandResult result = runner.run(List.of("ntfsinfo", "--force", "--mft", device.toString()));
        if (!result.succeeded()) {
            return Optional.of("'" + result.commandLine() + "' exited with " + result.exitCode() + ": "
                    + result.lastErrorLine());
        }
        Matcher matcher = NTFS_FLAGS.matcher(result.stdout());
        if (!matcher.find()) {
            return Optional.empty();
        }
        int flags = Integer.parseUnsignedInt(matcher.group(1), 16);
        if ((flags & NTFS_VOLUME_IS_DIRTY) == 0) {
            return Optional.empty();
        }
        return Optional.of("the NTFS volume is marked dirty (scheduled for chkdsk: Windows was not shut down "
                + "cleanly, found an error, or ntfsresize resized it; booting Windows once checks it)");
    }

    /** An XFS whose log holds changes not yet written to the filesystem (replayed at the next mount). */
    static Optional<String> xfs(CommandRunner runner, Path device) {
        CommandResult result = runner.run(List.of("xfs_logprint", "-t", device.toString()));
        Matcher matcher = XFS_LOG_STATE.matcher(result.stdout());
        if (!matcher.find()) {
            return result.succeeded() ? Optional.empty()
                    : Optional.of("'" + result.commandLine() + "' exited with " + result.exitCode() + ": "
                            + result.lastErrorLine());
        }
        if (!"DIRTY".equals(matcher.group(1))) {
            return Optional.empty();
        }
        return Optional.of("the XFS log needs recovery (xfs_logprint: state DIRTY: the filesystem was not unmounted "
                + "cleanly, for example after a power cut)");
    }
}
