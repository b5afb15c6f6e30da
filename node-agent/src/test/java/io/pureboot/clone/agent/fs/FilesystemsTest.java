package io.pureboot.clone.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.testing.RecordingRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The commands the agent runs to check, measure, shrink and grow each filesystem, and how it reads their answers. */
class FilesystemsTest {

    private static final Path DEVICE = Path.of("/dev/sdz2");
    private final RecordingRunner runner = new RecordingRunner();
    private final Filesystems filesystems = new Filesystems(runner);

    private static FilesystemFacts facts(FilesystemType type) {
        return new FilesystemFacts(type, type.name().toLowerCase(), "label", "0b1c-uuid", 1L << 30);
    }

    @Test
    void ntfsMinimumComesFromNtfsresize() {
        runner.answer("ntfsresize --info", 0, "Current volume size: 99996160 bytes (100 MB)\nYou might resize at "
                + "2035712 bytes or 3 MB (freeing 97 MB).\n", "");

        assertThat(filesystems.minimumBytes(facts(FilesystemType.NTFS), DEVICE)).isEqualTo(2035712L);
        assertThat(runner.lines()).containsExactly("ntfsresize --info --force --no-action /dev/sdz2");
    }

    @Test
    void shrinkAndGrowCommands() {
        filesystems.shrink(facts(FilesystemType.EXT4), DEVICE, 300L << 20);
        filesystems.shrink(facts(FilesystemType.NTFS), DEVICE, 300L << 20);
        filesystems.grow(facts(FilesystemType.EXT4), DEVICE);
        filesystems.grow(facts(FilesystemType.NTFS), DEVICE);
        filesystems.grow(facts(FilesystemType.SWAP), DEVICE);

        assertThat(runner.lines()).containsExactly(
                "resize2fs /dev/sdz2 307200K",
                "ntfsresize --force --size 314572800 /dev/sdz2",
                "resize2fs /dev/sdz2",
                "ntfsresize --force /dev/sdz2",
                "mkswap -U 0b1c-uuid -L label /dev/sdz2");
    }

    @Test
    void xfsAndFatCannotShrink() {
        assertThatThrownBy(() -> filesystems.shrink(facts(FilesystemType.XFS), DEVICE, 1 << 30))
                .hasMessage("/dev/sdz2: xfs cannot be shrunk");
        assertThat(filesystems.minimumBytes(facts(FilesystemType.VFAT), DEVICE)).isNull();
    }

    @Test
    void e2fsckCorrectionsAreAcceptedOnlyWhenRepairing() {
        runner.answer("e2fsck", 1, "", "root: ***** FILE SYSTEM WAS MODIFIED *****");
        filesystems.check(facts(FilesystemType.EXT4), DEVICE, true);

        assertThatThrownBy(() -> filesystems.check(facts(FilesystemType.EXT4), DEVICE, false))
                .hasMessage("filesystem check 'e2fsck -f -n /dev/sdz2' failed with 1: root: ***** FILE SYSTEM WAS "
                        + "MODIFIED *****");
    }

    @Test
    void shrinkTargetsLeaveAMarginAndRespectBtrfsFloor() {
        long mib = 1 << 20;
        assertThat(Filesystems.shrinkTarget(FilesystemType.EXT4, 100 * mib, 1000 * mib)).isEqualTo(116 * mib);
        assertThat(Filesystems.shrinkTarget(FilesystemType.EXT4, 1000 * mib, 4000 * mib)).isEqualTo(1050 * mib);
        assertThat(Filesystems.shrinkTarget(FilesystemType.EXT4, 1000 * mib, 1020 * mib)).isEqualTo(1020 * mib);
        assertThat(Filesystems.shrinkTarget(FilesystemType.BTRFS, 100 * mib, 1000 * mib)).isEqualTo(256 * mib);
    }
}
