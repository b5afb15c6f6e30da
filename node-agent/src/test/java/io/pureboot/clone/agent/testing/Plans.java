package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestContainer;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Target plans as the resize planner would make them: partitions in source order, 1 MiB aligned. */
public final class Plans {

    private static final long MIB = 1 << 20;

    private Plans() {
    }

    /**
     * Lays the image's partitions out on a {@code targetBytes} disk: each gets {@code sizes.get(number)} (default: its
     * source size), except {@code fill}, which takes what is left up to the end of the usable area.
     */
    public static ResizePlan plan(Manifest manifest, long targetBytes, ResizeMode mode, Map<Integer, Long> sizes,
            int fill) {
        long usableEnd = (targetBytes - 34 * 512) / MIB * MIB;
        List<ManifestPartition> partitions = manifest.partitions();
        long fixedTotal = 0;
        for (ManifestPartition partition : partitions) {
            if (partition.number() != fill) {
                fixedTotal += sizes.getOrDefault(partition.number(), partition.sizeBytes());
            }
        }
        long start = partitions.get(0).startBytes();
        List<PartitionPlan> plans = new ArrayList<>();
        for (ManifestPartition partition : partitions) {
            long size = partition.number() == fill ? usableEnd - start - (fixedTotal - sumBefore(partitions, sizes,
                    partition.number(), fill)) : sizes.getOrDefault(partition.number(), partition.sizeBytes());
            PartitionAction action = size == partition.sizeBytes() ? PartitionAction.KEEP
                    : size < partition.sizeBytes() ? PartitionAction.SHRINK : PartitionAction.GROW;
            long minimum = partition.minimumSizeBytes() == null ? partition.sizeBytes() : partition.minimumSizeBytes();
            plans.add(new PartitionPlan(partition.number(), partition.startBytes(), partition.sizeBytes(), start, size,
                    minimum, partition.filesystem(), action, null));
            start += size;
        }
        return new ResizePlan(manifest.disk().sizeBytes(), targetBytes, mode, PartitionTableType.GPT, MIB, plans, true,
                null);
    }

    /**
     * An MBR layout with logical partitions as the planner makes it: primaries in place, the extended partition on the
     * next MiB, each logical partition one MiB after the previous end (its EBR lies in that MiB), the extended
     * partition ending with the last logical one. Each partition gets {@code sizes.get(number)} (default: its source
     * size), except {@code fill}, which takes what is left up to the end of the disk.
     */
    public static ResizePlan mbrPlan(Manifest manifest, long targetBytes, ResizeMode mode, Map<Integer, Long> sizes,
            int fill) {
        long usableEnd = targetBytes / MIB * MIB;
        long withoutFill = layOut(manifest, sizes, fill, 0).get(-1)[0];
        long fillSize = usableEnd - withoutFill;
        Map<Integer, long[]> places = layOut(manifest, sizes, fill, fillSize);
        List<PartitionPlan> plans = new ArrayList<>();
        for (ManifestPartition partition : manifest.partitions()) {
            long[] place = places.get(partition.number());
            long minimum = partition.minimumSizeBytes() == null ? partition.sizeBytes() : partition.minimumSizeBytes();
            plans.add(new PartitionPlan(partition.number(), partition.startBytes(), partition.sizeBytes(), place[0],
                    place[1], minimum, partition.filesystem(), action(partition.sizeBytes(), place[1]), null));
        }
        ManifestContainer extended = manifest.table().extended();
        long[] container = places.get(extended.number());
        plans.add(new PartitionPlan(extended.number(), extended.startBytes(), extended.sizeBytes(), container[0],
                container[1], container[1], null, action(extended.sizeBytes(), container[1]), null));
        return new ResizePlan(manifest.disk().sizeBytes(), targetBytes, mode, PartitionTableType.MBR, MIB, plans, true,
                null);
    }

    /** Start and size by partition number (the extended one included); key -1 holds the end of the layout. */
    private static Map<Integer, long[]> layOut(Manifest manifest, Map<Integer, Long> sizes, int fill, long fillSize) {
        Map<Integer, long[]> places = new java.util.HashMap<>();
        long end = 0;
        for (ManifestPartition partition : manifest.partitions().stream().filter(p -> !p.logical()).toList()) {
            long start = end == 0 ? partition.startBytes() : alignUp(end);
            long size = partition.number() == fill ? fillSize : sizes.getOrDefault(partition.number(),
                    partition.sizeBytes());
            places.put(partition.number(), new long[] {start, size});
            end = start + size;
        }
        long containerStart = alignUp(end);
        end = containerStart;
        for (ManifestPartition partition : manifest.partitions().stream().filter(ManifestPartition::logical).toList()) {
            long start = alignUp(end + 512);
            long size = partition.number() == fill ? fillSize : sizes.getOrDefault(partition.number(),
                    partition.sizeBytes());
            places.put(partition.number(), new long[] {start, size});
            end = start + size;
        }
        places.put(manifest.table().extended().number(), new long[] {containerStart, end - containerStart});
        places.put(-1, new long[] {end});
        return places;
    }

    private static long alignUp(long bytes) {
        return (bytes + MIB - 1) / MIB * MIB;
    }

    private static PartitionAction action(long current, long size) {
        return size == current ? PartitionAction.KEEP : size < current ? PartitionAction.SHRINK : PartitionAction.GROW;
    }

    /** Fixed sizes of partitions before {@code number} (they are already placed when {@code number} is). */
    private static long sumBefore(List<ManifestPartition> partitions, Map<Integer, Long> sizes, int number, int fill) {
        long total = 0;
        for (ManifestPartition partition : partitions) {
            if (partition.number() == number) {
                break;
            }
            if (partition.number() != fill) {
                total += sizes.getOrDefault(partition.number(), partition.sizeBytes());
            }
        }
        return total;
    }
}
