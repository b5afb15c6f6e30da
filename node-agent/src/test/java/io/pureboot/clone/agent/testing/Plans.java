package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.image.Manifest;
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
