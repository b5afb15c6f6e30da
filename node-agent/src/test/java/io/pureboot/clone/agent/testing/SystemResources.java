package io.pureboot.clone.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension owning the loop devices, mounts and temporary files a test creates, and undoing them in reverse
 * order after each test (or after all, for a static instance), whether the test passed or not.
 */
public final class SystemResources implements AfterEachCallback, AfterAllCallback {

    private interface Undo {
        void run() throws Exception;
    }

    private final Deque<Undo> undo = new ArrayDeque<>();
    private final boolean perClass;

    /** Resources undone after each test. */
    public SystemResources() {
        this(false);
    }

    private SystemResources(boolean perClass) {
        this.perClass = perClass;
    }

    /** Resources shared by a test class (for a static field), undone after all its tests. */
    public static SystemResources perClass() {
        return new SystemResources(true);
    }

    /** A fresh temporary directory, deleted with its contents afterwards. */
    public Path tempDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        undo.push(() -> deleteRecursively(directory));
        return directory;
    }

    /** A sparse file of {@code bytes}. */
    public Path sparseFile(Path directory, String name, long bytes) {
        Path file = directory.resolve(name);
        Sys.run("truncate", "-s", Long.toString(bytes), file.toString());
        return file;
    }

    /** Attaches {@code file} to a free loop device and creates its partition nodes (partx -a). */
    public Path attach(Path file) {
        return attach(file, 512);
    }

    /** Attaches {@code file} as a disk with {@code sectorSize}-byte logical sectors (losetup --sector-size). */
    public Path attach(Path file, int sectorSize) {
        String device = Sys.run("losetup", "-f", "--show", "--sector-size", Integer.toString(sectorSize),
                file.toString()).stdout().strip();
        undo.push(() -> detach(device));
        Sys.runUnchecked("partx", "-a", device);
        return Path.of(device);
    }

    /** Re-reads partitions after the test changed the table. */
    public void rescan(Path device) {
        Sys.runUnchecked("partx", "-d", device.toString());
        Sys.runUnchecked("partx", "-a", device.toString());
    }

    public Path partition(Path device, int number) {
        return Path.of(device + "p" + number);
    }

    /** Mounts {@code device} on a fresh directory; unmounted afterwards (unless {@link #unmount} came first). */
    public Path mount(Path device, String... options) throws IOException {
        Path directory = Files.createTempDirectory("pureboot-test-mount");
        String[] command = new String[options.length + 3];
        command[0] = "mount";
        System.arraycopy(options, 0, command, 1, options.length);
        command[options.length + 1] = device.toString();
        command[options.length + 2] = directory.toString();
        Sys.run(command);
        undo.push(() -> {
            if (Sys.runUnchecked("mountpoint", "-q", directory.toString()).succeeded()) {
                Sys.run("umount", directory.toString());
            }
            Files.deleteIfExists(directory);
        });
        return directory;
    }

    public void unmount(Path directory) {
        Sys.run("umount", directory.toString());
    }

    private static void detach(String device) {
        Sys.runUnchecked("partx", "-d", device);
        Sys.runUnchecked("losetup", "-d", device);
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            undoAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        undoAll();
    }

    private void undoAll() {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (Exception e) {
                System.err.println("cleanup failed: " + e.getMessage());
            }
        }
    }
}
