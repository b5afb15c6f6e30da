package io.pureboot.clone.agent.disk;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole disk as sysfs describes it.
 *
 * @param name the kernel name (sda, nvme0n1, loop3)
 * @param path the device node
 * @param sizeBytes capacity in bytes
 * @param logicalSectorSize logical block size
 * @param physicalSectorSize physical block size
 * @param serial serial number, or null
 * @param wwn World Wide Name (or NVMe wwid), or null
 * @param model model string, or null
 * @param byIdNames the names under /dev/disk/by-id that point at this disk
 * @param backingFile for a loop device, the file behind it, else null
 */
public record BlockDevice(
        String name,
        Path path,
        long sizeBytes,
        int logicalSectorSize,
        int physicalSectorSize,
        String serial,
        String wwn,
        String model,
        List<String> byIdNames,
        String backingFile) {

    public BlockDevice {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        byIdNames = List.copyOf(byIdNames);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(name + ": negative size " + sizeBytes);
        }
    }

    /**
     * The id the controller chooses this disk by: the WWN, else the serial, else a /dev/disk/by-id name, else (loop
     * devices, which have none of these) {@code loop:<backing file>}; never the kernel name alone.
     */
    public String stableId() {
        if (wwn != null) {
            return wwn;
        }
        if (serial != null) {
            return serial;
        }
        if (!byIdNames.isEmpty()) {
            return byIdNames.get(0);
        }
        if (backingFile != null) {
            return "loop:" + backingFile;
        }
        return "kernel:" + name;
    }

    /** Whether {@code id} names this disk by any of its stable ids (with or without the /dev/disk/by-id/ prefix). */
    public boolean matches(String id) {
        String bare = id.startsWith("/dev/disk/by-id/") ? id.substring("/dev/disk/by-id/".length()) : id;
        return bare.equals(wwn) || bare.equals(serial) || byIdNames.contains(bare) || id.equals(stableId());
    }
}
