package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

/**
 * The source's MBR extended partition: it holds no data of its own (its chunks are the EBR chain, which the target
 * gets anew), but the target's table needs its number and type, and a restore without a plan its extent.
 *
 * @param number its primary slot (1-4)
 * @param typeId {@code 0x05}, {@code 0x0f} or {@code 0x85}
 * @param startBytes start on the source disk
 * @param sizeBytes size on the source disk
 */
public record ManifestContainer(int number, String typeId, long startBytes, long sizeBytes) {

    public ManifestContainer {
        requireNonNull(typeId, "typeId is null");
        if (number < 1 || number > 4 || startBytes <= 0 || sizeBytes <= 0) {
            throw new IllegalArgumentException("extended partition " + number + " has an invalid number or extent: "
                    + startBytes + "+" + sizeBytes);
        }
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }
}
