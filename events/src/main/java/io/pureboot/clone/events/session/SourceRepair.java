package io.pureboot.clone.events.session;

import io.pureboot.clone.events.node.InventoryLimits;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A repair the source agent made to a source filesystem because the session asked for {@code repair_source} and the
 * read-only check found errors. It travels from the agent's {@code source-complete} report into
 * {@code io.pureboot.clone-session.source-completed}, so that the audit says the source did not end as it began.
 *
 * @param partition the partition number the repaired filesystem is in
 * @param tool the repair command as run, for example {@code e2fsck -f -y /dev/sda2}
 * @param exitCode the tool's exit code, 0 to 255 (e2fsck: 1 errors corrected)
 * @param summary what the tool reported it fixed, on one line, bounded
 */
public record SourceRepair(
        @Min(value = 1, message = "must be 1 to " + InventoryLimits.MAX_PARTITION_NUMBER)
        @Max(value = InventoryLimits.MAX_PARTITION_NUMBER, message = "must be 1 to "
                + InventoryLimits.MAX_PARTITION_NUMBER)
        int partition,
        @NotBlank(message = "is required") @PlainText(max = MAX_TOOL) String tool,
        @Min(value = 0, message = "must be 0 to 255") @Max(value = 255, message = "must be 0 to 255")
        int exitCode,
        @PlainText(max = MAX_SUMMARY) String summary) {

    /** The longest command line kept. */
    public static final int MAX_TOOL = 255;
    /** The longest summary kept (the agent cuts the tool's report to this). */
    public static final int MAX_SUMMARY = 600;

    /** At most this many repairs in one report: one per partition of a disk with many. */
    public static final int MAX_REPAIRS = 128;
}
