package io.pureboot.clone.agent.fs;

import static java.util.Objects.requireNonNull;

/**
 * What a repair tool did to a filesystem: the command as run, its exit code and its findings on one bounded line.
 *
 * @param tool the command line, for example {@code e2fsck -f -y /dev/sda2}
 * @param exitCode the tool's exit code (e2fsck: 1 errors corrected)
 * @param summary what the tool reported, without banners and pass headers, at most {@link #MAX_SUMMARY} characters
 */
public record FilesystemRepair(String tool, int exitCode, String summary) {

    /** The node API's bound for a summary. */
    public static final int MAX_SUMMARY = 600;

    public FilesystemRepair {
        requireNonNull(tool, "tool is null");
        requireNonNull(summary, "summary is null");
        if (summary.length() > MAX_SUMMARY) {
            throw new IllegalArgumentException("summary of " + summary.length() + " characters exceeds "
                    + MAX_SUMMARY);
        }
    }

    /** One line for a log or a failure message. */
    public String describe() {
        return "'" + tool + "' exited with " + exitCode + ": " + summary;
    }
}
