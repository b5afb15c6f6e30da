package io.pureboot.clone.system.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A filesystem image file mounted through a loop device, unmounted (and its loop device released) on close. The
 * end-to-end tests use it to reach an iSCSI LUN's ext4 through the LUN's backing file, as a node's kernel initiator
 * would reach it through the LUN: this kernel has no iSCSI initiator.
 */
public final class LoopMount implements AutoCloseable {

    private final Path directory;

    private LoopMount(Path directory) {
        this.directory = directory;
    }

    public static LoopMount readWrite(Path image, Path directory) throws IOException {
        return mount(image, directory, "loop");
    }

    public static LoopMount readOnly(Path image, Path directory) throws IOException {
        return mount(image, directory, "loop,ro");
    }

    private static LoopMount mount(Path image, Path directory, String options) throws IOException {
        Files.createDirectories(directory);
        Host.run("mount", "-o", options, image.toString(), directory.toString());
        return new LoopMount(directory);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        Host.run("umount", "-d", directory.toString());
    }
}
