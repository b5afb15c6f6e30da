package io.pureboot.clone.controller.workflow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How clone-service boots and supervises a node in one agent mode: one file of {@code workflows/}.
 *
 * @param mode the agent mode, also the file's name without {@code .yaml}
 */
public record Workflow(String mode, Boot boot, Deadlines deadlines, After after) {

    public Workflow {
        requireNonNull(mode, "mode is null");
        requireNonNull(boot, "boot is null");
        requireNonNull(deadlines, "deadlines is null");
        requireNonNull(after, "after is null");
    }

    /**
     * The boot image.
     *
     * @param kernel the kernel's file name under the boot-file URL
     * @param initrd the initramfs's file name under the boot-file URL
     * @param kernelArguments words put on the kernel command line before the pureboot.* settings
     */
    public record Boot(String kernel, String initrd, String kernelArguments) {

        public Boot {
            requireFileName(kernel, "boot.kernel");
            requireFileName(initrd, "boot.initrd");
            kernelArguments = kernelArguments == null ? "" : kernelArguments.strip();
        }

        private static void requireFileName(String name, String field) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(field + " is required");
            }
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException(field + " must be a plain file name (letters, digits, . _ -), not "
                        + name);
            }
        }
    }

    /**
     * Per-phase deadlines.
     *
     * @param network how long the image's init waits for a DHCP lease
     * @param disks how long the image's init waits for the node's disks
     * @param serve direct source only: how long it serves before giving up on targets that are not done; null elsewhere
     */
    public record Deadlines(Duration network, Duration disks, Duration serve) {

        public Deadlines {
            requirePositive(network, "deadlines.network");
            requirePositive(disks, "deadlines.disks");
            if (serve != null) {
                requirePositive(serve, "deadlines.serve");
            }
        }

        private static void requirePositive(Duration duration, String field) {
            if (duration == null) {
                throw new IllegalArgumentException(field + " is required (an ISO-8601 duration such as PT1M)");
            }
            if (duration.toSeconds() < 1) {
                throw new IllegalArgumentException(field + " must be at least one second");
            }
        }
    }

    /** What the node does when its agent succeeded, and when it failed. */
    public record After(AfterAction success, AfterAction failure) {

        public After {
            if (success == null) {
                throw new IllegalArgumentException("after.success is required (reboot, poweroff or shell)");
            }
            if (failure == null) {
                throw new IllegalArgumentException("after.failure is required (reboot, poweroff or shell)");
            }
        }
    }
}
